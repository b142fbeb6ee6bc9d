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


class FederalState(models.TextChoices):
    BW = "BW", "Baden-Württemberg"
    BY = "BY", "Bayern"
    BE = "BE", "Berlin"
    BB = "BB", "Brandenburg"
    HB = "HB", "Bremen"
    HH = "HH", "Hamburg"
    HE = "HE", "Hessen"
    MV = "MV", "Mecklenburg-Vorpommern"
    NI = "NI", "Niedersachsen"
    NW = "NW", "Nordrhein-Westfalen"
    RP = "RP", "Rheinland-Pfalz"
    SL = "SL", "Saarland"
    SN = "SN", "Sachsen"
    ST = "ST", "Sachsen-Anhalt"
    SH = "SH", "Schleswig-Holstein"
    TH = "TH", "Thüringen"


class Language(models.TextChoices):
    """Languages an agent speaks with customers (a skill)."""

    DE = "de", _("German")
    EN = "en", _("English")
    FR = "fr", _("French")
    IT = "it", _("Italian")
    PL = "pl", _("Polish")
    CS = "cs", _("Czech")
    TR = "tr", _("Turkish")
    NL = "nl", _("Dutch")
