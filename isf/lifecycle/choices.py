from django.db import models
from django.utils.translation import gettext_lazy as _


class Phase(models.TextChoices):
    """Customer lifecycle phases, the same for every segment."""

    PROSPECT = "prospect", _("Prospect")
    NEW = "new", _("New customer")
    ACTIVE = "active", _("Active")
    AT_RISK = "at_risk", _("At risk")
    LOST = "lost", _("Lost")
    WON_BACK = "won_back", _("Won back")


class PhaseSource(models.TextChoices):
    """Who or what changed a phase."""

    RULE = "rule", _("Rule")
    MANUAL = "manual", _("Manual override")
    MONITORING = "monitoring", _("Order-behaviour monitoring")
