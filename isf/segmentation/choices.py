from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleCustomerType(models.TextChoices):
    """Which customer type a segment rule applies to."""

    ANY = "any", _("any type")
    B2B = "b2b", _("Business (B2B)")
    B2C = "b2c", _("Private (B2C)")


class ChangeSource(models.TextChoices):
    """Why an account's segment changed."""

    RULE = "rule", _("segment rule")
    OVERRIDE = "override", _("manual override")
    OVERRIDE_ENDED = "override_end", _("override ended")
    OVERRIDE_EXPIRED = "override_exp", _("override expired")
