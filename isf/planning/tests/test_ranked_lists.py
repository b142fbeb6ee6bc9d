"""The queue, the service-order list, take-next and GET /api/v1/tasks order by the one priority; the weights page;
"contact plan on time" and overdue counts agree on the team overview, the KPI dashboard, the review pack and the
API. The clock: Tuesday 24 Nov 2026, 10:00 in Berlin."""

import re
from datetime import timedelta
from decimal import Decimal

import pytest

from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.services import agent_skills_set
from isf.org.tests.factories import UserFactory
from isf.planning.models import KindWeight, Task
from isf.planning.services import task_create
from isf.planning.tests.helpers import RANKING_NOW, at, make_segment, smb_team

pytestmark = pytest.mark.django_db
NOW = RANKING_NOW


@pytest.fixture
def world(time_machine):
    time_machine.move_to(NOW, tick=False)
    team = smb_team()
    ka = make_segment(code="KA", budget=2500, team=team, precedence=1)
    c = make_segment(code="C", budget=100, team=team, precedence=2)
    agent = UserFactory(username="id1", role=Role.INSIDE_AGENT, team=team)
    agent_skills_set(agent=agent, key_account_approved=True)  # key-account work goes to approved agents only
    tasks = {
        # due first, but routine and small: ranks last
        "early": task_create(kind="care_call", title="früh", due_at=at(0, 8), team=team,
                             account=AccountFactory(segment=c, potential=Decimal(0))),
        "key": task_create(kind="care_call", title="Key Account", due_at=at(0, 16), team=team,
                           account=AccountFactory(segment=ka, potential=Decimal(500_000))),
        "late": task_create(kind="care_call", title="überfällig", due_at=at(-12), team=team),
        "lead": task_create(kind="lead_followup", title="Lead", due_at=at(0, 12), team=team),
        "mine": task_create(kind="welcome_call", title="meins", due_at=at(0, 9), assignee=agent),
    }
    return {"team": team, "agent": agent, "tasks": tasks, "ka": ka, "c": c,
            "idl": UserFactory(username="idl", role=Role.INSIDE_LEAD)}


RANKED = ["Lead", "Key Account", "überfällig", "meins", "früh"]


