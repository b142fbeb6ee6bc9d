"""Object rules shared by views and the API. Who may use which page or operation: isf/core/access.py."""

from isf.org.choices import Role


def can_see_margins(user, account=None) -> bool:
    if user.role in {Role.SALES_LEAD, Role.INSIDE_LEAD}:
        return True
    from isf.customers.owners import is_owner  # the owner's rights: the field rep, or the owning team's lead

    return user.role == Role.FIELD_REP and account is not None and is_owner(user, account)
