"""Hand-built cases for the attribution tests: one account, an agent in a team, fixed dates around ``TODAY``."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

from isf.calls.models import CallLog
from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, ProductGroupFactory, add_line
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.planning.models import Task

TODAY = dt.date(2026, 11, 20)
BERLIN = ZoneInfo("Europe/Berlin")


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hour), tzinfo=BERLIN)


def people():
    team = TeamFactory(code="SMB", name="SMB-Team")
    agent = UserFactory(username="agent1", role=Role.INSIDE_AGENT, team=team)
    account = AccountFactory(name="Müller Metallbau GmbH", team=team)
    return {"team": team, "agent": agent, "account": account}


def groups():
    return {code: ProductGroupFactory(code=code, name=name)
            for code, name in (("BEF", "Befestigungstechnik"), ("DCH", "Dichtstoffe"))}


def order(account, day: dt.date, *lines, number: str | None = None):
    """An ERP order with lines given as (product, revenue, margin)."""
    made = OrderFactory(account=account, date=day, **({"number": number} if number else {}))
    for product, revenue, margin in lines:
        add_line(made, product=product, revenue=revenue, margin=margin)
    return made


def product(group):
    return ProductFactory(group=group)


def call(agent, account, day: dt.date, *, outcome="info", order_value=None, cross_sell_group=None,
         accepted=False, hour=10):
    return CallLog.objects.create(
        direction="outbound", started_at=at(day, hour), team=agent.team, agent=agent, account=account,
        outcome=outcome, order_value=Decimal(order_value) if order_value is not None else None,
        cross_sell_offered=cross_sell_group is not None, cross_sell_accepted=accepted,
        cross_sell_group=cross_sell_group)


def done_task(agent, account, day: dt.date, *, kind="winback_call", outcome="reached"):
    return Task.objects.create(kind=kind, title="Rückgewinnung", account=account, team=agent.team, assignee=agent,
                               status="done", due_at=at(day), completed_at=at(day, 11), outcome=outcome)
