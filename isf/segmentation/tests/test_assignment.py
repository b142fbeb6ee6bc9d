"""Rule evaluation, the `segment` command, team follow-up, overrides with expiry, recorded changes."""

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.core.management import call_command

from isf.customers.models import Account
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.segmentation.choices import ChangeSource
from isf.segmentation.models import Segment, SegmentChange, SegmentOverride
from isf.segmentation.selectors import segment_changes_for
from isf.segmentation.services import (
    SegmentError,
    segment_override_end,
    segment_override_set,
    segments_assign_all,
    segments_create_defaults,
)
from isf.segmentation.tests.helpers import TODAY, account_with_revenue

pytestmark = pytest.mark.django_db


@pytest.fixture
def teams():
    return {code: TeamFactory(code=code, name=f"Team {code}") for code in ("KA", "MP", "SMB", "CDP")}


@pytest.fixture
def defaults(teams):
    segments_create_defaults(teams=teams)
    return {s.code: s for s in Segment.objects.all()}


def seg(account) -> str | None:
    account.refresh_from_db()
    return account.segment.code if account.segment_id else None


def test_default_rules_assign_by_revenue_potential_and_type(defaults):
    cases = {
        "PRIV": account_with_revenue(150000, customer_type="b2c"),
        "KA": account_with_revenue(120000),
        "KA-by-potential": account_with_revenue(0, potential="300000"),
        "MP-at-threshold": account_with_revenue("25000.00"),
        "SMB-just-below": account_with_revenue("24999.99"),
        "C": account_with_revenue(1500, potential="1000"),
        "D": account_with_revenue(0, potential="1000"),
    }
    old_only = account_with_revenue(200000, day=TODAY - dt.timedelta(days=365))  # exactly 12 months ago: excluded
    result = segments_assign_all(today=TODAY)
    assert {k: seg(a) for k, a in cases.items()} == {
        "PRIV": "PRIV", "KA": "KA", "KA-by-potential": "KA", "MP-at-threshold": "MP", "SMB-just-below": "SMB",
        "C": "C", "D": "D",
    }
    assert seg(old_only) == "D"
    assert result["accounts"] == 8 and result["changed"] == 8
    assert result["per_segment"] == {"PRIV": 1, "KA": 2, "MP": 1, "SMB": 1, "C": 1, "D": 2}
    again = segments_assign_all(today=TODAY)
    assert again["changed"] == 0 and SegmentChange.objects.count() == 8


def test_change_records_rule_figures_and_time(defaults):
    account = account_with_revenue(120000, potential="50000")
    segments_assign_all(today=TODAY)
    change = segment_changes_for(account).get()
    assert change.from_segment is None and change.to_segment.code == "KA"
    assert change.source == ChangeSource.RULE and change.rule.segment.code == "KA"
    assert change.rule_snapshot["revenue_min"] == "100000.00" and change.rule_snapshot["customer_type"] == "b2b"
    assert change.revenue_12m == Decimal("120000.00") and change.potential == Decimal("50000.00")
    assert change.changed_by is None and change.changed_at.date() == TODAY


def test_revenue_drop_moves_the_account_and_is_recorded(defaults):
    account = account_with_revenue(30000, day=TODAY - dt.timedelta(days=200))
    segments_assign_all(today=TODAY)
    assert seg(account) == "MP"
    segments_assign_all(today=TODAY + dt.timedelta(days=200))  # the order is now older than 12 months
    assert seg(account) == "D"
    assert [(c.from_segment.code if c.from_segment else None, c.to_segment.code)
            for c in segment_changes_for(account)] == [("MP", "D"), (None, "MP")]


def test_team_follows_the_segment_unless_set_otherwise(defaults, teams):
    old = TODAY - dt.timedelta(days=340)
    follows = account_with_revenue(120000, day=old)
    own_team = TeamFactory(code="SPECIAL")
    keeps = account_with_revenue(120000, team=own_team, day=old)
    segments_assign_all(today=TODAY)
    follows.refresh_from_db()
    keeps.refresh_from_db()
    assert follows.team == teams["KA"] and keeps.team == own_team
    # a drop to D moves the team along only where it followed KA's team
    segments_assign_all(today=TODAY + dt.timedelta(days=60))
    follows.refresh_from_db()
    keeps.refresh_from_db()
    assert follows.segment.code == "D" and follows.team == teams["CDP"] and keeps.team == own_team


