"""Server-side render time of the site's pages on the demo catalog, against a trivial view.

Each page is requested through Django's test client (the full middleware
stack, sessions, templates; no network), after warm-up requests, and timed
with perf_counter. The baseline is a view returning a constant through the
same stack, so the ratio says what the page itself costs. Target: p99 of
every page <= 150 ms.

    .venv/bin/python -m bench.bench_pages [--requests 50] [--database-url postgres://...]

Without --database-url it uses its own SQLite file under var/bench-pages/,
loading the demo (`load_demo`) and training (`train`) there the first time.
The demo has no cast names, so the bench adds one person credited in 40 demo
films for the person page. `run(**options) -> dict` serves bench/run_all.py.
"""

from __future__ import annotations

import argparse
import os
import secrets
import statistics
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TARGET_MS = 150.0
BENCH_USERNAME = "bench-pages"
BENCH_PERSON = "Bench Person"


def _configure(database_url: str | None) -> None:
    """Production-like settings (DEBUG off: no query log) on the bench's own database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "moviesite.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(64))
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost")
    os.environ.setdefault("DJANGO_MANIFEST_STATIC", "0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.setdefault("MOVIESITE_VAR_DIR", str(REPO / "var" / "bench-pages"))
        os.environ.setdefault("DEMO_CACHE_DIR", str(REPO / "var" / "demo"))
    import django

    django.setup()


def _prepare() -> dict[str, int]:
    """Migrate, load the demo and train if needed; a user with ratings; a person with credits."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from catalog.models import Credit, Movie, Person
    from ratings.models import Rating
    from recommender.models import ModelVersion

    call_command("migrate", verbosity=0)
    if not Movie.objects.exists():
        call_command("load_demo", verbosity=0)
    if not ModelVersion.objects.filter(status=ModelVersion.Status.ACTIVE).exists():
        call_command("train", verbosity=0)
    user, _created = get_user_model().objects.get_or_create(username=BENCH_USERNAME)
    films = list(Movie.objects.order_by("-ratings_count", "id").values_list("id", flat=True)[:200])
    if not Rating.objects.filter(user=user).exists():
        Rating.objects.bulk_create(
            [
                Rating(user=user, movie_id=movie_id, score=(index % 10 + 1) / 2)
                for index, movie_id in enumerate(films[:30])
            ]
        )
    person, _created = Person.objects.get_or_create(name=BENCH_PERSON)
    if not person.credits.exists():
        Credit.objects.bulk_create(
            [
                Credit(
                    movie_id=movie_id, person=person, kind=Credit.Kind.CAST, character=f"Role {index}", order=index % 5
                )
                for index, movie_id in enumerate(films[50:90])
            ]
        )
    return {"user_id": user.pk, "film_id": films[0], "person_id": person.pk, "films": Movie.objects.count()}


