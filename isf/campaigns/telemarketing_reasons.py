"""Why an account is on a telemarketing list, in the page language; without figures for whom the account scope
keeps revenue and potential from (marketing: ``isf.customers.selectors.targeting_only``)."""

from decimal import Decimal

from django.utils.translation import gettext as _

from isf.core.language import english
from isf.core.numbers import format_eur, format_number
from isf.customers.models import ProductGroup
from isf.segmentation.models import Segment


def _group_names(codes) -> dict[str, str]:
    en = english()
    return {code: ((name_en or name) if en else name) for code, name, name_en in
            ProductGroup.objects.filter(code__in=set(codes)).values_list("code", "name", "name_en")}


def _segment_names(codes) -> dict[str, str]:
    return {s.code: s.name for s in Segment.objects.filter(code__in=set(codes))}


def reason_texts(reasons: list[dict], *, figures: bool, groups=None, segments=None) -> list[str]:
    groups = groups if groups is not None else _group_names(r.get("group", "") for r in reasons)
    segments = segments if segments is not None else _segment_names(r.get("segment", "") for r in reasons)
    out = []
    for r in reasons:
        code = r.get("code")
        if code == "potential":
            segment = segments.get(r.get("segment", ""), r.get("segment", "")) or "–"
            if figures:
                out.append(_("Potential %(potential)s a year, above the median of its segment %(segment)s "
                             "(%(median)s)") % {"potential": format_eur(Decimal(r["potential"])), "segment": segment,
                                                "median": format_eur(Decimal(r["median"]))})
            else:
                out.append(_("Potential above the median of its segment %(segment)s") % {"segment": segment})
        elif code == "share_of_wallet":
            if figures:
                out.append(_("Buys %(pct)s %% of its potential from us (revenue 12 months %(revenue)s; list limit "
                             "%(limit)s %%)") % {"pct": format_number(r["pct"]), "limit": format_number(r["limit"]),
                                                 "revenue": format_eur(Decimal(r["revenue"]))})
            else:
                out.append(_("Buys less than %(limit)s %% of its potential from us")
                           % {"limit": format_number(r["limit"])})
        elif code == "missing_group":
            name = groups.get(r.get("group", ""), r.get("group", ""))
            if r.get("pct") is not None:
                out.append(_("Does not buy %(group)s yet, which %(pct)s %% of similar customers buy")
                           % {"group": name, "pct": format_number(r["pct"])})
            else:
                out.append(_("Does not buy %(group)s yet") % {"group": name})
    return out


def attach_reason_texts(items, *, figures: bool) -> list:
    """Set ``reason_texts`` on entries or control accounts (one query for the names of all)."""
    items = list(items)
    all_reasons = [r for item in items for r in item.reasons]
    groups = _group_names(r.get("group", "") for r in all_reasons)
    segments = _segment_names(r.get("segment", "") for r in all_reasons)
    for item in items:
        item.reason_texts = reason_texts(item.reasons, figures=figures, groups=groups, segments=segments)
    return items
