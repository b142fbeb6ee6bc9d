"""The account timeline reads as text: labelled phases, segments by code and name, order numbers, amounts in the
page's language."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from isf.calls import sources
from isf.calls.tests.helpers import world
from isf.calls.timeline import timeline_for
from isf.customers.tests.factories import OrderFactory, QuoteFactory, add_line
from isf.lifecycle.models import PhaseChange
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.services import task_create
from isf.segmentation.models import Segment, SegmentChange

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    data = world()
    acc = data["account"]
    now = timezone.now()
    data["phase"] = PhaseChange.objects.create(
        account=acc, from_phase="prospect", to_phase="won_back", reason="Wieder bestellt nach 14 Monaten",
        reason_en="Ordering again after 14 months", at=now - dt.timedelta(hours=3), source="rule")
    seg_a = Segment.objects.create(code="TKA", name_de="Schlüsselkunden", name_en="Key accounts", precedence=5)
    seg_b = Segment.objects.create(code="TMS", name_de="Mittelstand", name_en="Mid-market", precedence=6)
    data["segment"] = SegmentChange.objects.create(
        account=acc, from_segment=seg_b, to_segment=seg_a, source="override", reason="Konzernvertrag",
        changed_at=now - dt.timedelta(hours=2))
    data["first_segment"] = SegmentChange.objects.create(
        account=acc, from_segment=None, to_segment=seg_b, source="rule", changed_at=now - dt.timedelta(days=400))
    return data


def _entries(account, kind, lang):
    with translation.override(lang):
        return [e for e in timeline_for(account, kinds=[kind], limit=50)]


def test_phase_change_is_labelled_in_the_active_language(w):
    (en,) = _entries(w["account"], "phase", "en")
    assert (en["title"], en["detail"]) == ("Prospect → Won back", "Ordering again after 14 months · Rule")
    (de,) = _entries(w["account"], "phase", "de")
    assert (de["title"], de["detail"]) == ("Interessent → Zurückgewonnen", "Wieder bestellt nach 14 Monaten · Regel")


def test_segment_change_shows_codes_names_and_why(w):
    newest, first = _entries(w["account"], "segment", "en")
    assert newest["title"] == "TMS Mid-market → TKA Key accounts"
    assert newest["detail"] == "manual override: Konzernvertrag"
    assert first["title"] == "no segment → TMS Mid-market"
    de_newest, de_first = _entries(w["account"], "segment", "de")
    assert de_newest["title"] == "TMS Mittelstand → TKA Schlüsselkunden"
    assert de_first["title"] == "kein Kundensegment → TMS Mittelstand"


def test_service_order_uses_its_own_number_and_the_service_name(w):
    order = sources.service_order_create(code="quote_prep", account=w["account"], requester=w["rep"],
                                         note="Angebot Rahmenvertrag", source="call")
    (en,) = _entries(w["account"], "service_order", "en")
    assert en["title"] == f"SA-{order.pk:06d} · {order.service.name_en}"
    (de,) = _entries(w["account"], "service_order", "de")
    assert de["title"] == f"SA-{order.pk:06d} · {order.service.name_de}"


def test_str_of_phase_and_segment_changes_reads_as_text(w):
    with translation.override("en"):
        assert str(w["phase"]) == "Prospect → Won back"
    assert str(w["segment"]) == "TMS → TKA"
    assert str(w["first_segment"]) == "– → TMS"


def test_amounts_follow_the_page_language(w):
    order = OrderFactory(account=w["account"], number="A-77", date=dt.date.today() - dt.timedelta(days=5))
    add_line(order, revenue="12345.60", margin="100.00")
    QuoteFactory(account=w["account"], number="AN-9", amount=Decimal("1234567.80"),
                 date=dt.date.today() - dt.timedelta(days=3))
    (order_en,) = _entries(w["account"], "order", "en")
    (quote_en,) = _entries(w["account"], "quote", "en")
    assert (order_en["detail"], quote_en["detail"]) == ("12,345.60 €", "1,234,567.80 €")
    (order_de,) = _entries(w["account"], "order", "de")
    (quote_de,) = _entries(w["account"], "quote", "de")
    assert (order_de["detail"], quote_de["detail"]) == ("12.345,60 €", "1.234.567,80 €")


def test_alerts_come_from_the_alert_tasks(w):
    task = task_create(kind="alert", title="Bestellrückgang Müller", due_at=timezone.now(), account=w["account"],
                       team=w["team_a"], side="inside", reason="Umsatz -40 %", reason_en="Revenue -40 %",
                       source="monitoring")
    (alert,) = _entries(w["account"], "alert", "de")
    assert (alert["title"], alert["url"]) == ("Bestellrückgang Müller", reverse("planning:task-detail", args=[task.pk]))


def test_timeline_page_in_english_shows_the_labels_not_raw_codes(client, w):
    client.force_login(UserFactory(username="idl", role=Role.INSIDE_LEAD))
    resp = client.get(reverse("calls:timeline", args=[w["account"].pk]), {"kind": ["phase", "segment"]},
                      HTTP_ACCEPT_LANGUAGE="en")
    html = resp.content.decode()
    assert "Prospect → Won back" in html and "TMS Mid-market → TKA Key accounts" in html
    # no raw codes and no ``__str__`` ("<account id>: …"); times like "11:16" must not count as one
    assert "won_back" not in html and not re.search(rf"(?<![\d:]){w['account'].pk}:(?!\d)", html)
