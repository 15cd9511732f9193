"""Is the service up, and is it serving as it should: the answer `/api/v1/health/` gives."""

import logging
from dataclasses import dataclass

from django.db import DatabaseError, connection

from recommender.data import catalog_snapshot
from recommender.loading import active_model, model_problem

logger = logging.getLogger(__name__)


class HealthStatus:
    OK = "ok"
    DEGRADED = "degraded"  # answering, but not as intended: a fallback ranking, or a catalog that cannot be read
    UNAVAILABLE = "unavailable"  # the database does not answer


@dataclass(frozen=True)
class Health:
    status: str
    database: bool
    model_version: str | None  # the model actually serving (a fallback version when the active one is broken)
    reason: str | None  # why the status is not ok


def service_health() -> Health:
    """Check what every recommendation needs: the database, the catalog arrays and the active model.

    The catalog and the model are per-process caches, so a healthy check costs one `SELECT 1`.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Health(HealthStatus.UNAVAILABLE, database=False, model_version=None, reason=f"database: {error}")
    try:
        catalog_snapshot()
    except Exception as error:  # noqa: BLE001  whatever breaks the catalog arrays breaks ranking: report it
        logger.exception("The catalog snapshot cannot be built")
        return Health(HealthStatus.DEGRADED, True, model_version=None, reason=f"catalog: {type(error).__name__}")
    model = active_model()
    problem = model_problem()
    version = model.version if model is not None else None
    if problem:
        return Health(HealthStatus.DEGRADED, database=True, model_version=version, reason=problem)
    return Health(HealthStatus.OK, database=True, model_version=version, reason=None)
