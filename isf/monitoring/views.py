"""Monitoring pages: the IDL overview (flags by type, segment and week; what came of the calls) and an
account's model view (expected next order window, P(alive), trend, open flags)."""

from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext_lazy

from isf.core.params import QueryParams
from isf.customers.selectors import accounts_visible_to
from isf.monitoring import selectors
from isf.segmentation.models import Segment


def overview(request):
    query = QueryParams(request.GET)
    weeks = query.integer("weeks", 12, choices=selectors.WEEK_CHOICES)
    segments = list(Segment.objects.order_by("precedence", "code"))
    segment_id = int(query.choice("segment", (str(s.pk) for s in segments), default="0"))
    query.warn(request)
    flags = selectors.flags_visible_to(request.user)
    if segment_id:
        flags = flags.filter(segment_id=segment_id)
    context = {
        **selectors.overview(flags, weeks=weeks),
        "open_list": selectors.open_flags(flags),
        "run": selectors.last_run(),
        "segments": segments,
        "segment_id": segment_id,
        "weeks_choice": weeks,
        "week_choices": selectors.WEEK_CHOICES,
    }
    return render(request, "monitoring/overview.html", context)


def account(request, pk: int):
    acc = get_object_or_404(accounts_visible_to(request.user), pk=pk)
    return render(request, "monitoring/account.html", selectors.account_panel(acc))


NAV_LABEL = gettext_lazy("Alerts")  # the menu entry (isf/core/navigation.py) finds its German text in this catalog
