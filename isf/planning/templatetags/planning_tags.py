"""Template filters of the planning pages."""

from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """A fraction 0..1 as a localized percentage: 0.4213 → '42,1 %'."""
    try:
        return f"{number_format(float(value) * 100, int(digits))} %"
    except (TypeError, ValueError):
        return "–"


@register.filter
def euro(value) -> str:
    """An amount as whole euros with thousands separators: '1.234.567 €'."""
    try:
        return f"{number_format(round(float(value)), 0, force_grouping=True)} €"
    except (TypeError, ValueError):
        return "–"


@register.filter
def lines(value) -> list[str]:
    """A text with one item per line as a list (the matrix's bullet points)."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]
