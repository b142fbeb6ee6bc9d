"""Fixtures for the service firm: a BY team with agents, leads, a field rep, an account and a contract."""

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from isf.customers.tests.factories import AccountFactory, ContactFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.segmentation.models import Segment
from isf.service.models import ContractLine, ServiceCatalogEntry, ServiceContract


@pytest.fixture(autouse=True)
def catalog(request):
    """The default catalog (the data migration loads it; this also covers --nomigrations runs)."""
    if "db" not in request.fixturenames and not request.node.get_closest_marker("django_db"):
        return
    request.getfixturevalue("db") if not request.node.get_closest_marker("django_db") else None
    from isf.service.catalog_data import SERVICES, catalog_defaults

    for index, item in enumerate(SERVICES):
        ServiceCatalogEntry.objects.get_or_create(code=item["code"], defaults=catalog_defaults(item, index))


@pytest.fixture
def team(db):
    return TeamFactory(code="SMB", name="SMB-Team", state="BY", business_hours="08:00-17:00", workdays="1-5")


@pytest.fixture
def people(team):
    return {
        "vl": UserFactory(username="vl", role=Role.SALES_LEAD, email="vl@example.com"),
        "idl": UserFactory(username="idl", role=Role.INSIDE_LEAD, email="idl@example.com"),
        "rep": UserFactory(username="ad1", role=Role.FIELD_REP, email="ad1@example.com"),
        "rep2": UserFactory(username="ad2", role=Role.FIELD_REP),
        "agent": UserFactory(username="id1", role=Role.INSIDE_AGENT, team=team, email="id1@example.com"),
        "agent2": UserFactory(username="id2", role=Role.INSIDE_AGENT, team=team),
    }


@pytest.fixture
def segment(team):
    return Segment.objects.create(code="SMB", name_de="KMU", name_en="SMB", team=team, precedence=30)


@pytest.fixture
def account(people, segment):
    acc = AccountFactory(name="Huber Metallbau GmbH", owner=people["rep"], segment=segment)
    ContactFactory(account=acc, last_name="Maier")
    return acc


@pytest.fixture
def contract(people):
    year = timezone.localdate().year  # in force around any test date and the tests' fixed order dates (2026-2027)
    c = ServiceContract.objects.create(
        period=str(year), version=1, valid_from=date(min(year - 1, 2025), 1, 1), valid_to=date(max(year + 1, 2028), 12, 31),
        max_discount_percent=Decimal("5"), max_goodwill_eur=Decimal("500"), max_payment_term_days=14,
        accepted_by_vl=people["vl"], accepted_by_vl_at=timezone.now(),
        accepted_by_idl=people["idl"], accepted_by_idl_at=timezone.now(),
    )
    for entry in ServiceCatalogEntry.objects.all():
        ContractLine.objects.create(contract=c, service=entry, target_value=entry.target_value,
                                    target_unit=entry.target_unit, expected_monthly_volume=10)
    return c


@pytest.fixture
def quote_prep(db):
    return ServiceCatalogEntry.objects.get(code="quote_prep")


def utc(*args) -> datetime:
    return datetime(*args, tzinfo=UTC)
