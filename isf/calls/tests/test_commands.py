import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import call_command

from isf.calls.models import CrossSellModel
from isf.calls.nightly import run
from isf.calls.tests.helpers import baskets
from isf.customers.tests.factories import AccountFactory, OrderFactory, add_line

pytestmark = pytest.mark.django_db


def test_eval_cross_sell_json_reports_both_hit_rates():
    today = dt.date.today()
    _groups, products = baskets(today - dt.timedelta(days=400))
    # after the cutoff, accounts with fasteners+adhesives adopt sealants
    for i in range(3):
        acc = AccountFactory(name=f"Later {i}")
        old = OrderFactory(account=acc, date=today - dt.timedelta(days=500))
        add_line(old, product=products["BEF"], line_no=1)
        add_line(old, product=products["KLB"], line_no=2)
        new = OrderFactory(account=acc, date=today - dt.timedelta(days=30))
        add_line(new, product=products["DCH"], line_no=1)
    out = StringIO()
    call_command("eval", "cross-sell", "--json", "--k", "1", stdout=out)
    result = json.loads(out.getvalue())
    assert result["test_accounts"] == 3
    assert result["hit_rate_method"] == 1.0
    assert result["hit_rate_popularity"] == 0.0
    assert result["k"] == 1


def test_nightly_step_refreshes_the_model():
    baskets(dt.date.today())
    result = run(today=dt.date.today())
    assert result["accounts"] == 22 and result["groups"] == 6
    assert CrossSellModel.objects.count() == 1
