from django.db import models
from django.utils.translation import gettext_lazy as _


class Scope(models.TextChoices):
    SEGMENT = "segment", _("Segment")
    TEAM = "team", _("Inside team")
    REP = "rep", _("Field rep")


class Metric(models.TextChoices):
    REVENUE = "revenue", _("Revenue")
    MARGIN = "margin", _("Contribution margin")
    NEW_CUSTOMERS = "new_customers", _("New customers")
    REACTIVATED = "reactivated_customers", _("Reactivated customers")
    PLANNED_CONTACTS = "planned_contacts", _("Planned contacts done")


#: Metrics in euros: hidden from marketing (no revenue or margins for it).
MONEY_METRICS = frozenset({Metric.REVENUE, Metric.MARGIN})


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AGREED = "agreed", _("Agreed")
    SUPERSEDED = "superseded", _("Superseded")


class PlanAction(models.TextChoices):
    CREATED = "created", _("Created")
    CHANGED = "changed", _("Targets changed")
    IMPORTED = "imported", _("Targets imported")
    APPROVED = "approved", _("Approved by one lead")
    AGREED = "agreed", _("Agreed")
    SUPERSEDED = "superseded", _("Superseded by a new version")
