"""What every contact learns (issue 20): needs, potential estimates as history, contacts with their buying-center
role - recorded through isf.customers.services, the owner notified, each on the account timeline; the segmentation
uses the latest estimate."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation

from isf.calls.tests.helpers import world
from isf.calls.timeline import timeline_for
from isf.customers.models import Contact, CustomerNeed, PotentialEstimate
from isf.customers.services import CaptureError, contact_capture, need_record, potential_record
from isf.customers.tests.factories import ProductGroupFactory
from isf.org.tests.factories import TeamFactory
from isf.segmentation.models import Segment
from isf.segmentation.services import segments_assign_accounts, segments_create_defaults
from isf.service.choices import NotificationKind
from isf.service.models import Notification

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 3, 10)


@pytest.fixture
def w(today_is):
    today_is(DAY)
    return world()


def test_a_need_is_recorded_the_owner_notified_and_it_is_on_the_timeline(w):
    group = ProductGroupFactory(code="DRL", name="Drucklufttechnik", name_en="Compressed air")
    need = need_record(account=w["account"], product_group=group, user=w["agent"], expected_volume="12.500",
                       timing="quarter", note="Neuer Kompressor für Halle 2")
    assert (need.expected_volume, need.timing, need.recorded_by) == (Decimal("12500.00"), "quarter", w["agent"])
    note = Notification.objects.get()
    assert (note.recipient, note.kind) == (w["rep"], NotificationKind.CUSTOMER_NEED)
    assert note.message == "Müller Metallbau GmbH: Drucklufttechnik · 12.500 €"
    with translation.override("en"):
        entries = [e for e in timeline_for(w["account"], kinds=["need"])]
    assert [e["title"] for e in entries] == ["Need: Compressed air · " + str(w["agent"])]
    assert "This quarter" in entries[0]["detail"]


def test_the_owner_recording_himself_gets_no_notification(w):
    group = ProductGroupFactory()
    need_record(account=w["account"], product_group=group, user=w["rep"])
    assert not Notification.objects.exists()


@pytest.mark.parametrize("value, message", [("-5", "cannot be below zero"), ("zwölf", "is not an amount"),
                                            ("1.500", "is not an amount")])
def test_a_bad_expected_volume_changes_nothing(w, value, message):
    group = ProductGroupFactory()
    with translation.override("en"), pytest.raises(CaptureError, match=message) as exc:
        need_record(account=w["account"], product_group=group, user=w["agent"], expected_volume=value)
    assert exc.value.field == "need_volume"
    assert not CustomerNeed.objects.exists() and not Notification.objects.exists()


def test_a_potential_below_zero_is_refused_and_nothing_changes(w):
    with translation.override("en"), pytest.raises(CaptureError, match="Potential cannot be below zero"):
        potential_record(account=w["account"], value=Decimal("-1"), user=w["agent"])
    w["account"].refresh_from_db()
    assert w["account"].potential == Decimal("80000")
    assert not PotentialEstimate.objects.exists() and not Notification.objects.exists()


def test_potential_estimates_are_history_and_the_latest_by_date_is_the_accounts(w):
    potential_record(account=w["account"], value="120.000", user=w["agent"], source="customer",
                     estimated_on=DAY - dt.timedelta(days=2), note="Einkäufer nennt Jahresbedarf")
    potential_record(account=w["account"], value=Decimal("95000"), user=w["agent"], source="research",
                     estimated_on=DAY - dt.timedelta(days=30))  # an older finding, recorded later
    w["account"].refresh_from_db()
    assert w["account"].potential == Decimal("120000.00")  # the latest by date, not the last recorded
    assert PotentialEstimate.objects.filter(account=w["account"]).count() == 2
    potential_record(account=w["account"], value=Decimal("300000"), user=w["agent"], estimated_on=DAY)
    w["account"].refresh_from_db()
    assert w["account"].potential == Decimal("300000.00")
    assert Notification.objects.filter(kind=NotificationKind.POTENTIAL, recipient=w["rep"]).count() == 3
    with translation.override("de"):
        titles = [e["title"] for e in timeline_for(w["account"], kinds=["potential"])]
    assert titles[0].startswith("Potenzial geschätzt auf 300.000 €")
    assert len(titles) == 3


def test_a_future_estimate_is_refused(w):
    with pytest.raises(CaptureError) as exc:
        potential_record(account=w["account"], value=1000, user=w["agent"], estimated_on=DAY + dt.timedelta(days=1))
    assert exc.value.field == "potential_date"


def test_segmentation_uses_the_latest_estimate(w):
    segments_create_defaults(teams={c: TeamFactory(code=f"{c}x") for c in ("KA", "MP", "SMB", "CDP")})
    account = w["account"]  # no orders: the potential alone decides (KA from 250.000 €, MP from 60.000 €)
    segments_assign_accounts(account_ids=[account.pk], today=DAY)
    account.refresh_from_db()
    assert account.segment.code == "MP"  # 80.000 €
    potential_record(account=account, value="260.000", user=w["agent"], estimated_on=DAY - dt.timedelta(days=1))
    segments_assign_accounts(account_ids=[account.pk], today=DAY)
    account.refresh_from_db()
    assert account.segment == Segment.objects.get(code="KA")
    potential_record(account=account, value="20.000", user=w["agent"], estimated_on=DAY)
    segments_assign_accounts(account_ids=[account.pk], today=DAY)
    account.refresh_from_db()
    assert account.segment.code == "SMB"


def test_a_new_contact_and_a_changed_role(w):
    contact, created = contact_capture(account=w["account"], user=w["agent"], first_name="Petra", last_name="Lang",
                                       function="Leiterin Instandhaltung", buying_role="decision_maker")
    assert created and contact.account == w["account"]
    changed, created = contact_capture(account=w["account"], user=w["agent"], contact=w["contact"],
                                       buying_role="influencer")
    assert not created and changed.buying_role == "influencer"
    assert Contact.objects.get(pk=w["contact"].pk).last_name == "Huber"  # only what was given changes
    kinds = list(Notification.objects.values_list("kind", flat=True))
    assert kinds == [NotificationKind.CUSTOMER_CONTACT] * 2
    with translation.override("en"):
        entries = timeline_for(w["account"], kinds=["contact"])
    titles = [e["title"] for e in entries]
    assert "Contact changed: Klaus Huber · " + str(w["agent"]) in titles
    assert "New contact: Petra Lang · " + str(w["agent"]) in titles
    assert any("Decision maker" in e["detail"] for e in entries)


def test_a_contact_without_a_name_or_a_bad_role_is_refused(w):
    with pytest.raises(CaptureError) as exc:
        contact_capture(account=w["account"], user=w["agent"], first_name="Petra")
    assert exc.value.field == "contact_last_name"
    with pytest.raises(CaptureError) as exc:
        contact_capture(account=w["account"], user=w["agent"], contact=w["contact"], buying_role="boss")
    assert exc.value.field == "contact_role"
    with pytest.raises(CaptureError):
        contact_capture(account=w["other"], user=w["agent"], contact=w["contact"], function="x")
    assert Contact.objects.count() == 1 and not Notification.objects.exists()
