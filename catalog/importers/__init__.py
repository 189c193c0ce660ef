"""Importers for the public movie datasets; `catalog.services.catalog_import` is the entry point.

Modules: base (sources, counts, rejects), parsing (pure value parsers),
upsert (idempotent bulk writes), tmdb, movielens, knowledge, streaming,
ratings (COPY / executemany at scale), demo (the recbole wheel), run (detection,
ordering and the ImportRun record).
"""
