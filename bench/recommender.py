"""Recommender benchmark: training time and peak memory, and per-learner `recommendation_list` latency with its
database reads, on a synthetic database.

    .venv/bin/python bench/recommender.py --scale small   # 10k learners x 2k resources x 500k interactions
    .venv/bin/python bench/recommender.py --scale large   # 100k x 10k x 5M
    .venv/bin/python bench/recommender.py --scale xl      # 1M x 20k x 50M: by hand, on a machine to itself
    .venv/bin/python bench/recommender.py --scale large --skip-training   # serving only, with the active model
    .venv/bin/python bench/recommender.py --scale large --retrain-after 10000   # then 10k new events, retrain

The database lives in var/bench-<scale>/ (SQLite) and is built once, then reused.
"""

import argparse
import os
import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["tiny", "small", "large", "xl"], default="small")
    parser.add_argument("--samples", type=int, default=500, help="learners to time recommendation_list for")
    parser.add_argument(
        "--trace-memory",
        action="store_true",
        help="also report tracemalloc's peak (it slows training two to three times: the time is then not the figure)",
    )
    parser.add_argument(
        "--skip-training",
        action="store_true",
        help="only time recommendation_list, against the version an earlier run of this bench made active",
    )
    parser.add_argument(
        "--retrain-after",
        type=int,
        default=0,
        metavar="EVENTS",
        help="after training, log this many new events (kept in the database) and time a second training",
    )
    args = parser.parse_args()
    os.environ.setdefault("DEEPPATH_VAR_DIR", str(ROOT / "var" / f"bench-{args.scale}"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEEPPATH_RETRAIN_AFTER_INTERACTIONS", "0")
    import django

    django.setup()
    from django.core.management import call_command

    from bench import synthetic

    call_command("migrate", verbosity=0)
    scale = synthetic.SCALES[args.scale]
    if not synthetic.populated(scale):
        started = time.perf_counter()
        synthetic.build(scale)
        print(f"built the {args.scale} database in {time.perf_counter() - started:.1f} s")
    if not args.skip_training:
        train(trace_memory=args.trace_memory)
    if args.retrain_after:
        synthetic.add_new_events(args.retrain_after, seed=int(time.time()))
        print(f"logged {args.retrain_after} new events; retraining")
        train(trace_memory=args.trace_memory)
    serve(args.samples)


def train(trace_memory: bool = False) -> None:
    from recommender import services

    if trace_memory:
        tracemalloc.start()
    started = time.perf_counter()
    stamps = [started]

    def stage(message: str) -> None:
        now = time.perf_counter()
        print(f"  {now - stamps[-1]:6.1f} s, then: {message}", flush=True)
        stamps.append(now)

    report = services.recommender_train(progress=stage)
    elapsed = time.perf_counter() - started
    run = report.run
    print(f"training run: {run.status} {run.version or ''} {report.reason}")
    print(f"  data: {run.data_counts}")
    for name, row in run.metrics.items():
        print(f"  {name:<10} NDCG@10 {row['ndcg']:.4f} HR@10 {row['hr']:.4f} fit {row['fit_seconds']:.1f} s")
    traced = " (under tracemalloc)" if trace_memory else ""
    print(f"  total training time (read, evaluate, refit, write){traced}: {elapsed:.1f} s")
    if trace_memory:
        print(f"  peak traced Python/numpy memory: {tracemalloc.get_traced_memory()[1] / 2**20:.0f} MiB")
        tracemalloc.stop()
    print(f"  process max RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


def serve(samples: int) -> None:
    from django.contrib.auth import get_user_model
    from django.db import connection, reset_queries
    from django.test.utils import CaptureQueriesContext

    from recommender.selectors import forget_recent_lists, recommendation_list

    learners = list(get_user_model().objects.filter(username__startswith="bench-").order_by("?")[:samples])
    recommendation_list(learner=learners[0])  # loads the model and the catalog once, as a warm worker would
    forget_recent_lists()  # every timed call ranks: this times ranking, not the memo of recently ranked lists
    timings, queries = [], []
    for learner in learners:
        reset_queries()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            items = recommendation_list(learner=learner, limit=10)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(captured))
        assert items, "every learner gets suggestions"
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(
        f"recommendation_list over {len(timings)} learners (database reads included): "
        f"median {statistics.median(timings):.2f} ms, p95 {p95:.2f} ms, max {timings[-1]:.2f} ms, "
        f"queries per call {max(queries)}"
    )


if __name__ == "__main__":
    main()