def test_override_with_expiry_falls_back_to_rules(defaults):
    vl = UserFactory(role=Role.SALES_LEAD)
    account = account_with_revenue(500)
    segments_assign_all(today=TODAY)
    assert seg(account) == "D"
    segment_override_set(account=account, segment=defaults["KA"], reason="Rahmenvertrag in Verhandlung",
                         valid_until=TODAY + dt.timedelta(days=10), actor=vl, today=TODAY)
    assert seg(account) == "KA"
    assert segments_assign_all(today=TODAY + dt.timedelta(days=10))["changed"] == 0
    assert seg(account) == "KA"
    result = segments_assign_all(today=TODAY + dt.timedelta(days=11))
    assert result["overrides_expired"] == 1 and seg(account) == "D"
    latest, by_hand = list(segment_changes_for(account))[:2]
    assert (latest.from_segment.code, latest.to_segment.code, latest.source) == ("KA", "D", ChangeSource.OVERRIDE_EXPIRED)
    assert (by_hand.source, by_hand.reason, by_hand.changed_by) == (ChangeSource.OVERRIDE, "Rahmenvertrag in Verhandlung", vl)
    assert SegmentOverride.objects.get().ended_at is not None


def test_ending_an_override_applies_rules_at_once(defaults):
    vl = UserFactory(role=Role.SALES_LEAD)
    account = account_with_revenue(6000)
    segment_override_set(account=account, segment=defaults["KA"], reason="Test", actor=vl, today=TODAY)
    assert segments_assign_all(today=TODAY)["changed"] == 0 and seg(account) == "KA"
    assert segment_override_end(account=account, actor=vl, today=TODAY) == 1
    assert seg(account) == "SMB"
    assert segment_changes_for(account).first().source == ChangeSource.OVERRIDE_ENDED


@pytest.mark.parametrize("role", [Role.INSIDE_AGENT, Role.MARKETING, Role.FIELD_REP, Role.INSIDE_LEAD])
def test_only_the_sales_lead_overrides(defaults, role):
    account = account_with_revenue(500)
    segments_assign_all(today=TODAY)
    with pytest.raises(SegmentError):
        segment_override_set(account=account, segment=defaults["KA"], reason="x", actor=UserFactory(role=role))
    assert seg(account) == "D" and not SegmentOverride.objects.exists() and SegmentChange.objects.count() == 1


def test_override_needs_reason_and_future_expiry(defaults):
    vl = UserFactory(role=Role.SALES_LEAD)
    account = account_with_revenue(500)
    with pytest.raises(SegmentError) as err:
        segment_override_set(account=account, segment=defaults["KA"], reason="  ", actor=vl)
    assert err.value.field == "reason"
    with pytest.raises(SegmentError) as err:
        segment_override_set(account=account, segment=defaults["KA"], reason="x", valid_until=TODAY, actor=vl,
                             today=TODAY)
    assert err.value.field == "valid_until"
    assert not SegmentOverride.objects.exists() and Account.objects.get(pk=account.pk).segment is None


def test_segment_command_json(defaults):
    account_with_revenue(120000)
    account_with_revenue(10)
    out = []
    call_command("segment", "--json", "--quiet", "--today", TODAY.isoformat(), stdout=_Writer(out))
    result = json.loads("".join(out))
    assert result["accounts"] == 2 and result["changed"] == 2
    assert result["per_segment"] == {"PRIV": 0, "KA": 1, "MP": 0, "SMB": 0, "C": 0, "D": 1}


class _Writer:
    def __init__(self, sink):
        self.sink = sink

    def write(self, text):
        self.sink.append(text)

    def flush(self):
        pass


def test_without_any_rule_the_run_takes_accounts_out_of_their_segment_on_every_database(teams):
    # no rule at all: the rule column is a typed NULL (PostgreSQL read an untyped one as text: "bigint = text")
    segment = Segment.objects.create(code="X", name_de="X", name_en="X", team=teams["KA"], precedence=1)
    account = account_with_revenue(5000)
    Account.objects.filter(pk=account.pk).update(segment=segment)
    result = segments_assign_all(today=TODAY)
    assert (result["accounts"], result["changed"], seg(account)) == (1, 1, None)
