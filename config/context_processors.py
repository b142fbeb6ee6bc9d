from functools import cache

from django.utils import timezone

from isf.core.navigation import nav_for
from isf.core.roles import Role

#: the roles that order services and decide approvals get the bell with the unread count in the header (inside sales
#: sees its SLA notices on the service-order list; the customer screen it works from spends no query on a count)
NOTIFIED_ROLES = frozenset({Role.FIELD_REP, Role.SALES_LEAD})


def _unread(user) -> int:
    from isf.service.selectors import unread_notification_count

    return unread_notification_count(user)


def navigation(request):
    user = getattr(request, "user", None)
    items = nav_for(user) if user is not None else []
    path = request.path
    for item in items:
        item["active"] = item["url"] != "/" and path.startswith(item["url"])
    context = {"nav_items": items, "now": timezone.now(), "notifications_on": False}
    if getattr(user, "is_authenticated", False) and user.role in NOTIFIED_ROLES:
        # a callable: the template calls it (once) only when the header is rendered, so a partial costs no query
        context["notifications_on"] = True
        context["unread_notifications"] = cache(lambda: _unread(user))
    return context
