"""Run the learner personas against the catalog in the database and print which property holds for whom."""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recommender.audit import PERSONAS, PROPERTIES, audit_persona, random_personas
from recommender.data import clear_catalog_cache


class _RollbackError(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Check every next-step property (nothing known suggested, first step ready, level and framework fit, honest "
        "reasons, plans complete and within bound, web = API, completing moves on) for each persona against the "
        "current catalog. Nothing is kept: the personas' learners are rolled back. Exits 1 if any property fails."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--random",
            type=int,
            default=0,
            metavar="N",
            help="also audit N personas drawn at random from the catalog's topics, levels and frameworks",
        )
        parser.add_argument("--seed", type=int, default=1, help="seed of the random personas (default 1)")

    def handle(self, *args, **options):
        if options["random"] < 0:
            raise CommandError("--random must be 0 or more.")
        personas = PERSONAS + random_personas(options["random"], options["seed"])
        clear_catalog_cache()  # audit the catalog as it is now, not as this process cached it
        outcomes = []
        run = uuid.uuid4().hex[:8]
        try:
            with transaction.atomic():
                for persona in personas:
                    outcomes.append(audit_persona(persona, f"audit-{run}-{persona.name}"[:150]))
                raise _RollbackError
        except _RollbackError:
            pass
        finally:
            clear_catalog_cache()
        self._table(outcomes)
        failures = [(o.persona, name, why) for o in outcomes for name, why in o.results.items() if why]
        for persona, name, why in failures:
            self.stdout.write(f"FAIL {persona} / {name}: {why}")
        if failures:
            raise CommandError(f"{len(failures)} property check(s) failed.", returncode=1)
        self.stdout.write(
            self.style.SUCCESS(f"All {len(PROPERTIES)} properties hold for all {len(outcomes)} personas.")
        )

    def _table(self, outcomes) -> None:
        width = max(len(o.persona) for o in outcomes)
        self.stdout.write(" " * width + " | " + " | ".join(PROPERTIES))
        for outcome in outcomes:
            cells = [("ok" if not outcome.results[name] else "FAIL").center(len(name)) for name in PROPERTIES]
            self.stdout.write(outcome.persona.ljust(width) + " | " + " | ".join(cells))
