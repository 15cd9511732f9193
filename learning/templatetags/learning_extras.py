from django import template

from learning.models.choices import ProgressStatus

register = template.Library()


@register.filter
def duration(minutes: int | None) -> str:
    """Estimated time in words a learner can plan with: '45 min', '2 h 30 min', '40 h'."""
    if not minutes:
        return "0 min"
    minutes = int(minutes)
    if minutes < 60:
        return f"{minutes} min"
    hours, rest = divmod(minutes, 60)
    if hours >= 10 or rest == 0:
        return f"{round(minutes / 60)} h"
    return f"{hours} h {rest} min"


@register.filter
def get(mapping, key):
    """`mapping[key]` in a template, or None when the mapping is missing or lacks the key."""
    return mapping.get(key) if mapping else None


@register.filter
def status_label(status: str | None) -> str:
    """A progress status in words: 'in_progress' -> 'In progress'."""
    return str(ProgressStatus(status).label) if status in ProgressStatus.values else (status or "")
