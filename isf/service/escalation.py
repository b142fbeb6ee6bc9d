"""SLA escalation: due-soon and breach notices to the assignee and the inside-sales lead.

``sla_escalate`` is called by the nightly run and by a frequent cron (``isf sla escalate``). It is
idempotent: one ``SlaNotice`` per order and state (a unique constraint), so a second run in the same state
sends nothing, and a later state change (due soon -> breached) notifies again once.
"""

from datetime import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from isf.org.choices import Role
from isf.org.models import User
from isf.service.choices import RUNNING_STATUSES, EventAction, NotificationKind, SlaState
from isf.service.clock import state_by_due_times
from isf.service.models import Notification, ServiceOrder, ServiceOrderEvent, SlaNotice


def _refresh_stored_states(now: datetime) -> None:
    """Bring the stored SLA state of running orders up to date (reports and filters read it)."""
    running = ServiceOrder.objects.filter(status__in=RUNNING_STATUSES)
    running.filter(breach_at__lt=now).exclude(sla_state=SlaState.BREACHED).update(sla_state=SlaState.BREACHED)
    running.filter(due_soon_at__lte=now, breach_at__gte=now).exclude(sla_state=SlaState.DUE_SOON).update(
        sla_state=SlaState.DUE_SOON)
    running.filter(Q(due_soon_at__gt=now)).exclude(sla_state=SlaState.ON_TRACK).update(sla_state=SlaState.ON_TRACK)


def _recipients(order: ServiceOrder, leads: list[User]) -> list[User]:
    people = []
    if order.assignee_id:
        people.append(order.assignee)
    else:
        people += [u for u in order.team.members.filter(is_active=True, role=Role.INSIDE_AGENT)] if order.team else []
    for lead in leads:
        if lead not in people:
            people.append(lead)
    return people


def _message(order: ServiceOrder, state: str) -> tuple[str, str]:
    due = timezone.localtime(order.due_at).strftime("%d.%m.%Y %H:%M")
    if state == SlaState.BREACHED:
        subject = _("SLA breached: %(number)s %(service)s for %(account)s")
    else:
        subject = _("SLA due soon: %(number)s %(service)s for %(account)s")
    subject = subject % {"number": order.number, "service": order.service.name, "account": order.account.name}
    body = _("%(subject)s\nDue: %(due)s\nAssignee: %(assignee)s\nTeam: %(team)s\n%(url)s") % {
        "subject": subject, "due": due, "assignee": order.assignee or "–", "team": order.team or "–",
        "url": order.get_absolute_url()}
    return subject, body


def sla_escalate(*, now: datetime | None = None) -> dict:
    """Notify once per order and state change; returns counts for the caller (nightly run, cron)."""
    now = now or timezone.now()
    _refresh_stored_states(now)
    leads = list(User.objects.filter(role=Role.INSIDE_LEAD, is_active=True))
    candidates = (
        ServiceOrder.objects.filter(status__in=RUNNING_STATUSES, due_soon_at__lte=now)
        .select_related("service", "account", "team", "assignee")
        .order_by("due_at", "pk")
    )
    counts = {"checked": 0, "due_soon": 0, "breached": 0, "notifications": 0, "emails": 0}
    with translation.override(settings.LANGUAGE_CODE):
        for order in candidates.iterator(chunk_size=500):
            counts["checked"] += 1
            state = state_by_due_times(order, now)
            if state == SlaState.ON_TRACK:
                continue
            people = _recipients(order, leads)
            try:
                with transaction.atomic():
                    SlaNotice.objects.create(order=order, state=state, sent_at=now,
                                             recipients=", ".join(u.username for u in people)[:500])
                    subject, body = _message(order, state)
                    with translation.override("de"):
                        subject_de = _message(order, state)[0]
                    with translation.override("en"):
                        subject_en = _message(order, state)[0]
                    Notification.objects.bulk_create(
                        [Notification(recipient=u, order=order, kind=NotificationKind.SLA, message=subject_de[:300],
                                      message_en=subject_en[:300], created_at=now)
                         for u in people])
                    ServiceOrderEvent.objects.create(order=order, action=EventAction.ESCALATED, at=now,
                                                     note=f"{subject} → {', '.join(str(u) for u in people)}")
            except IntegrityError:
                continue  # already notified in this state
            counts[state] += 1
            counts["notifications"] += len(people)
            emails = [u.email for u in people if u.email]
            if emails:
                try:
                    send_mail(subject, body, None, emails)
                except OSError:  # the mail server is down: the in-app notice stands, the mail is not retried
                    continue
                counts["emails"] += len(emails)
    return counts
