"""A visit report completes every open planned visit of the account due on or before the visit's date."""

import datetime as dt

import pytest
from django.urls import reverse

from isf.core.tests.clock import local_at
from isf.customers.tests.factories import AccountFactory
from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.models import Task, TaskEvent
from isf.planning.services import task_create
from isf.visits.models import VisitReport, VisitType
from isf.visits.services import VisitReportInput, visit_report_create, visit_types_ensure_defaults

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 12)  # a Thursday


def _at(days: int, hour: int = 10) -> dt.datetime:
    return local_at(TODAY, days, hour)


@pytest.fixture
def w(time_machine):
    time_machine.move_to(_at(0, 18), tick=False)
    visit_types_ensure_defaults()
    rep = UserFactory(username="rep", role=Role.FIELD_REP)
    colleague = UserFactory(username="rep2", role=Role.FIELD_REP)
    account = AccountFactory(name="Huber Werkzeugbau GmbH", owner=rep)
    other = AccountFactory(name="Anderer Kunde", owner=rep)

    def visit(days, acc=account, who=rep, **extra):
        return task_create(kind="visit", title=f"Besuch {days}", due_at=_at(days), account=acc, assignee=who,
                           side="field", **extra)

    return {"rep": rep, "account": account, "october": visit(-150), "last_week": visit(-7),
            "colleague": visit(-3, who=colleague), "yesterday": visit(-1), "tomorrow": visit(1),
            "other": visit(-5, acc=other), "care": task_create(kind="care_call", title="Anruf", due_at=_at(-2),
                                                                account=account),
            "appointment": visit(-4, source="campaigns", dedupe_key="appointment:77")}


def _report(w, day: dt.date, task=None, client_id="r-1"):
    data = VisitReportInput(account=w["account"], visit_date=day, visit_type=VisitType.objects.get(code="annual"),
                            client_id=client_id, summary="Jahresgespräch", task=task)
    return visit_report_create(author=w["rep"], data=data, today=TODAY)[0]


def _status(w, *names):
    return [Task.objects.get(pk=w[n].pk).status for n in names]


def test_a_report_completes_every_open_planned_visit_due_up_to_the_visit_date(w):
    report = _report(w, TODAY - dt.timedelta(days=1))
    assert report.task == w["october"]  # the oldest is the one the report stands for
    assert _status(w, "october", "last_week", "colleague", "yesterday") == ["done"] * 4
    # later visits, other accounts, other kinds and booked appointments stay as they are
    assert _status(w, "tomorrow", "other", "care", "appointment") == ["open"] * 4
    older = Task.objects.get(pk=w["last_week"].pk)
    assert (older.outcome, older.note, older.assignee) == ("visited", "Jahresgespräch", w["rep"])
    event = TaskEvent.objects.get(task=older, action="completed")
    assert (event.actor, event.note) == (w["rep"], f"visit report {report.pk}")


def test_a_report_of_an_earlier_day_leaves_the_later_planned_visits_open(w):
    _report(w, TODAY - dt.timedelta(days=7))
    assert _status(w, "october", "last_week") == ["done", "done"]
    assert _status(w, "colleague", "yesterday", "tomorrow") == ["open", "open", "open"]


def test_the_picked_visit_is_the_reports_and_the_older_ones_close_with_it(w):
    report = _report(w, TODAY, task=Task.objects.get(pk=w["yesterday"].pk))
    assert report.task == w["yesterday"]
    assert _status(w, "october", "last_week", "colleague", "yesterday") == ["done"] * 4
    assert Task.objects.get(pk=w["yesterday"].pk).outcome == "visited"
    # resending the same form completes nothing more and writes no second event
    events = TaskEvent.objects.filter(action="completed").count()
    _report(w, TODAY, task=Task.objects.get(pk=w["yesterday"].pk))
    assert TaskEvent.objects.filter(action="completed").count() == events == 4


def test_the_report_form_closes_the_older_visits_too(client, w):
    client.force_login(w["rep"])
    resp = client.post(reverse("visits:new"), {"client_id": "c-9", "account": w["account"].pk,
                                               "visit_date": TODAY.isoformat(), "visit_type": "annual",
                                               "summary": "Kurzbesuch"})
    assert resp.status_code == 302
    assert VisitReport.objects.get().task == w["october"]
    assert _status(w, "october", "last_week", "colleague", "yesterday", "tomorrow") == ["done"] * 4 + ["open"]
