from django.db import models
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    """What a piece of work in the queue is; later features add their kinds here."""

    CARE_CALL = "care_call", _("Care call")
    VISIT = "visit", _("Visit")
    WELCOME_CALL = "welcome_call", _("Welcome call")
    WINBACK_CALL = "winback_call", _("Win-back call")
    QUOTE_FOLLOWUP = "quote_followup", _("Quote follow-up")
    CAMPAIGN_CALL = "campaign_call", _("Campaign call")
    REVIEW_MEETING = "review_meeting", _("Review meeting")
    MAILING = "mailing", _("E-mail/mailing")
    ALERT = "alert", _("Order-behaviour alert")
    SERVICE_ORDER = "service_order", _("Service order")
    CALL_BACK = "call_back", _("Call back")
    LEAD_FOLLOWUP = "lead_followup", _("Lead follow-up")
    BUYING_CENTER = "buying_center", _("Buying-center re-mapping")
    POTENTIAL_REVIEW = "potential_review", _("Re-estimate potential")
    SATISFACTION_CALL = "satisfaction_call", _("Satisfaction call")
    APPROVAL = "approval", _("Approval request")
    ACTION = "action", _("Agreed action")
    REFERRAL_ASK = "referral_ask", _("Ask for a referral")
    OTHER = "other", _("Other")


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    CLAIMED = "claimed", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", _("Cancelled")


OPEN_STATUSES = (TaskStatus.OPEN, TaskStatus.CLAIMED)


class Side(models.TextChoices):
    INSIDE = "inside", _("Inside sales")
    FIELD = "field", _("Field sales")
    MARKETING = "marketing", _("Marketing")


class TaskAction(models.TextChoices):
    CREATED = "created", _("created")
    CLAIMED = "claimed", _("claimed")
    RELEASED = "released", _("released")
    COMPLETED = "completed", _("completed")
    RESCHEDULED = "rescheduled", _("rescheduled")
    CANCELLED = "cancelled", _("cancelled")
    ASSIGNED = "assigned", _("assigned")


class Channel(models.TextChoices):
    PHONE = "phone", _("Phone")
    ON_SITE = "on_site", _("On site")
    VIDEO = "video", _("Video call")
    EMAIL = "email", _("E-mail")
    MAIL = "mail", _("Letter/mailing")


# The activity types of a care matrix entry; each is also the kind of the task it plans.
ACTIVITY_KINDS = [
    TaskKind.CARE_CALL,
    TaskKind.VISIT,
    TaskKind.WELCOME_CALL,
    TaskKind.WINBACK_CALL,
    TaskKind.QUOTE_FOLLOWUP,
    TaskKind.CAMPAIGN_CALL,
    TaskKind.REVIEW_MEETING,
    TaskKind.MAILING,
    TaskKind.BUYING_CENTER,
    TaskKind.SATISFACTION_CALL,
    TaskKind.REFERRAL_ASK,
]
ACTIVITY_CHOICES = [(k.value, k.label) for k in ACTIVITY_KINDS]

# Task kinds that count as a customer contact on the coverage page.
CONTACT_KINDS = [k.value for k in ACTIVITY_KINDS if k != TaskKind.MAILING] + [TaskKind.CALL_BACK.value]
CALL_KINDS = [k.value for k in ACTIVITY_KINDS if k not in (TaskKind.VISIT, TaskKind.MAILING, TaskKind.REVIEW_MEETING)]

# The planned contacts a logged call in which the customer was reached fulfils by itself, and how far ahead of the
# call's day such a task may be due (a call this week is this week's care call, not next quarter's).
CALL_FULFILLED_KINDS = (TaskKind.CARE_CALL, TaskKind.WELCOME_CALL, TaskKind.WINBACK_CALL, TaskKind.SATISFACTION_CALL)
CALL_FULFILS_DAYS_AHEAD = 7
# What completed a task done elsewhere (``tasks_complete_done_elsewhere``): the event note is "<key> <id>", shown as
# the label in the page's language.
#: Kinds whose task ends with its own workflow (the service order is completed, the approval decided): the
#: owning app completes the task, the queue links to where the work is done instead of offering "Complete".
WORKFLOW_KINDS = {
    TaskKind.SERVICE_ORDER: _("This task ends when its service order is completed: work it on the order."),
    TaskKind.APPROVAL: _("This task ends when the approval is decided: decide it on the approval page."),
}

