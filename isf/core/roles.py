"""The roles of ISF's users. Core holds the enum (not org, which stores it on the user) because the access
declaration, the menu and the permission checks in core read it, and core imports no domain app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    SALES_LEAD = "vl", _("Sales lead (VL)")
    FIELD_REP = "ad", _("Field rep (AD)")
    INSIDE_LEAD = "idl", _("Inside-sales lead (IDL)")
    INSIDE_AGENT = "id", _("Inside-sales agent (ID)")
    MARKETING = "mkt", _("Marketing")
    ADMIN = "admin", _("Administrator")
    TELEPHONY = "tel", _("Telephony integration")
