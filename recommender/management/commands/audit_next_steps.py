"""Run the learner personas against the catalog in the database and print which property holds for whom."""

import uuid

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from recommender.audit import PERSONAS, PROPERTIES, audit_persona
from recommender.data import clear_catalog_cache


class _RollbackError(Exception):
    pass


class Command(BaseCommand):
    help = (
        "Check every next-step property (nothing known suggested, first step ready, level and framework fit, honest "
        "reasons, plans complete and within bound, web = API, completing moves on) for each persona against the "
        "current catalog. Nothing is kept: the personas' learners are rolled back. Exits 1 if any property fails."
    )

    def handle(self, *args, **options):
        clear_catalog_cache()  # audit the catalog as it is now, not as this process cached it
        outcomes = []
        run = uuid.uuid4().hex[:8]
        try:
            with transaction.atomic():
                for persona in PERSONAS:
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
