from django.db import models
from django.utils.translation import gettext_lazy as _

from isf.core.roles import Role  # noqa: F401 - the role enum lives in core (below every app); imported from here too


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
