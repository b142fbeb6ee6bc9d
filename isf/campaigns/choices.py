from django.db import models
from django.utils.translation import gettext_lazy as _


class LeadSource(models.TextChoices):
    WEB_FORM = "web_form", _("Web form")
    IMPORT = "import", _("CSV import")
    API = "api", _("API")
    REFERRAL = "referral", _("Referral")
    PHONE = "phone", _("Phone call")
    MANUAL = "manual", _("Entered by hand")


class LeadStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    CONVERTED = "converted", _("Converted to account")
    DISQUALIFIED = "disqualified", _("Disqualified")
    MERGED = "merged", _("Merged into another")


OPEN_LEAD_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED)


class QualificationClass(models.TextChoices):
    POTENTIAL_KEY_ACCOUNT = "potential_key_account", _("Potential key account")
    SMB = "smb", _("SMB")
    BROCHURE_COLLECTOR = "brochure_collector", _("Brochure collector")


class DuplicateState(models.TextChoices):
    NONE = "none", _("No duplicate found")
    SUSPECTED = "suspected", _("Possible duplicate")
    CONFIRMED_NEW = "confirmed_new", _("Confirmed as new")


class ActivityKind(models.TextChoices):
    CONTACT = "contact", _("Contact")
    ANSWER = "answer", _("Answer")
    REQUEST = "request", _("Request")


class CampaignKind(models.TextChoices):
    PRODUCT = "product", _("Product campaign")
    WINBACK = "winback", _("Win-back of lost customers")
    WELCOME = "welcome", _("Welcome calls")
    REACTIVATION = "reactivation", _("Reactivation of at-risk accounts")
    TELEMARKETING = "telemarketing", _("Telemarketing aimed at potential")
    OTHER = "other", _("Other")


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ACTIVE = "active", _("Active")
    CLOSED = "closed", _("Closed")


class CallOutcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    CALL_BACK = "call_back", _("Call back at a time")
    APPOINTMENT = "appointment", _("Appointment set")
    QUOTE_REQUESTED = "quote_requested", _("Quote requested")
    SALE = "sale", _("Order taken")
    NOT_INTERESTED = "not_interested", _("Not interested")
    DO_NOT_CALL = "do_not_call", _("Do not call")


# Outcomes after which the entry is finished (no further attempt).
FINAL_OUTCOMES = frozenset(
    {
        CallOutcome.REACHED,
        CallOutcome.APPOINTMENT,
        CallOutcome.QUOTE_REQUESTED,
        CallOutcome.SALE,
        CallOutcome.NOT_INTERESTED,
        CallOutcome.DO_NOT_CALL,
    }
)


class EntryStatus(models.TextChoices):
    OPEN = "open", _("Open")
    DONE = "done", _("Done")
    EXHAUSTED = "exhausted", _("Attempts used up")


class ExclusionReason(models.TextChoices):
    OPT_OUT = "opt_out", _("Objected (opt-out)")
    B2C_NO_CONSENT = "b2c_no_consent", _("Private customer without documented explicit consent")
    B2B_NO_PRESUMED = "b2b_no_presumed", _("Business customer without recorded presumed consent")
    NO_PHONE = "no_phone", _("No phone number")


class ConsentBasis(models.TextChoices):
    """On what lawful basis (UWG §7) an account on a call list may be called: the reason it passed the rules."""

    EXPLICIT = "explicit", _("Explicit consent to phone advertising")
    PRESUMED = "presumed", _("Presumed consent of a business customer (UWG §7 (2) no. 1)")


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Booked")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


class ComplaintCategory(models.TextChoices):
    DELIVERY = "delivery", _("Delivery (late, wrong, incomplete)")
    QUALITY = "quality", _("Product quality")
    INVOICE = "invoice", _("Invoice")
    SERVICE = "service", _("Service and advice")
    OTHER = "other", _("Other")


class Severity(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class ComplaintStatus(models.TextChoices):
    OPEN = "open", _("Open")
    AWAITING_APPROVAL = "awaiting_approval", _("Awaiting owner approval")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


class GoodwillStatus(models.TextChoices):
    NONE = "none", _("No goodwill")
    WITHIN_RIGHTS = "within_rights", _("Within decision rights")
    PENDING = "pending", _("Awaiting owner approval")
    APPROVED = "approved", _("Approved by the owner")
    REJECTED = "rejected", _("Rejected by the owner")


class Satisfaction(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    UNSATISFIED = "unsatisfied", _("Not satisfied")


class QuoteOutcome(models.TextChoices):
    WON = "won", _("Won")
    LOST = "lost", _("Lost")


class CompanyChangeKind(models.TextChoices):
    GROWTH = "growth", _("Growth")
    RELOCATION = "relocation", _("Relocation")
    MERGER = "merger", _("Merger or acquisition")
    SHRINKAGE = "shrinkage", _("Shrinkage")


class QuoteRule(models.TextChoices):
    """How an open quote is followed up (by the segment of its account)."""

    OWNER_DECIDES = "owner_decides", _("key account: the owner rep decides")
    CALL_3 = "call_3", _("a call 3 business days after sending")
    CALL_5 = "call_5", _("a call 5 business days after sending")
