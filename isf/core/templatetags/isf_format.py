"""Template filters for dates, weeks and numbers in the page language (the helpers of isf.core.dates / numbers)."""

from decimal import Decimal

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from isf.core import dates, numbers

register = template.Library()


@register.filter
def weekday_date(value):
    """'Mo 07.12.2026' / 'Mon 7 Dec 2026'."""
    return dates.format_date(value, weekday=True)


@register.filter
def weekday_datetime(value):
    """'Mo 07.12.2026 14:30' / 'Mon 7 Dec 2026, 14:30'."""
    return dates.format_datetime(value, weekday=True)


@register.filter
def iso_week(value):
    """The ISO week of a day: 'KW 50/2026' / 'week 50/2026'."""
    return dates.format_week(value) if value else "–"


@register.filter
def amount(value, digits=0):
    """An amount in EUR with separators: '21.692,70 €' / '21,692.70 €'."""
    return numbers.format_eur(value, int(digits))


@register.filter
def number(value, digits=None):
    """A number with separators, rounded half up: '6.411' / '6,411'; anything else (a text, None) as it is.

    Without ``digits`` a whole number has none and a fraction keeps its decimals (at most two): 2.4 -> '2,4'.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        return "–" if value is None else value
    if digits is None:
        exponent = Decimal(str(value)).normalize().as_tuple().exponent
        digits = min(max(-exponent, 0), 2) if isinstance(exponent, int) else 0
    return numbers.format_number(value, int(digits))


@register.filter
def weekday_day(value):
    """A day of this year's plan without the year: 'Mo 07.12.' / 'Mon 7 Dec'."""
    return dates.format_day(value) if value else "–"


@register.filter(is_safe=True)  # safe in, safe out: a date never holds markup
def local_dates(value):
    """A stored text with its ISO dates in the page's format (isf.core.dates.dates_in_text)."""
    return dates.dates_in_text(value)


@register.filter(needs_autoescape=True)
def typed(value, autoescape=True):
    """Text a person typed (a note, an agreement, a concept), kept in the language it was written in: wrapped in
    ``<span translate="no">`` so translation tools and the page-language walk leave it alone."""
    if value in (None, ""):
        return value
    text = conditional_escape(value) if autoescape else value
    return mark_safe(f'<span translate="no">{text}</span>')  # escaped above
