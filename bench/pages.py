"""Server-side render time of the learner web site's pages, with `make run`'s data: the shipped catalog, 300 demo
learners and a trained recommender.

    .venv/bin/python bench/pages.py                  # builds var/bench-pages/ once (about 10 s), then measures
    .venv/bin/python bench/pages.py --samples 200
    .venv/bin/python bench/pages.py --var-dir var    # measure against the dev database `make run` uses
    .venv/bin/python bench/pages.py --scale small    # the admin's insights pages on the synthetic small database

With `--scale` the pages measured are the admin's insights pages, as a curator, on the database bench/recommender.py
builds in var/bench-<scale>/ (built here when missing; ratings, dismissals and goal topics are added to it once, see
bench/synthetic.py add_curator_signals). Target there: p95 under 300 ms.

Each page is requested through Django's test Client (the whole middleware stack, templates included, no network),
first a few times to warm the per-process caches, then `--samples` times. Prints the median and p95 in
milliseconds and the number of SQL queries of one request. Target: p95 under 100 ms.
"""

import argparse
import contextlib
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_P95_MS = 100
INSIGHTS_TARGET_P95_MS = 300
CURATOR = "bench-curator"
WARMUP = 3


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samples", type=int, default=50, help="timed requests per page")
    parser.add_argument("--var-dir", default=str(ROOT / "var" / "bench-pages"), help="DEEPPATH_VAR_DIR to use")
    parser.add_argument("--scale", choices=["tiny", "small", "large"], help="measure the insights pages at this scale")
    args = parser.parse_args()
    os.environ["DEEPPATH_VAR_DIR"] = str(ROOT / "var" / f"bench-{args.scale}") if args.scale else args.var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEEPPATH_RETRAIN_AFTER_INTERACTIONS", "0")
    os.environ.setdefault("DJANGO_LOG_LEVEL", "WARNING")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    import django

    django.setup()
    from django.conf import settings

    settings.DEBUG = False  # as in production: no query log kept, no debug helpers in the pages
    warnings.filterwarnings("ignore", message="No directory at")  # whitenoise wants collectstatic's output
    if args.scale:
        prepare_scale(args.scale)
        measure_insights(args.samples)
        return
    prepare()
    measure(args.samples)


def prepare() -> None:
    """Migrate, and load the catalog, the demo learners and a model when missing (what `make setup` does)."""
    from django.core.management import call_command

    steps = [
        ("migrate", ["--noinput"]),
        ("import_catalog", [str(ROOT / "learning" / "data" / "catalog.json"), "--if-empty"]),
        ("seed_demo", ["--learners", "300", "--seed", "42", "--if-empty"]),
        ("train_recommender", ["--if-missing"]),
    ]
    started = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):  # progress bars
        for command, arguments in steps:
            call_command(command, *arguments, verbosity=0)
    print(f"data ready in {time.perf_counter() - started:.1f} s")


def _pages() -> tuple[list[str], list[str], object]:
    from django.contrib.auth import get_user_model
    from django.db.models import Count, Q

    from learning.models import LearningPath, Resource, Topic

    learner = (
        get_user_model()
        .objects.filter(username__startswith="demo-")
        .annotate(done=Count("progress", filter=Q(progress__status="completed")))
        .order_by("-done", "pk")
        .first()
    )
    resource = Resource.objects.published().annotate(n=Count("progress")).order_by("-n", "pk").first()
    path = LearningPath.objects.published().annotate(n=Count("steps")).order_by("-n", "pk").first()
    public = [
        "/",
        "/resources/",
        "/resources/?search=neural+networks&level=beginner&ordering=-minutes&page=2",
        resource.get_absolute_url(),
        "/paths/",
        path.get_absolute_url(),
        "/topics/",
        Topic.objects.get(slug="transformers").get_absolute_url(),
        "/accounts/signup/",
        "/accounts/login/",
    ]
    private = [
        "/dashboard/",
        resource.get_absolute_url(),
        "/resources/",
        "/paths/?goal=large-language-models",
        path.get_absolute_url(),
        "/topics/",
        "/progress/",
        "/onboarding/",
        "/account/",
        "/account/export/",
    ]
    return public, private, learner


