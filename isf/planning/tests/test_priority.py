"""Ranked work: every factor moves the rank the way its reason says; the SLA bands come first; the queue, the
order list, the API and take-next order by the one priority. The clock: Tuesday 24 Nov 2026, 10:00 in Berlin."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning import priority
from isf.planning.models import KindWeight, Task
from isf.planning.services import TaskError, kind_weights_set, task_create
from isf.planning.tests.helpers import RANKING_NOW, at, make_segment, smb_team

pytestmark = pytest.mark.django_db
NOW = RANKING_NOW


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    team = smb_team()
    segments = {code: make_segment(code=code, budget=budget, team=team, precedence=i)
                for i, (code, budget) in enumerate([("KA", 2500), ("MP", 1000), ("SMB", 350), ("C", 100), ("D", 30)])}
    return {"team": team, "segments": segments,
            "agent": UserFactory(username="id1", role=Role.INSIDE_AGENT, team=team),
            "idl": UserFactory(username="idl", role=Role.INSIDE_LEAD)}


def account(world, segment=None, potential=0):
    return AccountFactory(segment=world["segments"].get(segment), potential=Decimal(potential), team=world["team"])


def task(world, kind="care_call", due=None, acc=None, **extra):
    return task_create(kind=kind, title=f"{kind} {acc.name if acc else ''}", due_at=due or at(0), team=world["team"],
                       account=acc, **extra)


def reasons(t, language="en"):
    t.refresh_from_db()
    with translation.override(language):
        return t.priority_reason_texts


def test_the_customers_value_raises_the_rank_and_says_why(world):
    key = task(world, acc=account(world, "KA", 50_000))
    mid = task(world, acc=account(world, "MP", 0))
    small = task(world, acc=account(world, "C", 50_000))
    big = task(world, acc=account(world, "C", 1_000_000))
    nobody = task(world)
    # KA: care budget 40 + potential 23 (log scale) + key account 20, plus the care call's weight 20
    assert [t.priority for t in (key, big, small, mid, nobody)] == [103, 62, 45, 36, 20]
    assert reasons(key) == ["potential 50,000 €", "key account", "Care call: weight 20"]
    assert reasons(key, "de") == ["Potenzial 50.000 €", "Key Account", "Betreuungsanruf: Gewicht 20"]
    assert reasons(mid) == ["segment MP", "Care call: weight 20"]
    assert reasons(nobody) == ["Care call: weight 20"]
    acc = key.account
    assert priority.account_value_score(acc) == 83
    assert priority.account_value_scores([acc.pk, mid.account_id]) == {acc.pk: 83, mid.account_id: 16}


def test_overdue_days_raise_the_rank_and_future_days_lower_it(world):
    today, late, later, far = task(world), task(world, due=at(-12)), task(world, due=at(-40)), task(world, due=at(3))
    assert [t.priority for t in (later, late, today, far)] == [120, 80, 20, 5]  # 5 a day, at most 100
    assert reasons(late) == ["12 days overdue", "Care call: weight 20"]
    assert reasons(late, "de") == ["12 Tage überfällig", "Betreuungsanruf: Gewicht 20"]
    assert reasons(far) == ["Care call: weight 20", "due in 3 days"]


def test_the_idl_sets_a_kinds_weight_and_the_teams_queue_is_re_ranked(world):
    care, welcome = task(world), task(world, kind="welcome_call")
    assert (care.priority, welcome.priority) == (20, 40)
    assert kind_weights_set(team=world["team"], weights={"care_call": 90}) == 1
    care.refresh_from_db()
    assert care.priority == 90 and reasons(care) == ["Care call: weight 90"]
    with pytest.raises(TaskError) as bad:
        kind_weights_set(team=world["team"], weights={"care_call": 101})
    assert bad.value.field == "care_call"
    assert list(KindWeight.objects.values_list("kind", "weight")) == [("care_call", 90)]
    kind_weights_set(team=world["team"], weights={"care_call": 20})  # back to the default: nothing stored
    assert not KindWeight.objects.exists()


def test_sla_time_left_on_the_business_clock_ranks_and_reads_in_both_languages(world, time_machine):
    breached = task(world, kind="lead_followup", due=at(-1, 16))  # yesterday 16:00: 1 + 2 business hours ago
    soon = task(world, kind="lead_followup", due=at(0, 12))  # 2 business hours left of the last 4
    on_track = task(world, kind="quote_followup", due=at(1, 10))  # 7 today + 2 tomorrow
    assert [t.priority for t in (breached, soon, on_track)] == [1000 + 30 + 50, 600 + 50 + 50, 78 + 50]
    assert reasons(breached) == ["SLA breached 3 business hours ago", "Lead follow-up: weight 50"]
    assert reasons(soon) == ["SLA: 2 business hours left (due soon)", "Lead follow-up: weight 50"]
    assert reasons(soon, "de")[0] == "SLA: noch 2 Geschäftsstunden (bald fällig)"
    assert reasons(on_track) == ["SLA: 9 business hours left", "Quote follow-up: weight 50"]
    # time moves on: a reader finds the stale priorities and brings them up to date
    time_machine.move_to(at(0, 11), tick=False)
    assert priority.priorities_refresh_stale() == 3
    soon.refresh_from_db()
    assert soon.priority == 600 + 75 + 50 and reasons(soon)[0] == "SLA: 1 business hour left (due soon)"
    assert priority.priorities_refresh_stale() == 0  # nothing is stale a second later


def test_a_breached_or_due_soon_service_order_ranks_above_any_contact_plan_work(world, time_machine):
    from isf.service import services as service
    from isf.service.models import ServiceCatalogEntry

    _load_catalog()
    team = world["team"]
    kind_weights_set(team=team, weights={"care_call": 100, "visit": 100, "service_order": 0})
    routine = []
    for code in [None, "KA", "MP", "SMB", "C", "D"]:
        for potential in (0, 1_000, 100_000, 10_000_000):
            acc = account(world, code, potential)
            routine.append(task(world, due=at(-60), acc=acc, source="plan", dedupe_key=f"plan:{acc.pk}"))
    rep = UserFactory(role=Role.FIELD_REP)
    small = account(world, None, 0)
    order = service.service_order_create(service=ServiceCatalogEntry.objects.get(code="order_intake"), account=small,
                                         requester=rep, inputs={"order_text": "10x Dübel"}, now=NOW)
    order_task = Task.objects.get(source="service", source_id=str(order.pk))
    assert order_task.priority < max(t.priority for t in routine)  # on track it is ordinary work
    for moment in (order.due_soon_at, order.breach_at + timedelta(hours=1)):
        time_machine.move_to(moment, tick=False)
        priority.priorities_refresh_stale()
        order_task.refresh_from_db()
        best_routine = Task.objects.filter(pk__in=[t.pk for t in routine]).order_by("-priority").first()
        assert best_routine.priority == 100 + 100 + 100  # value, weight and overdue all at their top
        assert order_task.priority > best_routine.priority
        from isf.planning.selectors import work_queue

        assert work_queue(user=world["agent"]).first() == order_task
    assert reasons(order_task)[0].startswith("SLA breached")


def _load_catalog():
    from isf.service.catalog_data import SERVICES, catalog_defaults
    from isf.service.models import ServiceCatalogEntry

    for index, item in enumerate(SERVICES):
        ServiceCatalogEntry.objects.get_or_create(code=item["code"], defaults=catalog_defaults(item, index))
