import datetime as dt
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.models import Task
from isf.planning.services import task_create
from isf.visits.models import AccountChangeEvent, CompetitorMention, ContactChange, VisitReport

pytestmark = pytest.mark.django_db


@pytest.fixture
def w(client):
    team = TeamFactory(code="SMB", name="SMB-Team")
    rep = UserFactory(username="rep", role=Role.FIELD_REP)
    account = AccountFactory(name="Huber Werkzeugbau GmbH", owner=rep, team=team, potential=Decimal("40000"))
    buyer = ContactFactory(account=account, first_name="Eva", last_name="Einkauf", buying_role="buyer")
    boss = ContactFactory(account=account, first_name="Gerd", last_name="Chef", buying_role="decision_maker")
    due = timezone.localtime().replace(hour=10, minute=0)  # 10:00 of the company's day, whatever the UTC hour
    visit = task_create(kind="visit", title="Besuch Huber", due_at=due, account=account, assignee=rep, side="field")
    client.force_login(rep)
    return {"team": team, "rep": rep, "account": account, "buyer": buyer, "boss": boss, "visit": visit}


def post(client, data, json_mode=False):
    headers = {"HTTP_X_ISF_ASYNC": "1"} if json_mode else {}
    return client.post(reverse("visits:new"), data, **headers)


def full_report(w, **extra):
    data = {
        "client_id": "c-1", "account": w["account"].pk, "task": w["visit"].pk,
        "visit_date": timezone.localdate().isoformat(), "visit_type": "annual",
        "contacts": [w["buyer"].pk, w["boss"].pk], "summary": "Jahresgespräch, Ausbau der Fertigung",
        "needs": "Mehr Verbrauchsmaterial", "potential_estimate": "65000",
        "competitor_1": "Würth", "competitor_share_1": "30",
        "change_kind": "growth", "change_description": "Neue Halle",
        "contact_change_contact": w["boss"].pk, "contact_change_kind": "leaving",
        "contact_change_date": (dt.date.today() + dt.timedelta(days=60)).isoformat(),
        "agreements": "Rahmenvertrag", "next_steps": "Angebot erstellen",
        "follow_up": "quote_prep", "follow_up_note": "Angebot Rahmenvertrag",
    }
    data.update(extra)
    return data


def test_full_report_applies_everything_it_reports(client, w):
    resp = post(client, full_report(w))
    assert resp.status_code == 302
    report = VisitReport.objects.get()
    assert report.author == w["rep"] and report.visit_type.code == "annual"
    assert set(report.contacts.all()) == {w["buyer"], w["boss"]}
    w["account"].refresh_from_db()
    assert w["account"].potential == Decimal("65000")
    assert report.potential_before == Decimal("40000")
    assert CompetitorMention.objects.get().share_percent == 30
    event = AccountChangeEvent.objects.get()
    assert (event.kind, event.account, event.report) == ("growth", w["account"], report)
    w["boss"].refresh_from_db()
    assert w["boss"].status == "leaving"
    assert w["boss"].status_date == dt.date.today() + dt.timedelta(days=60)
    assert ContactChange.objects.get().kind == "leaving"
    alerts = Task.objects.filter(kind="buying_center")
    assert {(t.assignee_id, t.team_id) for t in alerts} == {(w["rep"].pk, None), (None, w["team"].pk)}
    assert len(report.follow_ups) == 1
    w["visit"].refresh_from_db()
    assert w["visit"].status == "done"
    assert report.task == w["visit"]


def test_sections_not_in_the_visit_type_are_ignored(client, w):
    post(client, full_report(w, visit_type="problem"))
    report = VisitReport.objects.get()
    assert report.needs == "" and report.potential_estimate is None
    assert CompetitorMention.objects.count() == 0 and AccountChangeEvent.objects.count() == 0
    w["account"].refresh_from_db()
    assert w["account"].potential == Decimal("40000")


def test_future_date_is_refused_with_the_field_named_and_nothing_saved(client, w):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    resp = post(client, full_report(w, visit_date=tomorrow), json_mode=True)
    assert resp.status_code == 400
    body = resp.json()
    assert "visit_date" in body["errors"]
    assert VisitReport.objects.count() == 0 and AccountChangeEvent.objects.count() == 0
    w["account"].refresh_from_db()
    w["boss"].refresh_from_db()
    w["visit"].refresh_from_db()
    assert w["account"].potential == Decimal("40000") and w["boss"].status == "active" and w["visit"].status == "open"


def test_missing_account_is_refused_with_the_field_named(client, w):
    resp = post(client, full_report(w, account=""), json_mode=True)
    assert resp.status_code == 400
    assert "account" in resp.json()["errors"]
    assert VisitReport.objects.count() == 0


def test_missing_account_without_js_shows_the_pick_page_with_the_error(client, w):
    resp = post(client, full_report(w, account=""))
    assert resp.status_code == 400
    assert 'data-error-for="account"' in resp.content.decode()


def test_non_js_error_keeps_what_was_typed(client, w):
    tomorrow = (dt.date.today() + dt.timedelta(days=1)).isoformat()
    resp = post(client, full_report(w, visit_date=tomorrow))
    assert resp.status_code == 400
    html = resp.content.decode()
    assert "Jahresgespräch, Ausbau der Fertigung" in html and "Rahmenvertrag" in html