def measure(samples: int) -> None:
    from django.test import Client

    public, private, learner = _pages()
    visitor, member = Client(), Client()
    member.force_login(learner)
    print(f"learner: {learner.username} ({learner.progress.count()} progress rows)")
    print(f"{'page':<80} {'median ms':>9} {'p95 ms':>7} {'queries':>7}")
    worst = 0.0
    for who, client, urls in (("visitor", visitor, public), ("learner", member, private)):
        for url in urls:
            median, p95, queries = _time(client, url, samples)
            worst = max(worst, p95)
            flag = "" if p95 < TARGET_P95_MS else "  over target"
            print(f"{who + ' ' + url:<80} {median:>9.1f} {p95:>7.1f} {queries:>7}{flag}")
    print(f"worst p95: {worst:.1f} ms (target < {TARGET_P95_MS} ms)")


def prepare_scale(scale_name: str) -> None:
    """The synthetic database of bench/recommender.py, with the ratings, dismissals and goals insights read."""
    from django.core.management import call_command

    from bench import synthetic

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    scale = synthetic.SCALES[scale_name]
    started = time.perf_counter()
    if not synthetic.populated(scale):
        synthetic.build(scale)
    if synthetic.add_curator_signals():
        print("added ratings, dismissals and goal topics")
    print(f"{scale_name} data ready in {time.perf_counter() - started:.1f} s")


def insights_pages() -> list[str]:
    from django.db.models import Count

    from learning.models import LearningPath, Resource

    resource = Resource.objects.annotate(n=Count("dismissals")).order_by("-n", "pk").first()
    path = LearningPath.objects.curated().annotate(n=Count("steps")).order_by("-n", "pk").first()
    return [
        "/admin/insights/",
        "/admin/insights/resources/",
        "/admin/insights/resources/?order=dismissals&page=3",
        f"/admin/insights/resources/{resource.pk}/",
        "/admin/insights/paths/",
        f"/admin/insights/paths/{path.pk}/",
        "/admin/insights/topics/",
    ]


def measure_insights(samples: int) -> None:
    from django.contrib.auth import get_user_model
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from learning.models import Dismissal, Progress
    from learning.selectors.insights import ACTIVITY_CACHE_KEY, DEMAND_CACHE_KEY

    curator, _ = get_user_model().objects.get_or_create(
        username=CURATOR, defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(curator)
    print(
        f"{connection.vendor}: {Progress.objects.count()} progress rows, {Dismissal.objects.count()} dismissals; "
        f"{samples} samples per page (timings on a shared machine are noisy)"
    )
    print(f"{'page':<64} {'cold ms':>8} {'median ms':>9} {'p95 ms':>7} {'queries':>7}")
    worst = 0.0
    for url in insights_pages():
        cache.delete_many(
            [ACTIVITY_CACHE_KEY, DEMAND_CACHE_KEY]
        )  # the catalog's activity is counted again, as once a minute in production
        started = time.perf_counter()
        client.get(url)
        cold = (time.perf_counter() - started) * 1000
        median, p95, queries = _time(client, url, samples)
        worst = max(worst, p95)
        flag = "" if p95 < INSIGHTS_TARGET_P95_MS else "  over target"
        print(f"{'curator ' + url:<64} {cold:>8.1f} {median:>9.1f} {p95:>7.1f} {queries:>7}{flag}")
    print(f"worst p95: {worst:.1f} ms (target < {INSIGHTS_TARGET_P95_MS} ms)")


def _time(client, url: str, samples: int) -> tuple[float, float, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(WARMUP):
        response = client.get(url)
        assert response.status_code == 200, f"{url}: {response.status_code}"
    timings = []
    for _ in range(samples):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    p95 = statistics.quantiles(timings, n=20)[-1] if len(timings) > 1 else timings[0]
    return statistics.median(timings), p95, len(queries)


if __name__ == "__main__":
    main()
