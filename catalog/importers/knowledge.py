"""MovieLens 100K knowledge-graph facts (recbole `.kg` + `.link`) as KnowledgeFact rows.

`.link` maps an ML-100K item id to a Freebase entity; `.kg` holds triples
between entities. Every triple with a linked film at either end becomes a fact
about that film whose `entity` is the other end, with the relation written
from the film's side: `m.actor film.actor.film m.film` becomes
(film, "film.film.actor", m.actor), the same as `m.film film.film.actor m.actor`.
"""

from __future__ import annotations

from django.db import transaction

from catalog.importers.aliases import merged_film_ids
from catalog.importers.base import FileCounts, ImportContext, RejectWriter, Source, read_csv_records
from catalog.importers.parsing import BadValue, refuse_undecodable
from catalog.importers.upsert import bulk_insert
from catalog.models import KnowledgeFact, Movie
from catalog.text import clean_text

# Relations stated from the other end, and the film-side name for each.
INVERSE_RELATIONS = {
    "film.actor.film": "film.film.actor",
    "film.director.film": "film.film.directed_by",
    "film.writer.film": "film.film.written_by",
    "film.producer.film": "film.film.produced_by",
    "film.cinematographer.film": "film.film.cinematography",
    "film.production_company.films": "film.film.production_companies",
    "film.content_rating.film": "film.film.rating",
    "film.film_genre.films_in_this_genre": "film.film.genre",
    "film.film_subject.films": "film.film.subjects",
    # X prequel Y: seen from Y, X is its sequel (and the other way round).
    "film.film.prequel": "film.film.sequel",
    "film.film.sequel": "film.film.prequel",
    "film.film.subjects": "film.film_subject.films",
}
_RELATION_LIMIT = 100
KG_COLUMNS = ["head_id", "relation_id", "tail_id"]
_ENTITY_LIMIT = 64


def film_relation(relation: str, *, film_is_head: bool) -> str:
    if film_is_head:
        return relation
    return INVERSE_RELATIONS.get(relation, f"{relation}.reverse")


def read_entity_links(source: Source) -> dict[str, int]:
    """`.link`: Freebase entity → ML-100K item id."""
    entities: dict[str, int] = {}
    scan_counts, scan_context = FileCounts(source, "link"), ImportContext(RejectWriter(None))
    for _, fields in read_csv_records(source, delimiter="\t", counts=scan_counts, context=scan_context):
        if len(fields) == 2 and fields[0].strip().isdigit():
            entities[clean_text(fields[1])] = int(fields[0])
    return entities


@transaction.atomic
def import_knowledge_graph(source: Source, link_source: Source, counts: FileCounts, context: ImportContext) -> None:
    entity_items = read_entity_links(link_source)
    films = dict(Movie.objects.filter(ml100k_id__isnull=False).values_list("ml100k_id", "id"))
    films.update(merged_film_ids("ml100k_id").items())  # a merged film's facts are the film kept's
    entity_films = {entity: films[item] for entity, item in entity_items.items() if item in films}
    facts_by_line: list[tuple[int, list[tuple[int, str, str]]]] = []
    for line, fields in read_csv_records(source, delimiter="\t", counts=counts, context=context):
        counts.read += 1
        # Cleaned as every other importer cleans text: PostgreSQL refuses a NUL byte, and a
        # byte that is not UTF-8 (read as U+FFFD) would store a wrong entity.
        cleaned = [clean_text(field) for field in fields]
        if len(cleaned) != 3 or not all(cleaned):
            context.reject(counts, line, "row", "\t".join(fields), "expected head, relation and tail")
            continue
        head, relation, tail = cleaned
        try:
            refuse_undecodable(KG_COLUMNS, [head, relation, tail])
        except BadValue as error:
            field_name, _, reason = str(error).partition(": ")
            context.reject(counts, line, field_name, fields[KG_COLUMNS.index(field_name)], reason)
            continue
        if len(relation) > _RELATION_LIMIT or len(head) > _ENTITY_LIMIT or len(tail) > _ENTITY_LIMIT:
            context.reject(counts, line, "row", "\t".join(fields), "entity or relation too long")
            continue
        facts: list[tuple[int, str, str]] = []
        if head in entity_films:
            facts.append((entity_films[head], film_relation(relation, film_is_head=True), tail))
        if tail in entity_films:
            facts.append((entity_films[tail], film_relation(relation, film_is_head=False), head))
        if not facts:
            context.reject(counts, line, "row", "\t".join(fields), "neither end is a film of the catalog")
            continue
        facts_by_line.append((line, facts))

    touched = {movie for _, facts in facts_by_line for movie, _, _ in facts}
    existing: dict[tuple[int, str, str], int] = {}
    for movie_ids in _chunked(sorted(touched)):
        for pk, movie, relation, entity in KnowledgeFact.objects.filter(movie_id__in=movie_ids).values_list(
            "pk", "movie_id", "relation", "entity"
        ):
            existing[(movie, relation, entity)] = pk
    wanted: set[tuple[int, str, str]] = set()
    for _, facts in facts_by_line:
        new = [fact for fact in facts if fact not in existing and fact not in wanted]
        wanted.update(facts)
        if new:
            counts.inserted += 1
        else:
            counts.unchanged += 1
    stale = [pk for fact, pk in existing.items() if fact not in wanted]
    for pks in _chunked(stale):
        KnowledgeFact.objects.filter(pk__in=pks).delete()
    bulk_insert(KnowledgeFact, ["movie_id", "relation", "entity"], sorted(wanted - existing.keys()))


def _chunked(items: list[int], size: int = 2000) -> list[list[int]]:
    return [items[start : start + size] for start in range(0, len(items), size)]
