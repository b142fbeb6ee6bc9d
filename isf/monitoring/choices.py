from django.db import models
from django.utils.translation import gettext_lazy as _


class FlagCode(models.TextChoices):
    """The irregularities monitoring raises; each open flag is one task for the inside team."""

    OVERDUE = "overdue", _("Overdue order")
    REVENUE_DROP = "revenue_drop", _("Revenue drop")
    GROUP_DROPPED = "group_dropped", _("Product group dropped")
    FEW_EXPECTED = "few_expected", _("Few expected orders")


class FlagStatus(models.TextChoices):
    OPEN = "open", _("Open")
    RESOLVED = "resolved", _("Resolved")


class Resolution(models.TextChoices):
    ORDERED_AGAIN = "ordered_again", _("Ordered again")


class Trend(models.TextChoices):
    """Revenue of the last 12 months against the 12 months before."""

    UP = "up", _("Rising")
    FLAT = "flat", _("Stable")
    DOWN = "down", _("Falling")
    NEW = "new", _("New (no revenue the year before)")
    NONE = "none", _("No revenue in 24 months")


# Outcome of the tasks monitoring closes itself when the account orders again (Task.outcome, max 30 chars).
OUTCOME_ORDERED_AGAIN = "ordered_again"
SOURCE = "monitoring"
