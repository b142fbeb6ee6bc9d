"""The preview of a rule change: who would move, with revenue, potential and care workload; nothing kept;
the counts are what saving and applying then does. Through the service and the edit page."""

import datetime as dt
from collections import Counter
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.models import CareActivity, CareMatrix
from isf.segmentation.models import Segment, SegmentChange, SegmentRule
from isf.segmentation.preview import rule_change_preview
from isf.segmentation.services import SegmentError, segment_save, segments_assign_all, segments_create_defaults
from isf.segmentation.tests.helpers import TODAY

pytestmark = pytest.mark.django_db
BASE = ("revenue_min", "revenue_max", "potential_min", "potential_max", "customer_type")


def buyer(orders: int, value, *, potential="8000", phase="active"):
    account = AccountFactory(potential=Decimal(potential), phase=phase)
    for k in range(orders):
        made = OrderFactory(account=account, date=TODAY - dt.timedelta(days=5 + 25 * k))
        add_line(made, product=ProductFactory(), revenue=str(value), margin="0")
    return account


def rules_of(segment, *extra):
    return [{f: getattr(r, f) for f in BASE} for r in segment.rules.order_by("position")] + list(extra)


FREQUENT_SMALL = {"orders_min": Decimal("6"), "order_value_max": Decimal("800"), "customer_type": "b2b"}


@pytest.fixture
def world():
    segments_create_defaults(teams={})
    frequent = [buyer(8, 300), buyer(6, 700, potential="12000")]  # C by revenue (2,400 € and 4,200 €)
    few = buyer(3, 700)  # C, too few orders
    large = buyer(6, 900)  # 5,400 €: SMB by revenue already
    dormant = buyer(0, 0)  # D
    segments_assign_all(today=TODAY)
    segments = {s.code: s for s in Segment.objects.all()}
    # care matrices: C gets 1 care call a year, SMB 4 (both inside, by phone, for active accounts)
    for code, per_year in (("C", 1), ("SMB", 4)):
        matrix = CareMatrix.objects.create(segment=segments[code])
        CareActivity.objects.create(matrix=matrix, activity="care_call", title_de="Betreuungsanruf",
                                    frequency_per_year=per_year, phases="active", side="inside", channel="phone")
    return {"frequent": frequent, "few": few, "large": large, "dormant": dormant, "segments": segments}


def _state():
    return (sorted(Account.objects.values_list("pk", "segment_id")), SegmentChange.objects.count(),
            sorted(SegmentRule.objects.values_list("pk", "orders_min", "revenue_min")))


def test_preview_names_moves_and_keeps_nothing(world):
    smb = world["segments"]["SMB"]
    before = _state()
    preview = rule_change_preview(segment=smb, data={}, rules=rules_of(smb, FREQUENT_SMALL), today=TODAY)
    assert _state() == before
    assert [(c.source_key, c.target_key, c.accounts) for c in preview.cells] == [
        (world["segments"]["C"].pk, smb.pk, 2)]
    cell = preview.cells[0]
    assert cell.revenue_12m == Decimal(8 * 300 + 6 * 700)
    assert cell.potential == Decimal("8000") + Decimal("12000")
    # two active accounts: 1 call a year each in C, 4 each in SMB
    assert (cell.before.contacts, cell.after.contacts, cell.change.contacts) == (2, 8, 6)
    assert preview.change.hours == pytest.approx(cell.after.hours - cell.before.hours) and preview.change.hours > 0
    assert preview.pending_before == 0


