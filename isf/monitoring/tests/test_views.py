"""The IDL overview (flags by type, segment, week; outcomes of the calls), the account view, permissions."""

from datetime import timedelta

import pytest
from django.template import Context, Template
from django.urls import reverse

from isf.monitoring.choices import FlagCode
from isf.monitoring.models import Flag
from isf.monitoring.services import monitor_run
from isf.monitoring.tests.helpers import TODAY, make_base
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.services import task_complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def monitored(time_machine):
    time_machine.move_to(TODAY + timedelta(days=1, hours=8), tick=False)
    base = make_base()
    monitor_run(today=TODAY)
    drop = Flag.objects.get(account=base.accounts["drop"])
    task_complete(task=drop.task, user=UserFactory(username="idl-x", role=Role.INSIDE_LEAD), outcome="reached")
    return base


def _login(client, role, **extra):
    user = UserFactory(role=role, **extra)
    client.force_login(user)
    return user


def test_the_inside_lead_sees_flags_by_type_segment_and_week_and_the_outcomes(client, monitored):
    _login(client, Role.INSIDE_LEAD)
    response = client.get(reverse("monitoring:overview"), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    types = {t["code"]: t for t in response.context["types"]}
    assert (types["overdue"]["n"], types["revenue_drop"]["n"], types["group_dropped"]["n"]) == (2, 1, 1)
    assert response.context["total"] == 4
    segments = {s["code"]: s for s in response.context["segment_rows"]}
    assert segments["KA"]["total"] == 1 and segments["B"]["total"] == 3
    assert segments["B"]["cells"] == [1, 1, 1, 0]  # overdue, revenue drop, group dropped, few expected
    this_week = response.context["weeks"][0]
    assert this_week["start"] == TODAY - timedelta(days=TODAY.weekday()) and this_week["total"] == 4
    assert response.context["chart"]["series"][0]["data"][-1] == 2
    outcomes = {r["code"]: r for r in response.context["outcomes"]["rows"]}
    assert outcomes["revenue_drop"]["worked"] == 1 and outcomes["revenue_drop"]["open"] == 0
    assert outcomes["overdue"]["open"] == 2
    assert ("reached", "Reached") in response.context["outcomes"]["columns"]
    html = response.content.decode()
    assert "orders about every 10 days; last order 81 days ago" in html
    assert 'id="monitoring-week-data"' in html and "js/monitoring.js" in html


def test_the_segment_filter_narrows_every_count(client, monitored):
    _login(client, Role.SALES_LEAD)
    response = client.get(reverse("monitoring:overview"), {"segment": monitored.ka.pk, "weeks": 4})
    assert response.status_code == 200
    assert response.context["total"] == 1
    assert [f.account.name for f in response.context["open_list"]] == ["key"]


def test_an_inside_agent_sees_only_the_flags_of_the_team(client, monitored):
    _login(client, Role.INSIDE_AGENT, team=monitored.ka_team)
    response = client.get(reverse("monitoring:overview"))
    assert response.status_code == 200
    assert response.context["total"] == 1


@pytest.mark.parametrize("role", [Role.MARKETING, Role.FIELD_REP])
def test_marketing_and_field_reps_cannot_see_the_monitoring_page(client, monitored, role):
    _login(client, role)
    flags = list(Flag.objects.values_list("pk", "status"))
    response = client.get(reverse("monitoring:overview"))
    assert response.status_code == 403
    assert list(Flag.objects.values_list("pk", "status")) == flags


def test_anonymous_users_are_sent_to_the_login(client):
    response = client.get(reverse("monitoring:overview"))
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_account_view_shows_the_next_order_window_p_alive_and_trend(client, monitored):
    _login(client, Role.INSIDE_LEAD)
    acc = monitored.accounts["overdue"]
    response = client.get(reverse("monitoring:account", args=[acc.pk]), HTTP_ACCEPT_LANGUAGE="de")

    assert response.status_code == 200
    html = response.content.decode()
    score = response.context["score"]
    assert response.context["window_state"] == "past"
    assert f"{score.next_order_from:%d.%m.%Y} – {score.next_order_to:%d.%m.%Y}" in html
    assert "Wahrscheinlichkeit noch aktiv" in html and "fallend" in html.lower()
    assert "bestellt etwa alle 10 Tage; letzte Bestellung vor 81 Tagen" in html
    assert [f.code for f in response.context["open_flags"]] == [FlagCode.OVERDUE]


def test_a_field_rep_cannot_open_the_view_of_an_account_outside_the_territory(client, monitored):
    _login(client, Role.FIELD_REP)
    response = client.get(reverse("monitoring:account", args=[monitored.accounts["healthy"].pk]))
    assert response.status_code in (403, 404)
    assert "purchase-model" not in response.content.decode()


def test_the_template_tag_renders_the_panel_for_the_account_page(monitored):
    html = Template("{% load monitoring_tags %}{% account_purchase_model account %}").render(
        Context({"account": monitored.accounts["healthy"]})
    )
    assert 'data-testid="purchase-model"' in html and 'data-testid="p-alive"' in html
    assert 'data-testid="open-flags"' not in html
