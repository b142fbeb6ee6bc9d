"""Claiming under concurrency: 8 workers (threads, each its own DB connection) claim 500 orders.

PostgreSQL only (row locks and SKIP LOCKED); on SQLite writers are serialised anyway.
"""

import random
import threading
from collections import Counter

import pytest
from django.db import connection, connections

from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.models import Task
from isf.service import services
from isf.service.errors import ServiceOrderError
from isf.service.models import ServiceOrder, ServiceOrderEvent

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

WORKERS = 8
ORDERS = 500


@pytest.fixture
def orders(people, account, quote_prep):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: run with bash scripts/pg.sh")
    first = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                          inputs={"products": "Position 0"})
    ids = [first.pk] + _clone(first, ORDERS - 1)
    agents = [UserFactory(username=f"worker{i}", role=Role.INSIDE_AGENT, team=people["agent"].team)
              for i in range(WORKERS)]
    return ids, agents


def _clone(order: ServiceOrder, n: int) -> list[int]:
    """n more orders like ``order``, each with its open queue task (bulk: the test is about claiming)."""
    fields = {f.attname: getattr(order, f.attname) for f in ServiceOrder._meta.concrete_fields if f.attname != "id"}
    clones = ServiceOrder.objects.bulk_create([ServiceOrder(**fields) for _ in range(n)])
    task = Task.objects.get(source="service", source_id=str(order.pk))
    task_fields = {f.attname: getattr(task, f.attname) for f in Task._meta.concrete_fields
                   if f.attname not in {"id", "source_id", "dedupe_key", "url"}}
    Task.objects.bulk_create([Task(**task_fields, source_id=str(c.pk), dedupe_key=f"service_order:{c.pk}",
                                   url=f"/service/orders/{c.pk}/") for c in clones])
    return [c.pk for c in clones]


def _run(workers):
    errors = []
    barrier = threading.Barrier(len(workers))

    def wrap(fn):
        def run():
            try:
                barrier.wait()
                fn()
            except Exception as exc:  # noqa: BLE001 - reported to the test below
                errors.append(exc)
            finally:
                connections.close_all()
        return run

    threads = [threading.Thread(target=wrap(w)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == []


def test_eight_workers_claim_next_until_empty_every_order_exactly_once(orders):
    ids, agents = orders
    claimed: dict[str, list[int]] = {a.username: [] for a in agents}

    def worker(agent):
        def loop():
            while (order := services.service_order_claim_next(user=agent)) is not None:
                claimed[agent.username].append(order.pk)
        return loop

    _run([worker(a) for a in agents])
    all_claimed = [pk for pks in claimed.values() for pk in pks]
    assert len(all_claimed) == ORDERS and set(all_claimed) == set(ids)  # none twice, none lost
    assert sum(1 for pks in claimed.values() if pks) > 1  # the work was really shared
    assert ServiceOrder.objects.filter(status="accepted", assignee__isnull=False).count() == ORDERS
    accepted = Counter(ServiceOrderEvent.objects.filter(to_status="accepted").values_list("order_id", flat=True))
    assert set(accepted.values()) == {1}
    assert Task.objects.filter(source="service", status="claimed").count() == ORDERS


def test_eight_workers_racing_for_the_same_orders_win_each_once(orders):
    ids, agents = orders
    wins = Counter()

    def worker(agent):
        def loop():
            order_ids = ids[:]
            random.Random(agent.pk).shuffle(order_ids)
            for pk in order_ids:
                try:
                    services.service_order_claim(order_id=pk, user=agent)
                    wins[pk] += 1
                except ServiceOrderError as exc:
                    assert exc.rule == "claim.once"
        return loop

    _run([worker(a) for a in agents])
    assert len(wins) == ORDERS and set(wins.values()) == {1}
    assert ServiceOrderEvent.objects.filter(to_status="accepted").count() == ORDERS
