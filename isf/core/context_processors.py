from django.utils import timezone

from isf.core.navigation import nav_for


def navigation(request):
    user = getattr(request, "user", None)
    items = nav_for(user) if user is not None else []
    path = request.path
    for item in items:
        item["active"] = item["url"] != "/" and path.startswith(item["url"])
    return {"nav_items": items, "now": timezone.now()}