def test_resending_the_same_form_stores_the_report_once(client, w):
    first = post(client, full_report(w), json_mode=True)
    again = post(client, full_report(w), json_mode=True)
    assert first.status_code == again.status_code == 200
    assert first.json()["created"] is True and again.json()["created"] is False
    assert first.json()["id"] == again.json()["id"]
    assert VisitReport.objects.count() == 1 and Task.objects.filter(kind="buying_center").count() == 2


def test_new_contact_inline_is_created_and_counted_as_met(client, w):
    post(client, full_report(w, new_contact_first="Nina", new_contact_last="Neu", new_contact_role="influencer",
                             contact_change_kind="", contact_change_contact=""))
    report = VisitReport.objects.get()
    nina = w["account"].contacts.get(last_name="Neu")
    assert nina.buying_role == "influencer" and nina in report.contacts.all()


def test_new_decision_maker_updates_the_role(client, w):
    post(client, full_report(w, contact_change_contact=w["buyer"].pk, contact_change_kind="new_decision_maker"))
    w["buyer"].refresh_from_db()
    assert w["buyer"].buying_role == "decision_maker" and w["buyer"].status == "active"


def test_pick_page_lists_todays_planned_visits_first(client, w):
    resp = client.get(reverse("visits:new"))
    assert list(resp.context["planned"]) == [w["visit"]]
    assert f"task={w['visit'].pk}" in resp.content.decode()


def test_inside_agent_cannot_write_reports(client, w):
    client.force_login(UserFactory(username="agent", role=Role.INSIDE_AGENT, team=w["team"]))
    assert post(client, full_report(w)).status_code == 403
    assert VisitReport.objects.count() == 0


def test_report_appears_on_the_account_timeline_and_the_customer_screen(client, w):
    post(client, full_report(w))
    from isf.calls.selectors import last_visit
    from isf.calls.timeline import timeline_for

    kinds = [e["kind"] for e in timeline_for(w["account"])]
    assert "visit" in kinds and "change" in kinds
    assert last_visit(w["account"])["summary"] == "Jahresgespräch, Ausbau der Fertigung"


def test_json_success_returns_the_report_url(client, w):
    resp = post(client, full_report(w), json_mode=True)
    body = json.loads(resp.content)
    assert body["ok"] is True and body["url"] == reverse("visits:detail", args=[body["id"]])
    assert client.get(body["url"]).status_code == 200


def test_detail_names_the_follow_up_service_in_the_page_language(client, w):
    from isf.service.models import ServiceCatalogEntry, ServiceOrder

    post(client, full_report(w))
    report = VisitReport.objects.get()
    order = ServiceOrder.objects.get()
    entry = ServiceCatalogEntry.objects.get(code="quote_prep")
    assert report.follow_ups[0]["number"] == f"SA-{order.pk:06d}"
    en = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    de = client.get(report.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    follow_ups_en = en[en.index('data-testid="follow-ups"'):]
    assert f"{entry.name_en} · " in follow_ups_en and f"SA-{order.pk:06d}" in follow_ups_en
    assert f"{entry.name_de} · " in de[de.index('data-testid="follow-ups"'):]
    assert "quote_prep" not in en and "quote_prep" not in de


def test_future_date_error_is_dated_in_the_page_language(client, w):
    day = dt.date.today() + dt.timedelta(days=2)
    en = client.post(reverse("visits:new"), full_report(w, visit_date=day.isoformat()), HTTP_X_ISF_ASYNC="1",
                     HTTP_ACCEPT_LANGUAGE="en")
    assert en.status_code == 400
    message = en.json()["errors"]["visit_date"][0]
    with translation.override("en"):
        expected = date_format(day, "SHORT_DATE_FORMAT")
    assert expected in message and day.strftime("%d.%m.%Y") not in message
    de = client.post(reverse("visits:new"), full_report(w, visit_date=day.isoformat(), client_id="c-2"),
                     HTTP_X_ISF_ASYNC="1", HTTP_ACCEPT_LANGUAGE="de")
    assert day.strftime("%d.%m.%Y") in de.json()["errors"]["visit_date"][0]


def test_form_shows_the_current_potential_with_separators(client, w):
    w["account"].potential = Decimal("322400")
    w["account"].save()
    url = reverse("visits:new") + f"?account={w['account'].pk}"
    assert "322,400 €" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "322.400 €" in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode()


def test_todays_planned_visits_are_sorted_by_start_time_and_overdue_ones_listed_apart(client, w):
    today = timezone.localdate()

    def at(day, hour):
        return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))

    afternoon = task_create(kind="visit", title="Besuch 15", due_at=at(today, 15), account=w["account"],
                            assignee=w["rep"], side="field")
    morning = task_create(kind="visit", title="Besuch 9", due_at=at(today, 9), account=w["account"],
                          assignee=w["rep"], side="field")
    w["visit"].due_at = at(today, 11)
    w["visit"].save()
    old = task_create(kind="visit", title="Besuch alt", due_at=at(today - dt.timedelta(days=3), 8),
                      account=w["account"], assignee=w["rep"], side="field")
    older = task_create(kind="visit", title="Besuch älter", due_at=at(today - dt.timedelta(days=9), 16),
                        account=w["account"], assignee=w["rep"], side="field")
    resp = client.get(reverse("visits:new"))
    assert list(resp.context["planned"]) == [morning, w["visit"], afternoon]
    assert list(resp.context["overdue"]) == [old, older]
    html = resp.content.decode()
    assert html.index(f"task={morning.pk}") < html.index(f"task={w['visit'].pk}") < html.index(f"task={afternoon.pk}")
    assert 'data-testid="overdue-visits"' in html
