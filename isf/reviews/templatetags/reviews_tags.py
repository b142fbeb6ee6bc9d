from django import template

from isf.reviews.selectors import announcements_for

register = template.Library()


@register.inclusion_tag("reviews/_announcements_panel.html", takes_context=True)
def announcements_panel(context):
    """Unacknowledged announcements of the sales lead for the inside-sales user on the home page."""
    request = context.get("request")
    user = getattr(request, "user", None)
    items = list(announcements_for(user)) if user is not None else []
    return {"announcements": items, "csrf_token": context.get("csrf_token"), "request": request}
