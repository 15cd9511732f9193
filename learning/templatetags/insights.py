"""Figures on the admin's insights pages: a hidden figure (None) reads "too few to show"."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()


def _too_few() -> SafeString:
    return format_html('<span class="too-few">{}</span>', _("too few to show"))


@register.filter
def figure(value: float | None) -> object:
    """A count as it is, or "too few to show" when it is hidden."""
    return _too_few() if value is None else value


@register.filter
def percent(value: float | None) -> object:
    """A share (0..1) as a whole percentage, or "too few to show" when it is hidden."""
    return _too_few() if value is None else f"{round(100 * value)}%"


@register.filter
def one_decimal(value: float | None) -> object:
    return _too_few() if value is None else f"{value:.1f}"
