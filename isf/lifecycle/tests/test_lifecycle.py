"""Lifecycle service: bulk update, recorded transitions, manual override with reason and its hold, rules, pages."""

import json
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone, translation

from isf.customers.models import Account
from isf.customers.tests.factories import AccountFactory, OrderFactory
from isf.lifecycle.models import LifecycleRules, PhaseChange
from isf.lifecycle.selectors import phase_changes_for
from isf.lifecycle.services import (
    LifecycleError,
    lifecycle_rules_update,
    lifecycle_set_phase,
    lifecycle_set_phase_bulk,
    lifecycle_update_all,
)
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 27)


@pytest.fixture(autouse=True)
def _clock_on_today(today_is):
    """Overrides and phase changes are stamped with the real clock: it stands on TODAY."""
    today_is(TODAY, tick=False)


def orders(account, *days_ago):
    for n in days_ago:
        OrderFactory(account=account, date=TODAY - timedelta(days=n))


def test_update_all_derives_phases_and_records_each_transition():
    new, active, lost, prospect = (AccountFactory() for _i in range(4))
    orders(new, 10)
    orders(active, 300, 200, 100, 20)
    orders(lost, 800, 400)
    result = lifecycle_update_all(today=TODAY)
    assert result["changed"] == 3
    assert result["transitions"] == {"active": 1, "lost": 1, "new": 1}
    assert result["phases"]["prospect"] == 1
    assert [Account.objects.get(pk=a.pk).phase for a in (new, active, lost, prospect)] == [
        "new", "active", "lost", "prospect"]
    change = PhaseChange.objects.get(account=new)
    assert (change.from_phase, change.to_phase, change.source, change.actor_id) == ("prospect", "new", "rule", None)
    assert change.reason == "Erste Bestellung am 17.11.2026"
    assert change.effective == date(2026, 11, 17)
    assert lifecycle_update_all(today=TODAY)["changed"] == 0
    # 90 days later the new customer is active
    result = lifecycle_update_all(today=TODAY + timedelta(days=90))
    assert result["transitions"].get("active") == 1
    assert [c.to_phase for c in phase_changes_for(new)] == ["active", "new"]


def test_manual_override_holds_until_the_next_order_and_is_in_the_history():
    account = AccountFactory()
    orders(account, 300, 200, 100, 20)
    lifecycle_update_all(today=TODAY)
    lead = UserFactory(role=Role.SALES_LEAD)
    change = lifecycle_set_phase(account=account, phase="lost", reason="Insolvenz", actor=lead)
    assert (change.from_phase, change.to_phase, change.source, change.actor_id) == ("active", "lost", "manual", lead.pk)
    result = lifecycle_update_all(today=TODAY)
    assert result["held"] == 1 and result["changed"] == 0
    assert Account.objects.get(pk=account.pk).phase == "lost"
    OrderFactory(account=account, date=TODAY + timedelta(days=1))
    lifecycle_update_all(today=TODAY + timedelta(days=2))
    latest = phase_changes_for(account).first()
    assert (latest.from_phase, latest.to_phase, latest.source) == ("lost", "won_back", "rule")
    assert [c.who for c in phase_changes_for(account)][1] == str(lead)


def test_monitoring_sets_at_risk_and_it_holds():
    account = AccountFactory()
    orders(account, 300, 200, 100, 20)
    lifecycle_update_all(today=TODAY)
    lifecycle_set_phase(account=account, phase="at_risk", reason="Umsatzeinbruch", source="monitoring")
    assert lifecycle_update_all(today=TODAY)["held"] == 1
    assert Account.objects.get(pk=account.pk).phase == "at_risk"


@pytest.mark.parametrize("phase, reason, field", [("gone", "x", "phase"), ("lost", "  ", "reason")])
def test_override_without_reason_or_with_unknown_phase_is_refused_and_changes_nothing(phase, reason, field):
    account = AccountFactory(phase="active")
    with pytest.raises(LifecycleError) as info:
        lifecycle_set_phase(account=account, phase=phase, reason=reason, actor=UserFactory())
    assert info.value.field == field
    assert Account.objects.get(pk=account.pk).phase == "active"
    assert not PhaseChange.objects.exists()