def test_the_queue_orders_by_priority_and_shows_why_in_the_page_language(client, world):
    client.force_login(world["agent"])
    page = client.get("/queue/", HTTP_ACCEPT_LANGUAGE="en")
    assert [t.title for t in page.context["tasks"]] == RANKED
    assert [t.priority for t in page.context["tasks"]] == [700, 116, 80, 40, 22]
    html = page.content.decode()
    assert "SLA: 2 business hours left (due soon)" in html and "12 days overdue" in html
    german = client.get("/queue/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "SLA: noch 2 Geschäftsstunden (bald fällig)" in german and "12 Tage überfällig" in german
    home = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en")
    assert [t.title for t in home.context["tasks"]] == RANKED


def test_take_next_claims_the_highest_ranked_unclaimed_task_of_the_team(client, world):
    client.force_login(world["agent"])
    first = client.post("/queue/take-next/")
    lead = world["tasks"]["lead"]
    assert first.status_code == 302 and first.url == f"/queue/{lead.pk}/"
    lead.refresh_from_db()
    assert (lead.status, lead.assignee_id) == ("claimed", world["agent"].pk)
    client.post("/queue/take-next/")
    assert Task.objects.get(pk=world["tasks"]["key"].pk).status == "claimed"
    assert Task.objects.get(pk=world["tasks"]["early"].pk).status == "open"


def test_the_api_returns_priority_and_reasons_ranked_and_filters_assignee_me(client, world):
    client.force_login(world["agent"])
    body = client.get("/api/v1/tasks", HTTP_ACCEPT_LANGUAGE="en").json()
    items = body["items"]
    assert [i["title"] for i in items] == RANKED
    assert [i["priority"] for i in items] == [700, 116, 80, 40, 22]
    assert items[0]["priority_reasons"] == ["SLA: 2 business hours left (due soon)", "Lead follow-up: weight 50"]
    assert {"id", "kind", "status", "due_at", "account_id", "assignee_id", "team_id"} <= set(items[0])
    by_due = client.get("/api/v1/tasks?order=due").json()["items"]
    assert [i["title"] for i in by_due] == ["überfällig", "früh", "meins", "Lead", "Key Account"]
    mine = client.get("/api/v1/tasks?assignee=me").json()["items"]
    assert [i["title"] for i in mine] == ["meins"]
    bad = client.get("/api/v1/tasks?assignee=someone")
    assert bad.status_code == 400 and bad.json()["field"] == "assignee"
    assert bad.json()["message"].startswith("assignee: Input should be ")


def test_the_service_order_list_and_claim_next_follow_the_rank_not_the_due_time(client, world):
    from isf.service import services as service
    from isf.service.catalog_data import SERVICES, catalog_defaults
    from isf.service.models import ServiceCatalogEntry

    for index, item in enumerate(SERVICES):
        ServiceCatalogEntry.objects.get_or_create(code=item["code"], defaults=catalog_defaults(item, index))
    intake = ServiceCatalogEntry.objects.get(code="order_intake")
    rep = UserFactory(role=Role.FIELD_REP)
    small = AccountFactory(segment=world["c"], potential=Decimal(0))
    big = AccountFactory(segment=world["ka"], potential=Decimal(2_000_000))
    early = service.service_order_create(service=intake, account=small, requester=rep,
                                         inputs={"order_text": "1"}, now=NOW - timedelta(minutes=30))
    later = service.service_order_create(service=intake, account=big, requester=rep, inputs={"order_text": "2"},
                                         now=NOW)
    assert early.due_at < later.due_at
    client.force_login(world["agent"])
    page = client.get("/service/orders/", HTTP_ACCEPT_LANGUAGE="en")
    assert [o.pk for o in page.context["orders"]] == [later.pk, early.pk]
    assert "key account" in page.content.decode()
    claimed = service.service_order_claim_next(user=world["agent"])
    assert claimed.pk == later.pk


def test_the_idl_sets_weights_from_the_team_overview_and_bad_input_changes_nothing(client, world):
    client.force_login(world["idl"])
    overview = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/queue/weights/SMB/"' in overview
    form = client.get("/queue/weights/SMB/", HTTP_ACCEPT_LANGUAGE="en")
    assert form.status_code == 200 and form.context["form"]["care_call"].value() == 20
    data = {name: field.value() for name, field in ((f.name, f) for f in form.context["form"])}
    bad = client.post("/queue/weights/SMB/", {**data, "care_call": "150"})
    assert bad.status_code == 400 and not KindWeight.objects.exists()
    saved = client.post("/queue/weights/SMB/", {**data, "care_call": "95"})
    assert saved.status_code == 302
    assert list(KindWeight.objects.values_list("kind", "weight")) == [("care_call", 95)]
    assert Task.objects.get(pk=world["tasks"]["early"].pk).priority == 95 + 2  # C segment: 2 value points
    client.force_login(world["agent"])
    assert client.get("/queue/weights/SMB/").status_code == 403
    assert client.get("/queue/weights/NOPE/").status_code == 403


def test_contact_plan_on_time_and_overdue_agree_on_overview_dashboard_pack_and_api(client, world):
    from isf.reviews.models import ReviewMeeting

    team = world["team"]
    Task.objects.all().delete()
    plan = [task_create(kind="care_call", title=f"Plan {i}", due_at=at(-3, 9 + i), team=team, source="plan",
                        dedupe_key=f"plan:{i}") for i in range(4)]
    task_create(kind="care_call", title="Plan morgen", due_at=at(1), team=team, source="plan", dedupe_key="plan:x")
    task_create(kind="alert", title="Alarm", due_at=at(-2), team=team)  # overdue, not the contact plan
    task_create(kind="care_call", title="heute", due_at=at(0, 8), team=team)  # due today: not overdue yet
    Task.objects.filter(pk=plan[0].pk).update(status="done", completed_at=at(-3, 15))
    Task.objects.filter(pk=plan[1].pk).update(status="done", completed_at=at(-3, 23))
    Task.objects.filter(pk=plan[2].pk).update(status="done", completed_at=at(-2, 9))  # a day late
    # so: 4 due, 2 on time, 1 late, 1 open; overdue tasks now: the open plan task and the alert
    idl = world["idl"]
    client.force_login(idl)
    overview = client.get("/home/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert re.search(r'data-testid="overdue-SMB">2<', overview)
    assert re.search(r'data-testid="on-time-SMB">50 % <small class="isf-muted">\(2/4\)', overview)
    dashboard = client.get("/capacity/dashboard/?period=month", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    figure = 'data-due="4" data-on-time="2" data-late="1" data-open="1"'
    assert figure in dashboard and 'data-overdue="2"' in dashboard
    meeting = ReviewMeeting.objects.create(title="Review", period_start=NOW.date().replace(day=1),
                                           period_end=NOW.date(), scheduled_at=NOW, sales_lead=idl, inside_lead=idl)
    pack = client.get(f"/reviews/{meeting.pk}/pack/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert figure in pack and 'data-overdue="2"' in pack
    api = client.get("/api/v1/contact-plan?period=month").json()
    expected = {"due": 4, "on_time": 2, "done_late": 1, "overdue": 1, "on_time_share": 0.5, "overdue_tasks": 2}
    assert api["teams"] == [{"team": "SMB", **expected}]
    assert api["total"] == {"team": None, **expected}
    assert (api["period_first"], api["period_last"]) == ("2026-11-01", "2026-11-24")
    assert client.get("/api/v1/contact-plan?period=year").status_code == 400  # a query parameter out of its enum


def test_the_overview_rows_add_up_to_the_all_teams_figure_of_the_dashboard(client, world):
    """Field visits have no team: the overview shows them in their own row, and its total is the dashboard's."""
    Task.objects.all().delete()
    rep = UserFactory(role=Role.FIELD_REP)
    task_create(kind="care_call", title="Plan", due_at=at(-3, 9), team=world["team"], source="plan", dedupe_key="p:1")
    task_create(kind="visit", title="Besuch", due_at=at(-3, 10), assignee=rep, source="plan", dedupe_key="p:2")
    client.force_login(world["idl"])

    overview = client.get("/home/", HTTP_ACCEPT_LANGUAGE="de").content.decode()
    dashboard = client.get("/capacity/dashboard/?period=month", HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert re.search(r'data-testid="overdue-SMB">1<', overview)
    assert re.search(r'data-testid="overdue-none">1<', overview) and "Ohne Team" in overview
    assert re.search(r'data-testid="overdue-total">2<', overview) and 'data-overdue="2"' in dashboard
    assert re.search(r'data-testid="on-time-total">0 % <small class="isf-muted">\(0/2\)', overview)
    assert 'data-due="2" data-on-time="0"' in dashboard
