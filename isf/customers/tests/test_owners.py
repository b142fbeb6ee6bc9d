"""Account owners (issue 20): an inside team can own accounts, the owner rules place new and re-segmented accounts
(imports and the nightly run alike), what goes to "the owner" reaches the owning team's lead, the sales lead moves
accounts in bulk after a preview, and a lead from an existing customer goes to its owner."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import translation

from isf.customers import owners
from isf.customers.models import Account, OwnerChange, OwnerRule
from isf.customers.owners import Selection
from isf.customers.services import (
    OwnerError,
    accounts_place_owners,
    owner_rule_save,
    owners_reassign,
)
from isf.customers.tests.factories import AccountFactory, ContactFactory, OrderFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import TEST_PASSWORD, RegionFactory, TeamFactory, UserFactory
from isf.planning.models import Task
from isf.segmentation.models import Segment

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 7)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def org():
    north, south = RegionFactory(code="N", name="Nord"), RegionFactory(code="S", name="Süd")
    channel = TeamFactory(code="CDP", name="C/D/Privatkunden-Kanal")
    empty = TeamFactory(code="EMPTY", name="Team ohne Leute")
    people = {
        "vl": UserFactory(username="vl", role=Role.SALES_LEAD),
        "idl": UserFactory(username="idl", first_name="Claudia", last_name="Seidl", role=Role.INSIDE_LEAD),
        "rep_n": UserFactory(username="ad1", first_name="Thomas", last_name="Huber", role=Role.FIELD_REP,
                             region=north),
        "rep_s": UserFactory(username="ad2", first_name="Sabine", last_name="Roth", role=Role.FIELD_REP,
                             region=south),
        "agent": UserFactory(username="id9", role=Role.INSIDE_AGENT, team=channel),
        "other_agent": UserFactory(username="id1", role=Role.INSIDE_AGENT, team=TeamFactory(code="KA")),
    }
    segments = {code: Segment.objects.create(code=code, name_de=code, name_en=code, precedence=p, team=channel
                                             if code in ("C", "D") else None)
                for code, p in (("KA", 10), ("C", 40), ("D", 50))}
    return {"north": north, "south": south, "channel": channel, "empty": empty, **people, "seg": segments}


# -- the rule table ------------------------------------------------------------------------------------------------

def test_the_rule_of_segment_and_region_comes_before_the_segment_rule_before_the_region_rep():
    table = {(1, 10): (None, 7), (1, None): (5, None), (2, None): (None, 8)}
    reps = {10: 100, 20: 200}
    assert owners.owner_by_rules(1, 10, table=table, reps=reps) == (None, 7)  # segment and region
    assert owners.owner_by_rules(1, 20, table=table, reps=reps) == (5, None)  # the segment's rule, every region
    assert owners.owner_by_rules(2, 20, table=table, reps=reps) == (None, 8)
    assert owners.owner_by_rules(3, 20, table=table, reps=reps) == (200, None)  # no rule: the region's rep
    assert owners.owner_by_rules(None, None, table=table, reps=reps) == (None, None)


def test_placing_by_the_rules_writes_owner_team_and_history(org):
    owner_rule_save(segment=org["seg"]["C"], team=org["channel"])
    c_north = AccountFactory(segment=org["seg"]["C"], region=org["north"], owner=org["rep_n"])
    ka_south = AccountFactory(segment=org["seg"]["KA"], region=org["south"])
    result = accounts_place_owners(account_ids=[c_north.pk, ka_south.pk], source="rule", today=TODAY)
    assert result == {"changed": 2, "to_reps": 1, "to_teams": 1}
    c_north.refresh_from_db()
    ka_south.refresh_from_db()
    assert (c_north.owner, c_north.owner_team, c_north.team) == (None, org["channel"], org["channel"])
    assert (ka_south.owner, ka_south.owner_team) == (org["rep_s"], None)
    change = OwnerChange.objects.get(account=c_north)
    assert (change.from_owner, change.to_team, change.source) == (org["rep_n"], org["channel"], "rule")
    # placing again changes nothing
    assert accounts_place_owners(account_ids=[c_north.pk, ka_south.pk], source="rule")["changed"] == 0


def test_by_default_the_c_d_and_private_segments_are_owned_by_their_inside_team(org):
    from isf.customers.services import owner_rules_create_defaults

    Segment.objects.create(code="PRIV", name_de="Privat", name_en="Private", precedence=5, team=org["empty"])
    created = owner_rules_create_defaults()
    assert sorted((r.segment.code, r.region, r.team) for r in created) == [
        ("C", None, org["channel"]), ("D", None, org["channel"])]  # PRIV's team has no agents: no rule
    assert owner_rules_create_defaults() == []  # existing rules stay


# -- ownership by an inside team: approvals, notifications, rights ---------------------------------------------------

def test_approvals_of_an_account_owned_by_an_inside_team_reach_the_team_lead(org):
    from isf.service import services
    from isf.service.errors import ServiceOrderError

    account = AccountFactory(segment=org["seg"]["C"], owner_team=org["channel"], team=org["channel"])
    decision = services.approval_request_create(account=account, requested_by=org["agent"], kind="discount",
                                                value=8, reason="Wettbewerbsangebot")
    assert (decision.status, decision.approver) == ("pending", org["idl"])
    task = Task.objects.get(kind="approval")
    assert (task.assignee, task.side) == (org["idl"], "inside")
    assert "(lead of the inside team that owns the account)" in services.pending_approval_text(decision)
    with pytest.raises(ServiceOrderError, match="can decide"):
        services.approval_decide(decision=decision, user=org["agent"], approve=True)
    services.approval_decide(decision=decision, user=org["idl"], approve=True, note="einmalig")
    decision.refresh_from_db()
    assert decision.status == "approved"
    # a field rep's account still asks its rep
    rep_account = AccountFactory(segment=org["seg"]["KA"], owner=org["rep_n"])
    other = services.approval_request_create(account=rep_account, requested_by=org["agent"], kind="discount", value=8)
    assert other.approver == org["rep_n"]


def test_notices_and_rights_of_the_owner_go_to_the_owning_team(org):
    from isf.campaigns.services.accounts import company_change_record
    from isf.customers.selectors import account_visible_to, accounts_visible_to

    account = AccountFactory(segment=org["seg"]["KA"], owner_team=org["channel"])  # a team outside its segment's
    company_change_record(account=account, kind="growth", note="Neue Halle", user=org["vl"])
    task = Task.objects.get(kind="potential_review", account=account)
    assert (task.assignee, task.side) == (org["idl"], "inside")
    assert owners.is_owner(org["idl"], account) and not owners.is_owner(org["rep_n"], account)
    # the owning team's agents reach the account (the scope rule, once for lists and single accounts)
    assert account in accounts_visible_to(org["agent"]) and account_visible_to(org["agent"], account)
    assert account not in accounts_visible_to(org["other_agent"])
    assert not account_visible_to(org["other_agent"], Account.objects.select_related("segment").get(pk=account.pk))


# -- the nightly run and imports read the same rules -----------------------------------------------------------------

def test_the_nightly_run_places_orphans_and_re_segmented_accounts_and_keeps_a_chosen_owner(org, today_is):
    from isf.segmentation.models import SegmentRule
    from isf.segmentation.nightly import run

    today_is(TODAY)
    seg = org["seg"]
    SegmentRule.objects.create(segment=seg["KA"], position=1, potential_min=Decimal("250000"), customer_type="b2b")
    SegmentRule.objects.create(segment=seg["C"], position=1, potential_min=Decimal("20000"), customer_type="b2b")
    SegmentRule.objects.create(segment=seg["D"], position=1, customer_type="b2b")
    owner_rule_save(segment=seg["D"], team=org["channel"])
    orphan = AccountFactory(region=org["north"], potential=Decimal("500"))  # -> D, no owner yet
    shrunk = AccountFactory(region=org["north"], segment=seg["KA"], owner=org["rep_n"], potential=Decimal("900"))
    chosen = AccountFactory(region=org["north"], segment=seg["KA"], owner=org["rep_s"], potential=Decimal("400000"))
    result = run(today=TODAY, progress=lambda msg: None)
    assert result["owners_placed"] == 2
    for account in (orphan, shrunk, chosen):
        account.refresh_from_db()
    assert (orphan.segment, orphan.owner_team, orphan.owner) == (seg["D"], org["channel"], None)
    assert (shrunk.segment, shrunk.owner_team, shrunk.owner) == (seg["D"], org["channel"], None)
    assert (chosen.segment, chosen.owner) == (seg["KA"], org["rep_s"])  # the VL's choice stays: no segment change
    assert OwnerChange.objects.filter(source="rule").count() == 2


def test_imported_accounts_are_placed_by_the_owner_rules(org, tmp_path):
    from isf.imports.tests.test_back_office import GOOD, run_import, write
    from isf.segmentation.services import segments_create_defaults

    teams = {code: TeamFactory(code=code) for code in ("KA", "MP", "SMB")} | {"CDP": org["channel"]}
    Segment.objects.all().delete()
    segments_create_defaults(teams=teams)
    region = RegionFactory(code="M", postcode_prefixes="80")
    rep = UserFactory(role=Role.FIELD_REP, region=region)
    owner_rule_save(segment=Segment.objects.get(code="D"), team=org["channel"])
    with translation.override("de"):
        result = run_import("accounts", write(tmp_path, "konten.csv", GOOD))
        summary = result.summary()
    placed = {a.erp_number: (a.segment.code, a.owner_id, a.owner_team_id) for a in Account.objects.all()}
    assert placed == {"20001": ("KA", rep.pk, None), "20002": ("D", None, org["channel"].pk)}
    assert result.placed["owner_teams"] == 1 and result.placed["owners"] == 1
    assert "1 mit einem Innendienst-Team als Betreuer" in summary
    assert OwnerChange.objects.filter(source="import").count() == 2


# -- bulk re-assignment --------------------------------------------------------------------------------------------

@pytest.fixture
def north_c(org, today_is):
    """Three C accounts in the north owned by the rep, with revenue inside and outside the last 12 months."""
    today_is(TODAY)
    accounts = [AccountFactory(name=f"Kunde {i}", segment=org["seg"]["C"], region=org["north"], owner=org["rep_n"],
                               potential=Decimal(p)) for i, p in enumerate(("12000", "8000", "3000.50"))]
    add_line(OrderFactory(account=accounts[0], date=TODAY - timedelta(days=30)), revenue="1500.00", margin="300.00")
    add_line(OrderFactory(account=accounts[1], date=TODAY - timedelta(days=200)), revenue="700.25", margin="100.00")
    add_line(OrderFactory(account=accounts[1], date=TODAY - timedelta(days=400)), revenue="9999.00", margin="1.00")
    AccountFactory(segment=org["seg"]["C"], region=org["south"], owner=org["rep_s"])  # another region: stays
    return accounts


def test_reassignment_preview_shows_what_moves(org, north_c):
    preview = owners.reassignment_preview(Selection(segment=org["seg"]["C"], region=org["north"]),
                                          to_team=org["channel"], today=TODAY)
    assert preview["count"] == 3
    assert preview["potential"] == Decimal("23000.50")
    assert preview["revenue"] == Decimal("2200.25")  # 1.500 + 700,25; the line of 400 days ago is outside
    assert [a.name for a in preview["rows"]] == ["Kunde 0", "Kunde 1", "Kunde 2"]  # by potential
    assert [a.revenue_12m for a in preview["rows"]] == [Decimal("1500.00"), Decimal("700.25"), Decimal(0)]
    assert preview["from_owners"] == [(str(org["rep_n"]), 3)]


def test_reassignment_confirmed_moves_each_account_with_history_and_timeline(org, north_c):
    from isf.calls.timeline import timeline_for

    result = owners_reassign(Selection(segment=org["seg"]["C"], region=org["north"]), to_team=org["channel"],
                             actor=org["vl"], expected=3, reason="Neuer Gebietsplan ab Januar", as_rule=True,
                             today=TODAY)
    assert result["changed"] == 3
    assert set(Account.objects.filter(owner_team=org["channel"]).values_list("pk", flat=True)) == {
        a.pk for a in north_c}
    assert Account.objects.filter(region=org["south"], owner=org["rep_s"]).count() == 1
    changes = OwnerChange.objects.filter(source="reassign")
    assert changes.count() == 3
    assert {(c.from_owner_id, c.to_team_id, c.reason, c.changed_by_id) for c in changes} == {
        (org["rep_n"].pk, org["channel"].pk, "Neuer Gebietsplan ab Januar", org["vl"].pk)}
    rule = OwnerRule.objects.get()
    assert (rule.segment, rule.region, rule.team) == (org["seg"]["C"], org["north"], org["channel"])
    entry = timeline_for(north_c[0], kinds=["owner"])[0]
    assert entry["title"] == f"Owner: {org['rep_n']} → C/D/Privatkunden-Kanal (inside team)"
    assert "Neuer Gebietsplan ab Januar" in entry["detail"] and str(org["vl"]) in entry["detail"]
    # moving them back to a field rep returns them to their segment's serving team
    Segment.objects.filter(code="C").update(team=org["empty"])
    owners_reassign(Selection(from_team=org["channel"]), to_owner=org["rep_n"], actor=org["vl"], today=TODAY)
    north_c[0].refresh_from_db()
    assert (north_c[0].owner, north_c[0].owner_team, north_c[0].team) == (org["rep_n"], None, org["empty"])


@pytest.mark.parametrize("case", ["no_agents", "same_owner", "empty_selection", "nothing_matches", "already",
                                  "no_target", "stale_count", "rule_needs_segment", "not_a_rep"])
def test_a_refused_reassignment_names_why_and_changes_nothing(org, north_c, case):
    c, north = org["seg"]["C"], org["north"]
    args = {
        "no_agents": (Selection(segment=c), {"to_team": org["empty"]}, "has no agents"),
        "same_owner": (Selection(from_owner=org["rep_n"]), {"to_owner": org["rep_n"]}, "are the same"),
        "empty_selection": (Selection(), {"to_team": org["channel"]}, "Choose a segment, a region or a current owner"),
        "nothing_matches": (Selection(segment=org["seg"]["D"]), {"to_team": org["channel"]}, "No account matches"),
        "already": (Selection(segment=c, region=north), {"to_owner": org["rep_n"]}, "already belongs to"),
        "no_target": (Selection(segment=c), {}, "Choose the new owner"),
        "stale_count": (Selection(segment=c, region=north), {"to_team": org["channel"], "expected": 2},
                        "has changed since the preview"),
        "rule_needs_segment": (Selection(region=north), {"to_team": org["channel"], "as_rule": True},
                               "Only a selection by segment"),
        "not_a_rep": (Selection(segment=c), {"to_owner": org["agent"]}, "is not an active field rep"),
    }
    selection, kwargs, message = args[case]
    before = list(Account.objects.order_by("pk").values_list("owner_id", "owner_team_id", "team_id"))
    with pytest.raises(OwnerError, match=message):
        owners_reassign(selection, actor=org["vl"], today=TODAY, **kwargs)
    assert list(Account.objects.order_by("pk").values_list("owner_id", "owner_team_id", "team_id")) == before
    assert not OwnerChange.objects.exists() and not OwnerRule.objects.exists()


# -- the page ------------------------------------------------------------------------------------------------------

def _login(client, user):
    client.login(username=user.username, password=TEST_PASSWORD)


def test_the_page_previews_and_the_sales_lead_confirms(client, org, north_c):
    _login(client, org["vl"])
    query = {"segment": org["seg"]["C"].pk, "region": org["north"].pk, "to": f"team-{org['channel'].pk}"}
    with translation.override("de"):
        page = client.get(reverse("customers:owners"), query, HTTP_ACCEPT_LANGUAGE="de")
    text = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="reassign-preview"' in text and "2.200 €" in text and "23.001 €" in text
    assert 'name="expected" value="3"' in text
    response = client.post(reverse("customers:owner-reassign"), {**query, "expected": "3", "reason": "Gebietsplan"})
    assert response.status_code == 302
    assert Account.objects.filter(owner_team=org["channel"]).count() == 3


def test_the_page_refuses_bad_input_with_a_message(client, org, north_c):
    _login(client, org["vl"])
    page = client.get(reverse("customers:owners"), {"segment": "x1", "to": "team-abc"})
    text = page.content.decode()
    assert page.status_code == 200 and "„x1“ ignoriert" in text and "„team-abc“ ignoriert" in text
    assert 'data-testid="reassign-preview"' not in text and 'data-testid="reassign-error"' not in text
    page = client.get(reverse("customers:owners"), {"segment": org["seg"]["C"].pk, "to": f"team-{org['empty'].pk}"})
    assert "hat keine Mitarbeiter" in page.content.decode()
    response = client.post(reverse("customers:owner-reassign"), {"segment": org["seg"]["C"].pk, "to": "rep-\x00"},
                           follow=True)
    assert response.status_code == 200 and "ist kein gültiger Wert" in response.content.decode()
    assert not OwnerChange.objects.exists()


def test_only_the_sales_lead_changes_owners(client, org, north_c):
    query = {"segment": org["seg"]["C"].pk, "to": f"team-{org['channel'].pk}", "expected": "4"}
    _login(client, org["idl"])
    assert client.get(reverse("customers:owners"), query).status_code == 200  # the IDL reads and previews
    assert client.post(reverse("customers:owner-reassign"), query).status_code == 403
    _login(client, org["rep_n"])
    assert client.get(reverse("customers:owners")).status_code == 403
    assert not OwnerChange.objects.exists()


def test_rules_are_saved_and_removed_on_the_page(client, org):
    _login(client, org["vl"])
    client.post(reverse("customers:owner-rule-save"), {"segment": org["seg"]["D"].pk, "to": f"team-{org['channel'].pk}"})
    rule = OwnerRule.objects.get()
    assert (rule.segment, rule.region, rule.team) == (org["seg"]["D"], None, org["channel"])
    response = client.post(reverse("customers:owner-rule-save"),
                           {"segment": org["seg"]["D"].pk, "to": f"team-{org['empty'].pk}"}, follow=True)
    assert "hat keine Mitarbeiter" in response.content.decode() and OwnerRule.objects.get().team == org["channel"]
    client.post(reverse("customers:owner-rule-delete", args=[rule.pk]))
    assert not OwnerRule.objects.exists()


# -- a lead from an existing customer ------------------------------------------------------------------------------

def test_a_lead_from_an_existing_customer_goes_to_its_owner_not_the_routing(org):
    from isf.campaigns.choices import LeadSource
    from isf.campaigns.services.leads import lead_create

    now = datetime(2026, 11, 27, 10, 0, tzinfo=ZoneInfo("Europe/Berlin"))
    team_owned = AccountFactory(name="Huber Haustechnik", segment=org["seg"]["C"], owner_team=org["channel"],
                                team=org["channel"])
    ContactFactory(account=team_owned, email="einkauf@huber-haustechnik.de")
    lead = lead_create(data={"company": "Huber Haustechnik", "email": "chef@huber-haustechnik.de",
                             "potential": "300000", "employee_band": "250-999"},
                       source=LeadSource.WEB_FORM, now=now).lead
    assert (lead.assigned_to, lead.team) == (org["idl"], org["channel"])
    task = Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup")
    assert (task.team, task.assignee, task.side, task.account) == (org["channel"], None, "inside", team_owned)
    rep_owned = AccountFactory(name="Roth Metall", postcode="80331", owner=org["rep_n"])
    lead = lead_create(data={"company": "Roth Metall", "postcode": "80331", "phone": "089 5550100"},
                       source=LeadSource.API, now=now).lead
    task = Task.objects.get(dedupe_key=f"lead:{lead.pk}:followup")
    assert (lead.assigned_to, task.assignee, task.side, task.account) == (org["rep_n"], org["rep_n"], "field",
                                                                         rep_owned)
