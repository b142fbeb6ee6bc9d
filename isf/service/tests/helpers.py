"""Test helpers: drive an order through the workflow at given moments."""

from isf.service import services


def complete(order, agent, done_at, *, start_at=None):
    start_at = start_at or order.created_at
    services.service_order_claim(order_id=order.pk, user=agent, now=start_at)
    services.service_order_transition(order=order, user=agent, to="in_progress", now=start_at)
    for index in range(len(order.checklist)):
        services.service_order_step_set(order=order, user=agent, index=index, done=True, now=start_at)
    return services.service_order_transition(order=order, user=agent, to="done", now=done_at)
