from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerType(models.TextChoices):
    B2B = "b2b", _("Business (B2B)")
    B2C = "b2c", _("Private (B2C)")


class Industry(models.TextChoices):
    """WZ 2008 sections (Klassifikation der Wirtschaftszweige)."""

    A = "A", _("A Agriculture, forestry and fishing")
    B = "B", _("B Mining and quarrying")
    C = "C", _("C Manufacturing")
    D = "D", _("D Energy supply")
    E = "E", _("E Water supply, waste management")
    F = "F", _("F Construction")
    G = "G", _("G Wholesale and retail trade, repair of motor vehicles")
    H = "H", _("H Transportation and storage")
    I = "I", _("I Accommodation and food service")  # noqa: E741
    J = "J", _("J Information and communication")
    K = "K", _("K Financial and insurance services")
    L = "L", _("L Real estate")
    M = "M", _("M Professional, scientific and technical services")
    N = "N", _("N Other business services")
    O = "O", _("O Public administration and defence")  # noqa: E741
    P = "P", _("P Education")
    Q = "Q", _("Q Health and social work")
    R = "R", _("R Arts, entertainment and recreation")
    S = "S", _("S Other services")
    T = "T", _("T Private households")
    U = "U", _("U Extraterritorial organisations")


class EmployeeBand(models.TextChoices):
    MICRO = "1-9", _("1–9 employees")
    SMALL = "10-49", _("10–49 employees")
    MEDIUM = "50-249", _("50–249 employees")
    LARGE = "250-999", _("250–999 employees")
    XLARGE = "1000+", _("1,000+ employees")


class BuyingRole(models.TextChoices):
    DECISION_MAKER = "decision_maker", _("Decision maker")
    INFLUENCER = "influencer", _("Influencer")
    USER = "user", _("User")
    BUYER = "buyer", _("Buyer")
    GATEKEEPER = "gatekeeper", _("Gatekeeper")


class ContactStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    LEAVING = "leaving", _("Leaving")
    LEFT = "left", _("Left")


class PhoneKind(models.TextChoices):
    LANDLINE = "landline", _("Landline")
    MOBILE = "mobile", _("Mobile")
    FAX = "fax", _("Fax")


class QuoteStatus(models.TextChoices):
    OPEN = "open", _("Open")
    SENT = "sent", _("Sent")
    WON = "won", _("Won")
    LOST = "lost", _("Lost")
    EXPIRED = "expired", _("Expired")


class Phase(models.TextChoices):
    """Customer lifecycle phases, the same for every segment."""

    PROSPECT = "prospect", _("Prospect")
    NEW = "new", _("New customer")
    ACTIVE = "active", _("Active")
    AT_RISK = "at_risk", _("At risk")
    LOST = "lost", _("Lost")
    WON_BACK = "won_back", _("Won back")


class NeedTiming(models.TextChoices):
    """When the customer expects to buy what he needs."""

    NOW = "now", _("Now (within 4 weeks)")
    QUARTER = "quarter", _("This quarter")
    YEAR = "year", _("Within 12 months")
    LATER = "later", _("Later or open")


class PotentialSource(models.TextChoices):
    """Where an estimate of an account's annual potential comes from."""

    CALL = "call", _("Phone call")
    VISIT = "visit", _("Visit")
    CUSTOMER = "customer", _("Stated by the customer")
    RESEARCH = "research", _("Research (annual report, press, register)")
    IMPORT = "import", _("Import")


class OwnerSource(models.TextChoices):
    """Why an account's owner changed."""

    RULE = "rule", _("owner rule")
    IMPORT = "import", _("import")
    REASSIGN = "reassign", _("re-assignment by the sales lead")
