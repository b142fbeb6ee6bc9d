"""SLA escalation: due soon and breach notify assignee and IDL in the app and by e-mail, once per state."""

import pytest
from django.core import mail

from isf.service import services
from isf.service.models import Notification, SlaNotice
from isf.service.selectors import order_list
from isf.service.tests.conftest import utc

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(people, account, quote_prep):
    o = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                      inputs={"products": "Dübel"}, now=utc(2027, 6, 7, 6, 0))  # Mon 08:00, due 16:00
    services.service_order_claim(order_id=o.pk, user=people["agent"], now=utc(2027, 6, 7, 6, 30))
    o.refresh_from_db()
    return o


def test_due_soon_then_breach_notify_once_each(order, people):
    assert services.sla_escalate(now=utc(2027, 6, 7, 11, 0))["due_soon"] == 0  # 5 of 8 h: on track
    counts = services.sla_escalate(now=utc(2027, 6, 7, 12, 0))  # 14:00 local: 6 h = 75 %
    assert (counts["due_soon"], counts["breached"], counts["emails"]) == (1, 0, 2)
    assert sorted(mail.outbox[0].to) == ["id1@example.com", "idl@example.com"]
    assert order.number in mail.outbox[0].subject
    assert services.sla_escalate(now=utc(2027, 6, 7, 13, 0))["due_soon"] == 0  # idempotent
    assert len(mail.outbox) == 1
    # 16:00 local sharp (the due time) is still on time, a minute later it is breached
    assert services.sla_escalate(now=utc(2027, 6, 7, 14, 0))["breached"] == 0
    counts = services.sla_escalate(now=utc(2027, 6, 7, 14, 1))
    assert counts["breached"] == 1
    assert services.sla_escalate(now=utc(2027, 6, 8, 7, 0))["breached"] == 0


def test_due_at_the_end_of_the_business_day_breaches_only_when_the_clock_runs_again(people, account, quote_prep):
    order = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                          inputs={"products": "Dübel"}, now=utc(2027, 6, 7, 7, 0))  # Mon 09:00
    assert order.due_at == utc(2027, 6, 7, 15, 0)  # 17:00 local, the end of the window
    assert order.breach_at == utc(2027, 6, 8, 6, 0)  # Tuesday 08:00: overnight is not late
    assert services.sla_escalate(now=utc(2027, 6, 8, 5, 0))["breached"] == 0
    assert services.sla_escalate(now=utc(2027, 6, 8, 6, 1))["breached"] == 1
    assert list(SlaNotice.objects.order_by("sent_at").values_list("state", flat=True)) == ["due_soon", "breached"]
    assert Notification.objects.filter(recipient=people["idl"]).count() == 2
    assert Notification.objects.filter(recipient=people["agent"]).count() == 2
    assert order.events.filter(action="escalated").count() == 2
    order.refresh_from_db()
    assert order.sla_state == "breached"


def test_sla_state_filter_is_exact_at_a_given_moment(order, people):
    at = utc(2027, 6, 7, 12, 0)
    assert list(order_list(user=people["idl"], filters={"sla_state": "due_soon"}, now=at)) == [order]
    assert list(order_list(user=people["idl"], filters={"sla_state": "on_track"}, now=at)) == []
    assert list(order_list(user=people["idl"], filters={"sla_state": "breached"}, now=utc(2027, 6, 9, 6, 0))) == [order]


def test_paused_order_is_not_escalated(order, people):
    agent = people["agent"]
    services.service_order_transition(order=order, user=agent, to="in_progress", now=utc(2027, 6, 7, 7, 0))
    services.service_order_transition(order=order, user=agent, to="waiting", note="Menge?", now=utc(2027, 6, 7, 8, 0))
    assert services.sla_escalate(now=utc(2027, 6, 9, 8, 0))["checked"] == 0
    assert mail.outbox == []
