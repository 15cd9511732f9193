"""Background link checks through django-tasks (run by `manage.py db_worker`, like retraining)."""

from django_tasks import task

from learning.services.links import links_check


@task()
def check_links_task(resource_ids: list[int] | None = None) -> dict:
    """Check published resources' links (all, or the given ids) and return the counts."""
    return links_check(resource_ids=resource_ids).as_dict()