DONE_ELSEWHERE = {
    "call": _("by call #%(ref)s"),
    "visit report": _("by visit report #%(ref)s"),
}

# Tasks with a workflow of their own (a service order, an approval) are closed by that workflow, never by a call.
OWN_WORKFLOW_KINDS = (TaskKind.SERVICE_ORDER, TaskKind.APPROVAL)


class TriggerEvent(models.TextChoices):
    """Lifecycle events a matrix entry can be triggered by (offset in days after the event)."""

    FIRST_ORDER = "first_order", _("First order")
    BECAME_NEW = "became_new", _("Became new customer")
    BECAME_AT_RISK = "became_at_risk", _("Became at risk")
    BECAME_LOST = "became_lost", _("Became lost")
    BECAME_WON_BACK = "became_won_back", _("Was won back")
    QUOTE_SENT = "quote_sent", _("Quote sent")
    # positive events: the moment to ask for a referral (isf.planning.referrals)
    TOP_RATING = "top_rating", _("Rated 5 of 5")
    QUOTE_WON = "quote_won", _("Quote won")
    COMPLAINT_SOLVED = "complaint_solved", _("Complaint solved")


PLAN_SOURCE = "plan"


class TaskOutcome(models.TextChoices):
    """Outcomes of a completed task: those a user picks, and those producers set when they close a task."""

    REACHED = "reached", _("Reached")
    NOT_REACHED = "not_reached", _("Not reached")
    DONE = "done", _("Done")
    APPOINTMENT = "appointment", _("Appointment set")
    QUOTE = "quote", _("Quote requested")
    SALE = "sale", _("Sale")
    NOT_INTERESTED = "not_interested", _("Not interested")
    CALL_AS_VISIT = "call_as_visit", _("Call counted as visit")
    PLAN_OBSOLETE = "plan_obsolete", _("No longer planned")
    DEFERRED = "deferred", _("Deferred: team at capacity")
    ORDERED_AGAIN = "ordered_again", _("Ordered again")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    CONTACTED = "contacted", _("Contacted")
    MERGED = "merged", _("Merged")
    DISQUALIFIED = "disqualified", _("Disqualified")
    CONVERTED = "converted", _("Converted")
    LIST_DONE = "list done", _("Call list done")
    BY_CALL = "by_call", _("Done by a logged call")
    VISITED = "visited", _("Visited")
    REFERRAL_GIVEN = "referral_given", _("Referral given")
    REFERRAL_DECLINED = "referral_declined", _("Referral declined")
    REFERRAL_LEAD = "referral_lead", _("Referral: lead created")


# The outcomes a user chooses when completing a task by hand.
USER_OUTCOMES = [TaskOutcome.REACHED, TaskOutcome.NOT_REACHED, TaskOutcome.DONE, TaskOutcome.APPOINTMENT,
                 TaskOutcome.QUOTE, TaskOutcome.SALE, TaskOutcome.NOT_INTERESTED]
# ... and on a referral request: what came of asking (counted per agent, isf.planning.referrals)
REFERRAL_OUTCOMES = [TaskOutcome.REFERRAL_GIVEN, TaskOutcome.REFERRAL_LEAD, TaskOutcome.REFERRAL_DECLINED,
                     TaskOutcome.NOT_REACHED]


def user_outcomes(kind: str = "") -> list:
    """The outcomes a user may choose for a task of ``kind``."""
    return REFERRAL_OUTCOMES if kind == TaskKind.REFERRAL_ASK else USER_OUTCOMES


def outcome_label(code: str) -> str:
    """The label of an outcome code in the active language; unknown codes as they are."""
    return str(TaskOutcome(code).label) if code in TaskOutcome.values else code