def _time_requests(fetch: Callable[[], Any], *, requests: int, warmup: int) -> dict[str, float]:
    for _ in range(warmup):
        fetch()
    samples, cpu_samples = [], []
    for _ in range(requests):
        started, cpu_started = time.perf_counter(), time.process_time()
        response = fetch()
        samples.append((time.perf_counter() - started) * 1000)
        cpu_samples.append((time.process_time() - cpu_started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{response.request['PATH_INFO']} answered {response.status_code}")
    samples.sort()
    return {
        "p50_ms": round(statistics.median(samples), 2),
        "p99_ms": round(samples[min(len(samples) - 1, int(len(samples) * 0.99))], 2),
        "mean_ms": round(statistics.fmean(samples), 2),
        # CPU time of this process: what the page costs even when other work shares the cores.
        "p50_cpu_ms": round(statistics.median(cpu_samples), 2),
    }


def run(
    *,
    requests: int = 50,
    warmup: int = 5,
    database_url: str | None = None,
    blas_threads: int | None = 1,
    **_options: Any,
) -> dict[str, Any]:
    """Time every page; `blas_threads` caps numpy's BLAS pool for the run (None: leave it as it is).

    One BLAS thread is how a web process should run: the fold-in's small
    solve on a multi-threaded OpenBLAS pool cost 10-100x more on this busy
    2-core machine (measured: 150 ms instead of 2 ms per recommendation).
    """
    _configure(database_url)
    from threadpoolctl import threadpool_limits

    from moviesite.runtime import web_process_gc_tune

    web_process_gc_tune()  # as moviesite/wsgi.py does in a web process

    with threadpool_limits(limits=blas_threads, user_api="blas"):
        results = _run_pages(requests=requests, warmup=warmup)
    results["blas_threads"] = blas_threads if blas_threads is not None else "default"
    return results


def _run_pages(*, requests: int, warmup: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.http import HttpResponse
    from django.test import Client, override_settings
    from django.urls import include, path
    from django.urls import reverse as url

    ids = _prepare()

    def trivial(request: object) -> HttpResponse:
        return HttpResponse("ok")

    # The site's URLs plus the baseline view, in a URLconf built here.
    urlconf = type(
        "BenchUrls", (), {"urlpatterns": [path("bench/trivial/", trivial), path("", include("moviesite.urls"))]}
    )
    anonymous = Client()
    signed_in = Client()
    signed_in.force_login(get_user_model().objects.get(pk=ids["user_id"]))
    pages: dict[str, tuple[Client, str]] = {
        "trivial view (baseline)": (signed_in, "/bench/trivial/"),
        "home (visitor)": (anonymous, url("home")),
        "home (signed in, for you)": (signed_in, url("home")),
        "browse, first page": (signed_in, url("movie-list")),
        "browse, search 'star' by year": (signed_in, url("movie-list") + "?q=star&sort=year"),
        "browse, genre + years, page 3": (
            signed_in,
            url("movie-list") + "?genre=Drama&year_from=1990&year_to=1998&page=3",
        ),
        "film page": (signed_in, url("movie-detail", args=[ids["film_id"]])),
        "person page (40 films)": (signed_in, url("person-detail", args=[ids["person_id"]])),
        "my ratings (30)": (signed_in, url("my-ratings")),
        "onboarding": (signed_in, url("onboarding")),
    }
    results: dict[str, Any] = {
        "database": connection.vendor,
        "load_average_1min": round(os.getloadavg()[0], 2),
        "films": ids["films"],
        "requests_per_page": requests,
        "target_p99_ms": TARGET_MS,
        "pages": {},
    }
    with override_settings(ROOT_URLCONF=urlconf):
        for name, (client, page_url) in pages.items():
            results["pages"][name] = _time_requests(
                lambda c=client, u=page_url: c.get(u, secure=True), requests=requests, warmup=warmup
            )
    baseline = results["pages"]["trivial view (baseline)"]["p50_ms"]
    for figures in results["pages"].values():
        figures["p50_vs_baseline"] = round(figures["p50_ms"] / baseline, 1) if baseline else None
        figures["within_target"] = figures["p99_ms"] <= TARGET_MS
    results["all_within_target"] = all(figures["within_target"] for figures in results["pages"].values())
    return results


def _print(results: dict[str, Any]) -> None:
    print(
        f"Page render times on {results['database']}, {results['films']} films, "
        f"{results['requests_per_page']} requests each (load average {results['load_average_1min']}, "
        f"BLAS threads: {results['blas_threads']})"
    )
    print(
        f"{'page':36} {'p50 ms':>8} {'p99 ms':>8} {'cpu p50':>8} {'x trivial':>10}"
        f"  p99 <= {results['target_p99_ms']:.0f} ms"
    )
    for name, figures in results["pages"].items():
        mark = "ok" if figures["within_target"] else "SLOW"
        print(
            f"{name:36} {figures['p50_ms']:8.1f} {figures['p99_ms']:8.1f} {figures['p50_cpu_ms']:8.1f} "
            f"{figures['p50_vs_baseline']:10.1f}  {mark}"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=50, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per page first")
    parser.add_argument("--database-url", default=None, help="bench on this database (default: its own SQLite)")
    parser.add_argument(
        "--blas-threads", type=int, default=1, help="cap numpy's BLAS threads (0: leave the default pool)"
    )
    options = parser.parse_args()
    results = run(
        requests=options.requests,
        warmup=options.warmup,
        database_url=options.database_url,
        blas_threads=options.blas_threads or None,
    )
    _print(results)


if __name__ == "__main__":
    main()
