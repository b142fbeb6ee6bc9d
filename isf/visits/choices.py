from django.db import models
from django.utils.translation import gettext_lazy as _


class Section(models.TextChoices):
    """Sections of a visit report; a visit type (template) decides which ones show."""

    NEEDS = "needs", _("Needs and potential")
    COMPETITORS = "competitors", _("Competitors")
    COMPANY = "company", _("Company changes")
    CONTACTS = "contacts", _("Contact changes")
    AGREEMENTS = "agreements", _("Agreements")
    NEXT_STEPS = "next_steps", _("Next steps")
    FOLLOW_UP = "follow_up", _("Follow-up for inside sales")


ALL_SECTIONS = [s.value for s in Section]


class ChangeKind(models.TextChoices):
    GROWTH = "growth", _("Growth")
    SHRINKING = "shrinking", _("Shrinking")
    RELOCATION = "relocation", _("Relocation")
    OWNERSHIP = "ownership", _("Change of ownership")
    NEW_SITE = "new_site", _("New site")
    OTHER = "other", _("Other")


class ContactChangeKind(models.TextChoices):
    LEAVING = "leaving", _("Is leaving")
    LEFT = "left", _("Has left")
    NEW_DECISION_MAKER = "new_decision_maker", _("New decision maker")