def test_preview_counts_are_what_saving_does(world):
    smb = world["segments"]["SMB"]
    wider = {"orders_min": Decimal("3"), "order_value_max": Decimal("800"), "customer_type": "b2b"}
    preview = rule_change_preview(segment=smb, data={}, rules=rules_of(smb, wider), today=TODAY)
    predicted = Counter({(c.source_key, c.target_key): c.accounts for c in preview.cells})
    last = SegmentChange.objects.order_by("-pk").values_list("pk", flat=True).first()
    segment_save(segment=smb, data={}, rules=rules_of(smb, wider))
    segments_assign_all(today=TODAY)
    actual = Counter(SegmentChange.objects.filter(pk__gt=last).values_list("from_segment_id", "to_segment_id"))
    assert predicted == actual and sum(actual.values()) == 3
    moved = set(SegmentChange.objects.filter(pk__gt=last).values_list("account_id", flat=True))
    assert moved == {a.pk for a in world["frequent"]} | {world["few"].pk}


def test_a_refused_rule_is_refused_by_the_preview_too(world):
    smb = world["segments"]["SMB"]
    before = _state()
    with translation.override("en"), pytest.raises(SegmentError) as refused:
        rule_change_preview(segment=smb, data={}, rules=rules_of(smb, {"trend_min": Decimal("5"),
                                                                       "trend_max": Decimal("-5")}), today=TODAY)
    assert "revenue trend" in refused.value.message
    with translation.override("en"), pytest.raises(SegmentError) as unknown:
        rule_change_preview(segment=smb, data={}, rules=rules_of(smb, {"margin_min": Decimal("1")}), today=TODAY)
    assert "unknown criterion “margin_min”" in unknown.value.message
    assert _state() == before


def _post(world, extra_rule: dict, *, previewed=None, action="preview"):
    smb = world["segments"]["SMB"]
    rules = rules_of(smb, extra_rule)
    data = {"seg-code": "SMB", "seg-name_de": smb.name_de, "seg-name_en": smb.name_en, "seg-precedence": "30",
            "seg-care_budget": "350", "rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": 0,
            "rules-MIN_NUM_FORMS": 0, "rules-MAX_NUM_FORMS": 6, "action": action}
    for i, rule in enumerate(rules):
        for field, value in rule.items():
            data[f"rules-{i}-{field}"] = "" if value is None else str(value)
    if previewed:
        data["previewed"] = previewed
    return data


def test_the_edit_page_previews_then_saves_what_was_previewed(client, world):
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    url = reverse("segmentation:segment-edit", args=["SMB"])
    before = _state()
    response = client.post(url, _post(world, {"orders_min": "6", "order_value_max": "800", "customer_type": "b2b"}),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200 and _state() == before
    page = response.content.decode()
    assert 'data-testid="preview-result"' in page and "2 accounts would change segment" in page
    assert "6,600 €" in page and "+6 contacts a year" in page
    digest = response.context["digest"]
    # "save" with other values than previewed: previewed again, nothing saved
    changed = client.post(url, _post(world, {"orders_min": "3", "order_value_max": "800", "customer_type": "b2b"},
                                     previewed=digest, action="save"), HTTP_ACCEPT_LANGUAGE="en")
    assert changed.status_code == 200 and _state() == before and "3 accounts would change" in changed.content.decode()
    saved = client.post(url, _post(world, {"orders_min": "6", "order_value_max": "800", "customer_type": "b2b"},
                                   previewed=digest, action="save"), follow=True, HTTP_ACCEPT_LANGUAGE="en")
    assert saved.redirect_chain[-1][0] == reverse("segmentation:rules")
    assert "2 accounts changed segment" in saved.content.decode()
    assert {a.pk: a.segment.code for a in Account.objects.select_related("segment")
            .filter(pk__in=[a.pk for a in world["frequent"]])} == {a.pk: "SMB" for a in world["frequent"]}


def test_negative_threshold_on_the_page_is_named_and_nothing_changes(client, world):
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    before = _state()
    response = client.post(reverse("segmentation:segment-edit", args=["SMB"]),
                           _post(world, {"orders_min": "-3", "customer_type": "b2b"}), HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 200 and _state() == before
    page = response.content.decode()
    assert "Bestellungen im Jahr: Die Untergrenze darf nicht negativ sein." in page
    assert 'data-testid="preview-result"' not in page
