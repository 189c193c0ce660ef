"""Benchmarks: `make bench` runs them all (bench.run_all) and writes BENCHMARKS.md.

Each module is runnable alone (`python -m bench.bench_load --quick`) and exposes
`run(**options) -> dict` so run_all can collect its figures. Generated data goes
to a temporary directory and is never committed.
"""
