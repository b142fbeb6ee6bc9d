from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from isf.customers.models import Account, OrderLine
from isf.customers.tests.factories import AccountFactory, OrderFactory, ProductFactory, QuoteFactory

pytestmark = pytest.mark.django_db


def _fails(fn):
    with pytest.raises(IntegrityError), transaction.atomic():
        fn()


def test_erp_number_is_unique():
    AccountFactory(erp_number="100")
    _fails(lambda: AccountFactory(erp_number="100"))
    assert Account.objects.count() == 1


def test_explicit_consent_needs_a_date_and_b2c_has_no_presumed_consent():
    _fails(lambda: AccountFactory(customer_type="b2c", presumed_consent=False, phone_consent=True))
    _fails(lambda: AccountFactory(customer_type="b2c", presumed_consent=True))
    AccountFactory(customer_type="b2c", presumed_consent=False, phone_consent=True, phone_consent_date=date(2025, 1, 2))


def test_phone_numbers_are_e164():
    from isf.customers.models import PhoneNumber

    account = AccountFactory()
    _fails(lambda: PhoneNumber.objects.create(account=account, e164="089 1234567"))
    PhoneNumber.objects.create(account=account, e164="+49891234567")


def test_order_line_invariants():
    order = OrderFactory()
    product = ProductFactory()

    def line(**kw):
        values = dict(order=order, line_no=1, account=order.account, order_date=order.date, product=product,
                      quantity=Decimal("1"), net_revenue=Decimal("10"), margin=Decimal("3"))
        values.update(kw)
        return OrderLine.objects.create(**values)

    _fails(lambda: line(quantity=Decimal("-1")))
    _fails(lambda: line(net_revenue=Decimal("-5")))
    _fails(lambda: line(margin=Decimal("11")))
    line()
    _fails(lambda: line())  # same order + line number


def test_quote_valid_until_not_before_date():
    _fails(lambda: QuoteFactory(date=date(2026, 5, 2), valid_until=date(2026, 5, 1)))
