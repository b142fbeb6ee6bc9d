"""`{% load monitoring_tags %}{% account_purchase_model account %}`: the purchase model's view of an account
(expected next order window, P(alive), trend, open flags) as a section for the account page."""

from django import template

from isf.monitoring.selectors import account_panel

register = template.Library()


@register.inclusion_tag("monitoring/_account_panel.html")
def account_purchase_model(account):
    return account_panel(account)


@register.filter
def percent(value, digits: int = 0):
    """0.734 -> "73 %" (no value -> "–")."""
    if value is None:
        return "–"
    return f"{100 * float(value):.{int(digits)}f} %"
