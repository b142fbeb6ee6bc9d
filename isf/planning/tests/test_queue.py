"""The work queue: inline claim/complete (htmx), filters, empty state, pagination; exactly-once claims."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone

from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.choices import TaskStatus
from isf.planning.models import TaskEvent
from isf.planning.services import TaskError, task_claim, task_create

HTMX = {"HTTP_HX_REQUEST": "true"}


def make_task(team, n=0, kind="care_call", **extra):
    return task_create(kind=kind, title=f"Anruf {n}", due_at=timezone.now() + timedelta(hours=n), team=team,
                       reason="Betreuungsanruf: 4× pro Jahr", reason_en="care call: 4× a year", **extra)


@pytest.mark.django_db
def test_inline_claim_returns_the_row_and_a_second_claim_fails_visibly(client):
    team = TeamFactory()
    first, second = UserFactory(team=team), UserFactory(team=team)
    task = make_task(team)
    client.force_login(first)
    response = client.post(f"/queue/{task.pk}/claim/", **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and html.startswith("<tr") and 'data-status="claimed"' in html
    client.force_login(second)
    response = client.post(f"/queue/{task.pk}/claim/", **HTMX)
    assert 'data-testid="row-error"' in response.content.decode()
    task.refresh_from_db()
    assert (task.status, task.assignee_id) == (TaskStatus.CLAIMED, first.pk)


@pytest.mark.django_db
def test_inline_complete_with_outcome_and_note(client):
    team = TeamFactory()
    agent = UserFactory(team=team)
    task = make_task(team)
    client.force_login(agent)
    response = client.post(f"/queue/{task.pk}/complete/", {"outcome": "reached", "note": "Bedarf im Frühjahr"}, **HTMX)
    assert f'data-testid="done-{task.pk}"' in response.content.decode()
    task.refresh_from_db()
    assert (task.status, task.outcome, task.note, task.assignee_id) == ("done", "reached", "Bedarf im Frühjahr", agent.pk)
    bad = make_task(team, 1)
    response = client.post(f"/queue/{bad.pk}/complete/", {"outcome": "nonsense"}, **HTMX)
    assert 'data-testid="row-error"' in response.content.decode()
    bad.refresh_from_db()
    assert bad.status == "open"


@pytest.mark.django_db
def test_queue_lists_own_and_team_tasks_by_rank_with_filters_pages_and_empty_state(client):
    team, other = TeamFactory(), TeamFactory()
    agent = UserFactory(team=team)
    for n in range(30):
        make_task(team, n, kind="care_call" if n < 27 else "welcome_call")
    make_task(other, 99)
    client.force_login(agent)
    page1 = client.get("/queue/")
    assert page1.context["page"].paginator.count == 30
    # welcome calls weigh 40 by default, care calls 20: the welcome calls first, then the care calls by due time
    assert [t.title for t in page1.context["tasks"]][:5] == ["Anruf 27", "Anruf 28", "Anruf 29", "Anruf 0", "Anruf 1"]
    assert "Betreuungsanruf: 4× pro Jahr" in page1.content.decode()
    page2 = client.get("/queue/?page=2")
    assert len(page2.context["tasks"]) == 5
    welcome = client.get("/queue/?kind=welcome_call")
    assert [t.title for t in welcome.context["tasks"]] == ["Anruf 27", "Anruf 28", "Anruf 29"]
    empty = client.get("/queue/?kind=visit")
    assert 'data-testid="queue-empty"' in empty.content.decode()
    mine = client.get("/queue/?scope=mine")
    assert mine.context["page"].paginator.count == 0


@pytest.mark.django_db
def test_task_create_keeps_its_contract_for_other_producers():
    team = TeamFactory()
    task = make_task(team, dedupe_key="alert:1:overdue", source="monitoring", source_id=1)
    assert task is not None and task.events.get().action == "created"
    assert make_task(team, dedupe_key="alert:1:overdue") is None


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_parallel_claims_claim_each_task_exactly_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: several connections with row locks")
    team = TeamFactory()
    users = [UserFactory(team=team, role=Role.INSIDE_AGENT) for _i in range(6)]
    tasks = [make_task(team, n) for n in range(15)]
    wins: list[tuple[int, int]] = []
    lock = threading.Lock()
    barrier = threading.Barrier(len(users))

    def worker(user):
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            for task in tasks:
                try:
                    task_claim(task_id=task.pk, user=user)
                except TaskError:
                    continue
                with lock:
                    wins.append((task.pk, user.pk))
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker, args=(u,)) for u in users]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(pk for pk, _u in wins) == sorted(t.pk for t in tasks)
    for task in tasks:
        task.refresh_from_db()
        assert task.status == TaskStatus.CLAIMED
        assert TaskEvent.objects.filter(task=task, action="claimed").count() == 1
        assert (task.pk, task.assignee_id) in wins
