"""Is the service up, and is it serving as it should: the answer `/api/v1/health/` gives."""

from dataclasses import dataclass

from django.db import DatabaseError, connection

from recommender.data import catalog_problem
from recommender.loading import active_model, model_problem


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

    The catalog and the model are per-process caches: a healthy check costs one `SELECT 1` (and the active
    version's read once per cache window); it never rebuilds a catalog snapshot this process already has.
    """
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError as error:
        return Health(HealthStatus.UNAVAILABLE, database=False, model_version=None, reason=f"database: {error}")
    catalog = catalog_problem()
    model = active_model()
    problem = model_problem()
    version = model.version if model is not None else None
    if catalog:
        return Health(HealthStatus.DEGRADED, database=True, model_version=version, reason=catalog)
    if problem:
        return Health(HealthStatus.DEGRADED, database=True, model_version=version, reason=problem)
    return Health(HealthStatus.OK, database=True, model_version=version, reason=None)
