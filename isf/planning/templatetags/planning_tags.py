"""Template filters of the planning pages."""

from django import template
from django.utils.translation import gettext_lazy as _

from isf.core.numbers import format_eur, format_percent
from isf.planning.choices import DONE_ELSEWHERE, TaskAction, TaskOutcome, outcome_label

register = template.Library()


@register.filter
def percent(value, digits: int = 1) -> str:
    """A fraction 0..1 as a localized percentage: 0.4213 → '42,1 %'."""
    return format_percent(value, int(digits))


@register.filter
def euro(value) -> str:
    """An amount as whole euros with thousands separators: '1.234.567 €'."""
    return format_eur(value, 0)


@register.filter
def lines(value) -> list[str]:
    """A text with one item per line as a list (the matrix's bullet points)."""
    return [line.strip() for line in str(value or "").splitlines() if line.strip()]


# Notes the system writes on task events (stored in English), shown in the active language.
SYSTEM_NOTES = {
    "contact plan": _("contact plan"),
    "monitoring": _("order-behaviour monitoring"),
}


@register.filter
def event_note(event) -> str:
    """A task event's note for display: outcome codes as their label, system notes translated."""
    note = event.note or ""
    if event.action == TaskAction.COMPLETED and note in TaskOutcome.values:
        return outcome_label(note)
    if note in SYSTEM_NOTES:
        return str(SYSTEM_NOTES[note])
    by, _space, ref = note.rpartition(" ")
    if event.action == TaskAction.COMPLETED and by in DONE_ELSEWHERE and ref.isdigit():
        return str(DONE_ELSEWHERE[by]) % {"ref": ref}
    return note
