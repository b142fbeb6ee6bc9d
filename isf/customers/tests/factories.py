import datetime as dt
from decimal import Decimal

import factory

from isf.customers.models import Account, Contact, Order, OrderLine, PhoneNumber, Product, ProductGroup, Quote


class AccountFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Account

    erp_number = factory.Sequence(lambda n: f"{100000 + n}")
    name = factory.Sequence(lambda n: f"Muster Metallbau {n} GmbH")
    street = "Industriestraße 1"
    postcode = "80331"
    city = "München"
    state = "BY"
    customer_type = "b2b"
    potential = Decimal("50000")
    presumed_consent = True


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    account = factory.SubFactory(AccountFactory)
    first_name = "Klaus"
    last_name = factory.Sequence(lambda n: f"Kunde{n}")
    function = "Einkäufer"
    buying_role = "buyer"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhoneNumber

    account = factory.SubFactory(AccountFactory)
    e164 = factory.Sequence(lambda n: f"+4989{1000000 + n}")


class ProductGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProductGroup
        django_get_or_create = ["code"]

    code = factory.Sequence(lambda n: f"G{n}")
    name = factory.Sequence(lambda n: f"Gruppe {n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    sku = factory.Sequence(lambda n: f"SKU-{n:05d}")
    name = factory.Sequence(lambda n: f"Artikel {n}")
    group = factory.SubFactory(ProductGroupFactory)
    list_price = Decimal("10.00")


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    number = factory.Sequence(lambda n: f"A{n:08d}")
    account = factory.SubFactory(AccountFactory)
    date = dt.date(2026, 1, 15)


def add_line(order: Order, *, product: Product | None = None, revenue="100.00", margin="30.00", quantity="1", line_no=None):
    product = product or ProductFactory()
    line_no = line_no or (order.lines.count() + 1)
    return OrderLine.objects.create(
        order=order, line_no=line_no, account=order.account, order_date=order.date, product=product,
        quantity=Decimal(quantity), net_revenue=Decimal(revenue), margin=Decimal(margin),
    )


class QuoteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Quote

    number = factory.Sequence(lambda n: f"AN-{n:06d}")
    account = factory.SubFactory(AccountFactory)
    date = dt.date(2026, 11, 1)
    amount = Decimal("2500.00")
    valid_until = factory.LazyAttribute(lambda quote: quote.date + dt.timedelta(days=30))
    status = "sent"