def test_rules_are_configurable_and_checked():
    lifecycle_rules_update(data={"new_days": 60})
    assert LifecycleRules.current().new_days == 60
    with pytest.raises(LifecycleError) as info, translation.override("en"):
        lifecycle_rules_update(data={"new_days": 30, "won_back_days": 400})
    assert info.value.field == "won_back_days"
    assert str(info.value) == "“won back becomes active after (days)” must be shorter than “lost: no order for (days)”."
    with pytest.raises(LifecycleError) as info, translation.override("de"):
        lifecycle_rules_update(data={"lost_days": 5})
    assert info.value.field == "lost_days"
    assert str(info.value) == "„verloren: keine Bestellung seit (Tagen)“ muss zwischen 30 und 1825 liegen."
    assert LifecycleRules.current().new_days == 60
    account = AccountFactory()
    orders(account, 70)
    lifecycle_update_all(today=TODAY)
    assert Account.objects.get(pk=account.pk).phase == "active"  # 70 days > 60


def test_command_prints_json():
    orders(AccountFactory(), 10)
    out = StringIO()
    call_command("lifecycle", "--json", "--date", TODAY.isoformat(), stdout=out, stderr=StringIO())
    data = json.loads(out.getvalue())
    assert (data["changed"], data["transitions"], data["date"]) == (1, {"new": 1}, "2026-11-27")


def test_lead_overrides_on_the_page_agent_may_not(client):
    from isf.org.tests.factories import TeamFactory

    team = TeamFactory()
    account = AccountFactory(phase="active", team=team)
    client.force_login(UserFactory(role=Role.INSIDE_AGENT, team=team))
    assert client.get(f"/lifecycle/accounts/{account.pk}/").status_code == 200
    assert client.post(f"/lifecycle/accounts/{account.pk}/", {"phase": "lost", "reason": "x"}).status_code == 403
    assert Account.objects.get(pk=account.pk).phase == "active"
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    client.post(f"/lifecycle/accounts/{account.pk}/", {"phase": "lost", "reason": ""})
    assert Account.objects.get(pk=account.pk).phase == "active"
    response = client.post(f"/lifecycle/accounts/{account.pk}/", {"phase": "lost", "reason": "Betrieb aufgegeben"},
                           follow=True)
    assert Account.objects.get(pk=account.pk).phase == "lost"
    assert "Betrieb aufgegeben" in response.content.decode()
    assert client.get("/lifecycle/").status_code == 200


def test_bulk_update_is_fast_enough_for_many_accounts():
    import time

    from isf.customers.models import Order

    accounts = Account.objects.bulk_create([Account(erp_number=f"B{i}", name=f"K{i}") for i in range(3000)])
    Order.objects.bulk_create([
        Order(number=f"O{i}-{k}", account=a, date=TODAY - timedelta(days=30 * k + i % 30))
        for i, a in enumerate(accounts) for k in range(3)
    ])
    started = time.perf_counter()
    result = lifecycle_update_all(today=TODAY)
    assert result["changed"] == 3000
    assert time.perf_counter() - started < 10
    assert timezone.now()


@pytest.mark.django_db
def test_set_phase_bulk_changes_only_accounts_in_the_allowed_phases_with_a_change_row_each():
    active, lost, new = AccountFactory(phase="active"), AccountFactory(phase="lost"), AccountFactory(phase="new")
    today = date(2026, 11, 27)
    changed = lifecycle_set_phase_bulk(
        reasons={a.pk: (f"überfällig {a.pk}", f"overdue {a.pk}") for a in (active, lost, new)},
        phase="at_risk", source="monitoring", only_from=("new", "active", "won_back"), today=today,
    )
    assert changed == 2
    assert {a.pk: a.phase for a in Account.objects.filter(pk__in=[active.pk, lost.pk, new.pk])} == {
        active.pk: "at_risk", lost.pk: "lost", new.pk: "at_risk"}
    rows = set(PhaseChange.objects.values_list("account_id", "from_phase", "to_phase", "source", "reason_en", "effective"))
    assert rows == {(active.pk, "active", "at_risk", "monitoring", f"overdue {active.pk}", today),
                    (new.pk, "new", "at_risk", "monitoring", f"overdue {new.pk}", today)}
    with pytest.raises(LifecycleError):
        lifecycle_set_phase_bulk(reasons={lost.pk: ("x", "x")}, phase="gone", source="monitoring", only_from=("lost",),
                                 today=today)
