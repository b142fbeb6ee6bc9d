import datetime as dt
from decimal import Decimal

from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, add_line

TODAY = dt.date(2026, 11, 26)


def account_with_revenue(revenue, *, potential="0", customer_type="b2b", margin=None, day=TODAY - dt.timedelta(days=30),
                         **extra):
    account = AccountFactory(potential=Decimal(potential), customer_type=customer_type,
                             presumed_consent=customer_type == "b2b", **extra)
    if Decimal(str(revenue)) > 0:
        order = OrderFactory(account=account, date=day)
        add_line(order, product=ProductFactory(), revenue=str(revenue),
                 margin=str(margin if margin is not None else Decimal(str(revenue)) * Decimal("0.3")))
    return account
