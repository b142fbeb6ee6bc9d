"""What inside sales brought in: the results page (per team, agent and segment for a month) and the attribution
rules a controller reads. Thin: the figures come from isf.calls.results, the rules from isf.calls.attribution."""

from datetime import timedelta

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from isf.calls.attribution import rules_described
from isf.calls.results import attributed_orders, month_span, results_summary
from isf.core.params import QueryParams


def results(request):
    """`/call/results/?period=YYYY-MM` (default this month): attributed revenue and margin per team, agent and
    segment, with the share of each segment's revenue."""
    query = QueryParams(request.GET)
    today = timezone.localdate()
    first = query.month("period") or today.replace(day=1)
    page_number = query.page()
    query.warn(request)
    since, until = month_span(first)
    previous = month_span(since.replace(day=1) - timedelta(days=1))[0]
    following = until + timedelta(days=1)
    context = results_summary(since=since, until=until)
    context["page"] = Paginator(attributed_orders(since=since, until=until), 50).get_page(page_number)
    context["querystring"] = f"period={since:%Y-%m}"
    context.update({"period": f"{since:%Y-%m}", "previous": f"{previous:%Y-%m}",
                    "next": f"{following:%Y-%m}" if following <= today else "",
                    "rule_labels": [p["label"] for p in context["total"].parts]})
    return render(request, "calls/results.html", context)


def attribution_rules(request):
    """The attribution rules in their precedence, each with its window in days."""
    return render(request, "calls/attribution_rules.html", {"rules": rules_described()})
