from django.db import models
from django.utils.translation import gettext_lazy as _

from isf.customers.choices import Phase  # noqa: F401 - the account's phase field holds it; lifecycle derives it


class PhaseSource(models.TextChoices):
    """Who or what changed a phase."""

    RULE = "rule", _("Rule")
    MANUAL = "manual", _("Manual override")
    MONITORING = "monitoring", _("Order-behaviour monitoring")
