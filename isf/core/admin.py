"""The Django admin inside the rules: records whose changes have rules are read-only there.

Contracts are accepted twice and versioned, service orders and tasks change state with their events, history and
read receipts record what happened: the apps' services write them. The admin shows them (``RuleBoundAdmin``: no add,
change or delete) or keeps the rule-bound fields of an otherwise editable record read-only (``readonly_fields``).
Master data (users, teams, regions, products, accounts, contacts, catalog entries, calendars) stays editable.
``isf/core/tests/test_admin_rules.py`` walks every registered admin and fails where a rule-bound field is editable.
"""


class RuleBoundAdmin:
    """Mixin for a ModelAdmin or inline: the records are shown, never added, changed or deleted in the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
