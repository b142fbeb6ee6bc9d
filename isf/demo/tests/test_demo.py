from datetime import date

import numpy as np
import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum

from isf.customers.models import Account, Contact, OrderLine
from isf.demo.generator import generate
from isf.demo.services import DemoRefused, demo_load
from isf.org.models import User

TODAY = date(2026, 11, 27)


def test_same_seed_gives_same_data_and_other_seed_differs():
    a = generate(n=300, years=2, seed=5, today=TODAY)
    b = generate(n=300, years=2, seed=5, today=TODAY)
    c = generate(n=300, years=2, seed=6, today=TODAY)
    assert np.array_equal(a.order_day, b.order_day) and np.array_equal(a.line_revenue, b.line_revenue)
    assert not np.array_equal(a.potential, c.potential)


def test_generated_base_behaves_like_a_real_customer_base():
    base = generate(n=3000, years=3, seed=42, today=TODAY)
    revenue = np.bincount(base.order_account[base.line_order], weights=base.line_revenue, minlength=base.n)
    top = np.sort(revenue)[::-1]
    share_top20 = top[: int(0.2 * base.n)].sum() / top.sum()
    assert 0.72 <= share_top20 <= 0.9  # revenue concentrated, about 80/20
    yearly = revenue / 3
    small_big = (yearly < 0.05 * base.potential) & (base.potential > np.median(base.potential) * 3)
    assert small_big.sum() >= 20  # small buyers with large potential exist
    assert base.churned.sum() > 0.05 * base.n
    weekday = (base.start.toordinal() + base.order_day) % 7
    assert not np.isin(weekday, [6, 0]).any()  # no orders at weekends


@pytest.mark.django_db
def test_demo_loads_company_users_and_refuses_a_non_empty_database():
    counts = demo_load(accounts=150, years=2, seed=1, today=TODAY)
    assert Account.objects.filter(erp_number__regex=r"^[0-9]{6}$").count() == 150  # plus accounts from converted leads
    usernames = set(User.objects.values_list("username", flat=True))
    assert {"vl", "idl", "mkt", "admin"} | {f"ad{i}" for i in range(1, 9)} | {f"id{i}" for i in range(1, 11)} == usernames
    assert User.objects.get(username="idl").check_password("demo")
    assert Contact.objects.filter(status__in=["leaving", "left"]).exists() or Contact.objects.count() < 60
    # the C/D/private channel owns its segments (issue 20), placed by the owner rules; approvals reach the IDL
    channel = Account.objects.filter(segment__code__in=["C", "D", "PRIV"])
    assert channel.exists() and not channel.exclude(owner_team__code="CDP").exists()
    assert not channel.filter(owner__isnull=False).exists()
    from isf.service.models import Decision

    assert Decision.objects.filter(account__owner_team__code="CDP", approver__username="idl").exists()
    lines = OrderLine.objects.count()
    with pytest.raises(DemoRefused):
        demo_load(accounts=10, years=1, seed=2, today=TODAY)
    assert OrderLine.objects.count() == lines and Account.objects.count() == counts["accounts"]
    with pytest.raises(CommandError, match="refused"):
        call_command("demo", "--accounts", "10", "--quiet")
    assert Account.objects.count() == counts["accounts"]


@pytest.mark.django_db(transaction=True)
def test_demo_reset_replaces_the_data_and_the_same_seed_reproduces_it():
    demo_load(accounts=120, years=2, seed=9, today=TODAY)
    first = list(Account.objects.order_by("erp_number").values_list("erp_number", "name", "potential"))
    revenue = OrderLine.objects.aggregate(s=Sum("net_revenue"))["s"]
    demo_load(accounts=120, years=2, seed=9, today=TODAY, reset=True)
    assert list(Account.objects.order_by("erp_number").values_list("erp_number", "name", "potential")) == first
    assert OrderLine.objects.aggregate(s=Sum("net_revenue"))["s"] == revenue
    assert Account.objects.values("segment").annotate(n=Count("pk")).count() >= 4
