"""Role checks shared by views and the API. The full matrix lives in docs/permissions.md."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from isf.org.choices import Role


def require_roles(*roles: str):
    """View decorator: logged in and one of the roles, else 403."""
    allowed = set(roles)

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.user.role not in allowed and not request.user.is_superuser:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def can_see_margins(user, account=None) -> bool:
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}:
        return True
    return user.role == Role.FIELD_REP and account is not None and account.owner_id == user.pk
