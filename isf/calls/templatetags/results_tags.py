"""What inside sales brought in, as a panel for other pages: the IDL's team overview (month to date) and the review
pack (its period). The figures come from isf.calls.results, the same as the results page and the API."""

from django import template
from django.utils import timezone

from isf.calls.results import results_by_segment, results_by_team

register = template.Library()


@register.inclusion_tag("calls/_results_panel.html")
def inside_sales_results(since=None, until=None, *, heading=True, links=True, segments=False):
    """Attributed revenue and margin per inside team from ``since`` to ``until`` (default: this month to today);
    with ``segments`` also per segment with the share of the segment's revenue (the review pack)."""
    today = timezone.localdate()
    since = since or today.replace(day=1)
    until = until or today
    teams, total = results_by_team(since=since, until=until)
    return {"teams": teams, "total": total,
            "segments": results_by_segment(since=since, until=until) if segments else None, "since": since, "until": until, "heading": heading, "links": links,
            "period": f"{since:%Y-%m}", "rule_labels": [p["label"] for p in total.parts]}
