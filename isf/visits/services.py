"""Writes for visit reports: one transaction stores the report and everything it changes.

A report may update the account's potential, record a company change (AccountChangeEvent),
change a contact's status (and alert the owner and the inside team through the work queue),
create a new contact, order follow-ups from inside sales (service orders), and complete the
planned visit task and every other open planned visit of the account due on or before the visit's date. A visit the inside sales booked as an appointment (campaigns) for this rep,
account and day is closed in the same transaction. Resending the same form (same client_id) returns
the stored report.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from isf.calls import sources
from isf.campaigns.services.appointments import appointment_close_for_visit
from isf.customers.choices import BuyingRole, ContactStatus
from isf.customers.models import Account, Contact
from isf.customers.owners import owner_side, responsible_for
from isf.customers.services import account_potential_set, contact_change, contact_create
from isf.planning.choices import OPEN_STATUSES, Side, TaskKind, TaskOutcome
from isf.planning.models import Task
from isf.planning.services import task_complete, task_create, tasks_complete_done_elsewhere
from isf.visits.choices import ChangeKind, ContactChangeKind
from isf.visits.defaults import DEFAULT_TYPES
from isf.visits.models import AccountChangeEvent, CompetitorMention, ContactChange, VisitReport, VisitType


class VisitReportError(Exception):
    """A report that cannot be stored; `field` names the form field."""

    def __init__(self, message: str, field: str = ""):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass
class VisitReportInput:
    account: Account | None
    visit_date: date | None
    visit_type: VisitType | None
    client_id: str
    contacts: list[Contact] = field(default_factory=list)
    new_contact: dict | None = None  # first_name, last_name, function, buying_role
    summary: str = ""
    needs: str = ""
    potential_estimate: Decimal | None = None
    competitors: list[dict] = field(default_factory=list)  # name, share_percent, product_group
    company_change: dict | None = None  # kind, description
    contact_changes: list[dict] = field(default_factory=list)  # contact, kind, date
    agreements: str = ""
    next_steps: str = ""
    follow_ups: list[dict] = field(default_factory=list)  # code, note
    task: Task | None = None


def _validate(data: VisitReportInput, today: date) -> None:
    if data.account is None:
        raise VisitReportError(_("Choose the account you visited."), "account")
    if data.visit_date is None:
        raise VisitReportError(_("visit date: give the date of the visit"), "visit_date")
    if data.visit_date > today:
        raise VisitReportError(_("visit date: %(d)s lies in the future; a report is written after the visit")
                               % {"d": date_format(data.visit_date, "SHORT_DATE_FORMAT")}, "visit_date")
    if data.visit_type is None:
        raise VisitReportError(_("visit type: choose a visit type"), "visit_type")
    if not data.client_id:
        raise VisitReportError(_("form id missing: reload the form"), "client_id")
    for c in data.contacts:
        if c.account_id != data.account.pk:
            raise VisitReportError(_("contacts met: %(c)s is not a contact of this account") % {"c": c}, "contacts")
    if data.potential_estimate is not None and data.potential_estimate < 0:
        raise VisitReportError(_("The estimated potential cannot be negative."), "potential_estimate")
    for comp in data.competitors:
        share = comp.get("share_percent")
        if share is not None and not 0 <= share <= 100:
            raise VisitReportError(_("The share of %(n)s must be between 0 and 100 %%.")
                                   % {"n": comp.get("name", "")}, "competitors")
    if data.company_change and data.company_change.get("kind") not in ChangeKind.values:
        raise VisitReportError(_("company change: choose what changed"), "change_kind")
    for cc in data.contact_changes:
        if cc.get("contact") is None or cc["contact"].account_id != data.account.pk:
            raise VisitReportError(_("contact change: choose a contact of this account"), "contact_change_contact")
        if cc.get("kind") not in ContactChangeKind.values:
            raise VisitReportError(_("contact change: choose what changed"), "contact_change_kind")
    nc = data.new_contact
    if nc and not (nc.get("last_name") or "").strip():
        raise VisitReportError(_("new contact: give at least the last name"), "new_contact_last")
    if data.task is not None and (data.task.account_id != data.account.pk or data.task.kind != TaskKind.VISIT):
        raise VisitReportError(_("planned visit: the task is not a visit of this account"), "task")


@transaction.atomic
def visit_types_ensure_defaults() -> int:
    """Create the default visit types that are missing; returns how many were created."""
    created = 0
    for code, de, en, sections, position, default in DEFAULT_TYPES:
        _obj, new = VisitType.objects.get_or_create(
            code=code, defaults={"name_de": de, "name_en": en, "sections": sections, "position": position,
                                 "is_default": default})
        created += new
    return created


def _due(days: int = 1) -> datetime:
    return timezone.make_aware(datetime.combine(timezone.localdate() + timedelta(days=days), time(9, 0)))


def _alert_contact_change(report: VisitReport, contact: Contact, kind: str, author) -> None:
    account = report.account
    label = str(ContactChangeKind(kind).label)
    title = _("Contact change at %(account)s: %(contact)s – %(change)s") % {
        "account": account.name, "contact": contact, "change": label}
    reason = _("Reported in the visit report of %(d)s. Check the buying center.") % {
        "d": report.visit_date.strftime("%d.%m.%Y")}
    reason_en = f"Reported in the visit report of {report.visit_date:%d.%m.%Y}. Check the buying center."
    common = {"kind": TaskKind.BUYING_CENTER, "title": title, "due_at": _due(2), "account": account,
              "contact": contact, "reason": reason, "reason_en": reason_en, "source": "visits",
              "source_id": str(report.pk), "actor": author}
    owner = responsible_for(account)  # the field rep, or the lead of the owning inside team
    if owner is not None:
        task_create(side=owner_side(owner), assignee=owner,
                    dedupe_key=f"visit-contact:{contact.pk}:{kind}:owner", **common)
    team = account.team or (account.segment.team if account.segment_id else None)
    if team is not None:
        task_create(side=Side.INSIDE, team=team, dedupe_key=f"visit-contact:{contact.pk}:{kind}:team", **common)


def _follow_up(report: VisitReport, item: dict, contact, author) -> dict:
    code = item.get("code", "")
    note = item.get("note", "") or report.next_steps or report.summary
    try:
        order = sources.service_order_create(code=code, account=report.account, requester=author, contact=contact,
                                             note=note, source="visit")
    except sources.ServiceOrderFailed as exc:
        raise VisitReportError(_("follow-up: %(msg)s") % {"msg": exc}, "follow_up") from exc
    return {"code": code, "service_order": order.pk, "number": order.number}


@transaction.atomic
def visit_report_create(*, author, data: VisitReportInput, today: date | None = None) -> tuple[VisitReport, bool]:
    """Store a visit report and apply what it reports. Returns (report, created)."""
    today = today or timezone.localdate()
    existing = VisitReport.objects.filter(client_id=data.client_id).first() if data.client_id else None
    if existing is not None:
        if existing.author_id != getattr(author, "pk", None):
            raise VisitReportError(_("form id already used: reload the form"), "client_id")
        return existing, False
    _validate(data, today)
    account = data.account
    contacts = list(data.contacts)
    if data.new_contact:
        nc = data.new_contact
        contact = contact_create(
            account=account, actor=author, first_name=(nc.get("first_name") or "").strip()[:100],
            last_name=nc["last_name"].strip()[:100], function=(nc.get("function") or "").strip()[:100],
            buying_role=nc.get("buying_role") if nc.get("buying_role") in BuyingRole.values else "",
        )
        contacts.append(contact)
    report = VisitReport.objects.create(
        client_id=data.client_id, account=account, author=author, visit_date=data.visit_date,
        visit_type=data.visit_type, summary=data.summary.strip(), needs=data.needs.strip(),
        potential_before=account.potential if data.potential_estimate is not None else None,
        potential_estimate=data.potential_estimate, agreements=data.agreements.strip(),
        next_steps=data.next_steps.strip(), task=data.task,
    )
    if contacts:
        report.contacts.set(contacts)
    if data.potential_estimate is not None and data.potential_estimate != account.potential:
        account_potential_set(account=account, potential=data.potential_estimate, actor=author)
    for comp in data.competitors:
        if (comp.get("name") or "").strip():
            CompetitorMention.objects.create(report=report, name=comp["name"].strip()[:100],
                                             share_percent=comp.get("share_percent"),
                                             product_group=comp.get("product_group"))
    if data.company_change:
        AccountChangeEvent.objects.create(account=account, kind=data.company_change["kind"],
                                          description=(data.company_change.get("description") or "").strip(),
                                          date=data.visit_date, report=report, created_by=author)
    for cc in data.contact_changes:
        contact, kind = cc["contact"], cc["kind"]
        when = cc.get("date") or data.visit_date
        ContactChange.objects.create(report=report, contact=contact, kind=kind, date=when)
        if kind in (ContactChangeKind.LEAVING, ContactChangeKind.LEFT):
            contact_change(contact=contact, actor=author, status_date=when,
                           status=ContactStatus.LEAVING if kind == ContactChangeKind.LEAVING else ContactStatus.LEFT)
        else:
            contact_change(contact=contact, actor=author, buying_role=BuyingRole.DECISION_MAKER,
                           status=ContactStatus.ACTIVE, status_date=None)
        _alert_contact_change(report, contact, kind, author)
    first_contact = contacts[0] if contacts else None
    done = [_follow_up(report, item, first_contact, author) for item in data.follow_ups if item.get("code")]
    if done:
        report.follow_ups = done
        report.save(update_fields=["follow_ups"])
    appointment = appointment_close_for_visit(rep=author, account=account, day=data.visit_date,
                                              note=report.headline, task=data.task)
    task_id = data.task.pk if data.task is not None else (appointment.task_id if appointment is not None else None)
    due = list(planned_visits_due(account, data.visit_date))
    task = Task.objects.get(pk=task_id) if task_id else (due[0] if due else None)
    if task is not None:
        if task.status in OPEN_STATUSES:
            task_complete(task=task, user=author, outcome=TaskOutcome.VISITED, note=report.headline)
        if report.task_id != task.pk:
            report.task = task
            report.save(update_fields=["task"])
    # the visit also does every older planned visit of the account that is still open: none is left to haunt the plan
    tasks_complete_done_elsewhere(task_ids=[t.pk for t in due if task is None or t.pk != task.pk], user=author,
                                  outcome=TaskOutcome.VISITED, note=report.headline, by="visit report", ref=report.pk)
    return report, True


def planned_visits_due(account, day: date):
    """The account's open planned visits due on or before ``day`` (whoever they are planned for), oldest first.

    Visit tasks of booked appointments are left out: the appointment of the report's day closes its own
    task, and a report of another day does not close it.
    """
    end = timezone.make_aware(datetime.combine(day, time.max))
    return (Task.objects.filter(kind=TaskKind.VISIT, account=account, status__in=OPEN_STATUSES, due_at__lte=end)
            .exclude(source="campaigns", dedupe_key__startswith="appointment:")
            .order_by("due_at", "pk"))
