from django import template
from django.utils.formats import number_format

register = template.Library()


@register.filter
def pct(value, digits=1):
    """A fraction as a localised percentage: 0.1234 -> '12,3 %' (German) / '12.3 %'."""
    if value is None or value == "":
        return "–"
    return f"{number_format(float(value) * 100, int(digits))} %"


@register.filter
def eur(value, digits=0):
    """An amount in EUR with grouping: 1234567 -> '1.234.567 €'."""
    if value is None or value == "":
        return "–"
    return f"{number_format(value, int(digits), force_grouping=True)} €"
