from django import template

from isf.core.numbers import format_eur, format_number, format_percent

register = template.Library()


@register.filter
def pct(value, digits=1):
    """A fraction as a localised, rounded percentage: 0.41585 -> '41,6 %' (German) / '41.6 %'."""
    return format_percent(value, int(digits))


@register.filter
def pct_shown(value, digits=1):
    """A percentage already rounded for display (e.g. by largest remainder): 41.6 -> '41,6 %'."""
    text = format_number(value, int(digits))
    return text if text == "–" else f"{text} %"


@register.filter
def eur(value, digits=0):
    """An amount in EUR, rounded, with grouping: 1234567.5 -> '1.234.568 €'."""
    return format_eur(value, int(digits))


@register.filter
def trend(value, digits=1):
    """A change in percent with its sign: 5.26 -> '+5,3 %', -7.3 -> '-7,3 %'; '–' for None."""
    if value is None:
        return "–"
    text = format_number(value, int(digits))
    return f"{'+' if text.strip('0,.') and value > 0 else ''}{text} %"
