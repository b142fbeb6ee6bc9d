"""Pages: who may see and edit what; editing rules in the app; conflicts refused with nothing saved."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, TeamFactory, UserFactory
from isf.segmentation.models import Segment, SegmentOverride, SegmentRule
from isf.segmentation.services import segments_assign_all, segments_create_defaults
from isf.segmentation.tests.helpers import account_with_revenue

pytestmark = pytest.mark.django_db


@pytest.fixture
def defaults():
    segments_create_defaults(teams={c: TeamFactory(code=c) for c in ("KA", "MP", "SMB", "CDP")})
    return {s.code: s for s in Segment.objects.all()}


def login(client, role, **extra):
    user = UserFactory(role=role, **extra)
    client.force_login(user)
    return user


def edit_payload(segment: Segment, rules: list[tuple], **changes) -> dict:
    data = {"seg-code": segment.code, "seg-name_de": segment.name_de, "seg-name_en": segment.name_en,
            "seg-precedence": segment.precedence, "seg-care_budget": segment.care_budget,
            "seg-team": segment.team_id or "", "seg-criteria": segment.criteria,
            "seg-particularities": segment.particularities,
            "rules-TOTAL_FORMS": len(rules), "rules-INITIAL_FORMS": 0, "rules-MIN_NUM_FORMS": 0,
            "rules-MAX_NUM_FORMS": 6}
    data.update({f"seg-{k}": v for k, v in changes.items()})
    for i, (rmin, rmax, pmin, pmax, ctype) in enumerate(rules):
        data.update({f"rules-{i}-revenue_min": rmin, f"rules-{i}-revenue_max": rmax, f"rules-{i}-potential_min": pmin,
                     f"rules-{i}-potential_max": pmax, f"rules-{i}-customer_type": ctype})
    return data


def test_sales_lead_edits_thresholds_and_history_records_it(client, defaults):
    login(client, Role.SALES_LEAD)
    mp = defaults["MP"]
    url = reverse("segmentation:segment-edit", args=["MP"])
    assert client.get(url).status_code == 200
    payload = edit_payload(mp, [("30000", "", "", "", "b2b"), ("", "", "70000", "", "b2b")], care_budget="950")
    preview = client.post(url, {**payload, "action": "preview"})  # first what it does, nothing saved
    assert preview.status_code == 200 and 'data-testid="preview-result"' in preview.content.decode()
    mp.refresh_from_db()
    assert mp.care_budget == Decimal("900.00")
    response = client.post(url, {**payload, "action": "save", "previewed": preview.context["digest"]})
    assert response.status_code == 302
    mp.refresh_from_db()
    assert mp.care_budget == Decimal("950.00")
    assert list(mp.rules.values_list("revenue_min", "potential_min")) == [(Decimal("30000.00"), None),
                                                                           (None, Decimal("70000.00"))]
    assert mp.history.count() == 2 and SegmentRule.history.filter(segment_id=mp.pk).count() >= 4


def test_overlapping_rule_is_refused_with_the_conflict_named_and_nothing_saved(client, defaults):
    login(client, Role.SALES_LEAD)
    mp = defaults["MP"]
    before = list(mp.rules.values_list("revenue_min", "revenue_max", "potential_min"))
    # same precedence as KA and an overlapping revenue range
    response = client.post(reverse("segmentation:segment-edit", args=["MP"]),
                           edit_payload(mp, [("25000", "", "", "", "b2b")], precedence="10", care_budget="1"),
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Segments KA and MP have the same precedence 10" in text
    mp.refresh_from_db()
    assert (mp.precedence, mp.care_budget) == (20, Decimal("900.00"))
    assert list(mp.rules.values_list("revenue_min", "revenue_max", "potential_min")) == before


def test_min_above_max_is_refused_naming_the_field(client, defaults):
    login(client, Role.SALES_LEAD)
    smb = defaults["SMB"]
    response = client.post(reverse("segmentation:segment-edit", args=["SMB"]),
                           edit_payload(smb, [("9000", "5000", "", "", "b2b")]), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "revenue 12 months: “from” (9,000 €) must be below “below” (5,000 €)." in response.content.decode()
    assert smb.rules.count() == 2


@pytest.mark.parametrize("role", [Role.INSIDE_AGENT, Role.MARKETING, Role.FIELD_REP, Role.INSIDE_LEAD])
def test_other_roles_cannot_edit_segments(client, defaults, role):
    login(client, role)
    ka = defaults["KA"]
    url = reverse("segmentation:segment-edit", args=["KA"])
    assert client.get(url).status_code == 403
    assert client.post(url, edit_payload(ka, [("1", "", "", "", "b2b")], care_budget="1")).status_code == 403
    assert client.post(reverse("segmentation:reassign")).status_code == 403
    ka.refresh_from_db()
    assert ka.care_budget == Decimal("2500.00") and ka.rules.count() == 2 and ka.history.count() == 1


@pytest.mark.parametrize("role,status", [(Role.SALES_LEAD, 200), (Role.INSIDE_LEAD, 200), (Role.INSIDE_AGENT, 403),
                                         (Role.MARKETING, 403), (Role.FIELD_REP, 403)])
def test_kpi_and_rules_pages_for_leads(client, defaults, role, status):
    login(client, role)
    assert client.get(reverse("segmentation:kpis")).status_code == status
    assert client.get(reverse("segmentation:rules")).status_code == status
    assert client.get(reverse("segmentation:abc")).status_code == status


def test_abc_apply_writes_revenue_thresholds(client, defaults):
    login(client, Role.SALES_LEAD)
    for revenue in (50000, 30000, 10000, 5000, 3000, 2000):
        account_with_revenue(revenue)
    page = client.get(reverse("segmentation:abc"))
    assert page.context["proposal"].threshold_a == Decimal("30000.00")
    response = client.post(reverse("segmentation:abc"), {"threshold_a": "120000", "threshold_b": "30000",
                                                         "segment_a": defaults["KA"].pk, "segment_b": defaults["MP"].pk})
    assert response.status_code == 302
    assert defaults["KA"].rules.get(position=1).revenue_min == Decimal("120000.00")
    mp_rule = defaults["MP"].rules.get(position=1)
    assert (mp_rule.revenue_min, mp_rule.revenue_max) == (Decimal("30000.00"), Decimal("120000.00"))


def test_portfolio_shows_field_rep_only_his_accounts(client, defaults):
    rep = login(client, Role.FIELD_REP, region=RegionFactory(code="R-X"))
    mine = account_with_revenue(100, potential="90000", owner=rep, name="Eigener Kunde")
    account_with_revenue(100, potential="90000", name="Fremder Kunde")
    account_with_revenue(40000, potential="50000", owner=rep, name="Gut versorgt")
    segments_assign_all()
    response = client.get(reverse("segmentation:portfolio"), {"max_sow": "20", "factor": "1,0"})
    assert response.status_code == 200
    assert [a.pk for a in response.context["page"]] == [mine.pk]
    assert {p["id"] for p in response.context["points"]["points"]} <= {mine.pk, mine.pk + 2}
    assert "Fremder Kunde" not in response.content.decode()


def test_override_through_the_account_history_page(client, defaults):
    login(client, Role.SALES_LEAD)
    account = account_with_revenue(500)
    segments_assign_all()
    url = reverse("segmentation:account-history", args=[account.pk])
    until = (dt.date.today() + dt.timedelta(days=30)).isoformat()
    response = client.post(url, {"action": "set", "segment": defaults["KA"].pk, "reason": "Konzernumstellung",
                                 "valid_until": until})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Konzernumstellung" in page and SegmentOverride.objects.get().segment.code == "KA"


def test_agent_cannot_override_on_the_history_page(client, defaults):
    team = TeamFactory(code="CDP")
    login(client, Role.INSIDE_AGENT, team=team)
    account = account_with_revenue(500, team=team)
    segments_assign_all()
    url = reverse("segmentation:account-history", args=[account.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "set", "segment": defaults["KA"].pk, "reason": "x"}).status_code == 403
    account.refresh_from_db()
    assert account.segment.code == "D" and not SegmentOverride.objects.exists()


def test_find_account_by_customer_number(client, defaults):
    login(client, Role.SALES_LEAD)
    account = account_with_revenue(500, erp_number="4711")
    response = client.get(reverse("segmentation:account-find"), {"number": "4711"})
    assert response.status_code == 302 and response.url == reverse("segmentation:account-history", args=[account.pk])
    assert client.get(reverse("segmentation:account-find"), {"number": "0000"}).url == reverse("segmentation:rules")
