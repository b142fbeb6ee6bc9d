"""The reasons of a lead's score in the user's language (isf_stats gives stable codes and English text)."""

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from isf.customers.choices import EmployeeBand, Industry


def _pts(points) -> str:
    return f"+{number_format(round(float(points), 1), decimal_pos=1)}"


def _num(value) -> str:
    return number_format(value, decimal_pos=1)


def reason_text(reason: dict, lead) -> str:
    code, points = reason.get("code", ""), reason.get("points", 0)
    kind, _sep, arg = code.partition(":")
    if code == "class:key_account":
        return _("Potential key account: fit %(fit)s ≥ 70 and engagement %(eng)s ≥ 15") % {
            "fit": _num(lead.fit_score),
            "eng": _num(lead.engagement_score),
        }
    if code == "class:low_fit":
        return _("Brochure collector: fit %(fit)s < 35, little to sell") % {"fit": _num(lead.fit_score)}
    if code == "class:low_score":
        return _("Brochure collector: score %(score)s < 30, interest too low") % {"score": _num(lead.score)}
    if code == "class:smb":
        return _("Small or midsized business: fit %(fit)s, score %(score)s") % {
            "fit": _num(lead.fit_score),
            "score": _num(lead.score),
        }
    if kind == "industry":
        label = Industry(arg).label if arg in Industry.values else _("unknown")
        return _("Industry %(label)s: %(points)s") % {"label": label, "points": _pts(points)}
    if kind == "size":
        label = EmployeeBand(arg).label if arg in EmployeeBand.values else _("company size unknown")
        return _("%(label)s: %(points)s") % {"label": label, "points": _pts(points)}
    if code == "potential":
        return _("Estimated potential %(eur)s EUR: %(points)s") % {
            "eur": number_format(lead.potential, decimal_pos=0, force_grouping=True),
            "points": _pts(points),
        }
    if code == "potential:stated":
        return _("Stated need %(eur)s EUR a year: %(points)s") % {
            "eur": number_format(lead.need_amount or 0, decimal_pos=0, force_grouping=True),
            "points": _pts(points),
        }
    if code == "region:served":
        return _("In a region served by a field rep: %(points)s") % {"points": _pts(points)}
    if code == "region:outside":
        return _("Outside the served regions: %(points)s") % {"points": _pts(points)}
    if kind == "engagement":
        label = {"contact": _("Contacts"), "answer": _("Answers"), "request": _("Requests")}.get(arg)
        if label is None:
            return _("No contacts, answers or requests yet: +0")
        return _("%(label)s, decaying with time: %(points)s") % {"label": label, "points": _pts(points)}
    return reason.get("text", code)


def lead_reasons(lead) -> list[str]:
    return [reason_text(r, lead) for r in lead.reasons]
