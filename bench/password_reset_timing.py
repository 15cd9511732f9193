"""Median time of POST /accounts/password_reset/ for a known and an unknown email (issue 12: they must not differ).

    .venv/bin/python bench/password_reset_timing.py [--requests 200]

Runs against a throw-away SQLite database in a temporary folder, through Django's test client (the whole middleware
stack), with the rate limits raised so every request does the full work. Sending happens after the response (the
client closes it, as a server does), so the figures show only what the requester waits for.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    os.environ.update(
        DEEPPATH_VAR_DIR=tempfile.mkdtemp(prefix="deeppath-reset-"),
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_ALLOWED_HOSTS="testserver",
        DJANGO_EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        DEEPPATH_PASSWORD_RESET_RATE_IP="100000/hour",  # noqa: S106 (a rate, not a password)
        DEEPPATH_PASSWORD_RESET_RATE_EMAIL="100000/hour",  # noqa: S106
    )
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    get_user_model().objects.create_user("ada", "ada@example.com", "a-Long-passphrase-42")
    client = Client()
    timings: dict[str, list[float]] = {"known": [], "unknown": []}
    for n in range(args.requests):
        for label, email in (("known", "ada@example.com"), ("unknown", f"nobody{n}@example.com")):
            start = time.perf_counter()
            response = client.post("/accounts/password_reset/", {"email": email})
            timings[label].append((time.perf_counter() - start) * 1000)
            assert response.status_code == 302, response.status_code
    for label, values in timings.items():
        print(f"{label:8} median {statistics.median(values):.2f} ms  (n={len(values)})")


if __name__ == "__main__":
    main()
