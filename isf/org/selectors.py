"""Reads of the organisation: API tokens a user may see."""

from isf.org.choices import Role
from isf.org.models import ApiToken


def tokens_visible_to(user):
    """A user's own API tokens; the administrator sees every token (to revoke a leaver's)."""
    qs = ApiToken.objects.select_related("user")
    return qs if user.role == Role.ADMIN else qs.filter(user=user)
