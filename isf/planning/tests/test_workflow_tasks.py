"""A service-order or approval task ends with its workflow: the queue cannot complete it and leave the order open."""

from datetime import timedelta

import pytest
from django.utils import timezone, translation

from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.models import Task, TaskEvent
from isf.planning.services import TaskError, task_complete, task_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent(client):
    user = UserFactory(role=Role.INSIDE_AGENT, team=TeamFactory(code="KA"))
    client.force_login(user)
    return user


def _order_task(agent, kind="service_order"):
    return task_create(kind=kind, title="SA-000121 Angebot", title_en="SA-000121 quote", team=agent.team,
                       due_at=timezone.now() + timedelta(hours=2), source="service", source_id="121",
                       url="/service/orders/121/")


@pytest.mark.parametrize("kind", ["service_order", "approval"])
def test_the_queue_cannot_complete_a_task_its_workflow_ends(client, agent, kind):
    task = _order_task(agent, kind)
    events = TaskEvent.objects.filter(task=task).count()

    with translation.override("en"), pytest.raises(TaskError, match="ends when"):
        task_complete(task=task, user=agent, outcome="reached")
    response = client.post(f"/queue/{task.pk}/complete/", {"outcome": "reached"}, HTTP_HX_REQUEST="true",
                           HTTP_ACCEPT_LANGUAGE="de")

    assert "endet, wenn" in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open" and TaskEvent.objects.filter(task=task).count() == events


def test_the_queue_row_and_task_page_link_to_the_order_instead_of_completing(client, agent):
    task = _order_task(agent)

    queue = client.get("/queue/?scope=team", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    detail = client.get(f"/queue/{task.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert f'data-testid="work-on-{task.pk}"' in queue and f'data-testid="complete-{task.pk}"' not in queue
    assert 'data-testid="ends-with-workflow"' in detail and 'data-testid="complete"' not in detail
    assert "work it on the order" in detail and 'href="/service/orders/121/"' in detail


def test_the_workflow_completes_its_own_task(agent):
    task = _order_task(agent)
    task_complete(task=task, user=agent, outcome="done", by_workflow=True)
    assert Task.objects.get(pk=task.pk).status == "done"
