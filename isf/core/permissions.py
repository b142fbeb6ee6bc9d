"""Object rules shared by views and the API. Who may use which page or operation: isf/core/access.py."""

from isf.core.roles import Role


def can_see_margins(user, account=None) -> bool:
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}:
        return True
    return user.role == Role.FIELD_REP and account is not None and account.owner_id == user.pk
