"""``{% can user "namespace:name" "POST" as may_save %}``: the access declaration (isf/core/access.py) in templates,
so a button shows exactly when its page or action would let the user in."""

from django import template

from isf.core.access import can as _can

register = template.Library()


@register.simple_tag
def can(user, name: str, method: str = "GET") -> bool:
    return _can(user, name, method)
