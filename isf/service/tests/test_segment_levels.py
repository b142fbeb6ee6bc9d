"""Service levels per segment: the target that applies to an order (hand-computed due times over business hours and
holidays), stored at receipt so a later contract version does not rewrite it, in the SLA report and the API; edits
only through the contract's versions; refused input changes nothing."""

import re
from datetime import date

import pytest
from django.utils import translation

from isf.capacity import kpis
from isf.customers.tests.factories import AccountFactory
from isf.segmentation.models import Segment
from isf.service import contracts, reports, services
from isf.service.decisions import active_contract
from isf.service.errors import ContractError
from isf.service.models import SegmentTarget, ServiceOrder
from isf.service.tests.conftest import utc
from isf.service.tests.helpers import complete

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def language_restored():
    """A request in English leaves English active (the locale middleware); later tests expect their own."""
    before = translation.get_language()
    yield
    translation.activate(before)


@pytest.fixture
def segments(team, segment):
    """KA and C beside the SMB segment, all served by the same Bavarian team (08:00-17:00, Monday to Friday)."""
    return {"SMB": segment,
            "KA": Segment.objects.create(code="KA", name_de="Key Accounts", name_en="Key accounts", team=team,
                                         precedence=10),
            "C": Segment.objects.create(code="C", name_de="C-Kunden", name_en="C customers", team=team,
                                        precedence=40)}


@pytest.fixture
def accounts(people, segments, account):
    return {"SMB": account,
            "KA": AccountFactory(name="Brandl Anlagenbau AG", owner=people["rep"], segment=segments["KA"]),
            "C": AccountFactory(name="Schreinerei Wimmer", owner=people["rep"], segment=segments["C"])}


def new_version(contract, people, levels: dict) -> object:
    """The next version of ``contract`` with service levels per segment ``{service: {segment: (value, unit)}}``
    (other lines unchanged), accepted by both leads: the contract in force from then on."""
    draft = contracts.contract_new_version(user=people["vl"], contract=contract)
    lines = [{"service": line.service, "target_value": line.target_value, "target_unit": line.target_unit,
              "expected_monthly_volume": line.expected_monthly_volume,
              **({"segment_targets": [{"segment": code, "target_value": value, "target_unit": unit}
                                      for code, (value, unit) in levels[line.service.code].items()]}
                 if line.service.code in levels else {})}
             for line in draft.lines.select_related("service")]
    contracts.contract_save(user=people["vl"], contract=draft, data={}, lines=lines)
    contracts.contract_accept(user=people["vl"], contract=draft)
    contracts.contract_accept(user=people["idl"], contract=draft)
    return draft


@pytest.fixture
def with_levels(contract, people, segments):
    """Quote preparation: key accounts in 4 business hours, C customers in 2 business days, the rest 8 hours."""
    return new_version(contract, people, {"quote_prep": {"KA": ("4", "hours"), "C": ("2", "days")}})


def order(accounts, people, quote_prep, segment: str, received):
    return services.service_order_create(service=quote_prep, account=accounts[segment], requester=people["rep"],
                                         inputs={"products": "Dübel"}, now=received)


# Due times, computed by hand (Europe/Berlin is UTC+2 in summer; the team works 08:00-17:00 local time).

def test_a_key_account_quote_is_due_four_business_hours_later(accounts, people, quote_prep, with_levels):
    # Monday 7 June 2027, 15:00 local: 15-17 (2 h), Tuesday 08-10 (2 h) -> Tuesday 10:00 local = 08:00 UTC
    placed = order(accounts, people, quote_prep, "KA", utc(2027, 6, 7, 13, 0))
    assert placed.due_at == utc(2027, 6, 8, 8, 0)
    assert (placed.target_seconds, placed.sla_source, placed.segment.code) == (4 * 3600, "segment", "KA")
    assert (placed.sla_value, placed.sla_unit) == (4, "hours")


def test_a_c_customer_quote_takes_two_business_days_across_a_bavarian_holiday(accounts, people, quote_prep,
                                                                                with_levels):
    # Wednesday 26 May 2027, 14:00 local; 2 business days = 18 business hours of a 9-hour day:
    # Wed 14-17 (3 h), Thursday 27 May is Corpus Christi (a holiday in Bavaria), Fri 08-17 (9 h, 12 so far),
    # Monday 31 May 08-14 (6 h) -> Monday 14:00 local = 12:00 UTC
    placed = order(accounts, people, quote_prep, "C", utc(2027, 5, 26, 12, 0))
    assert placed.due_at == utc(2027, 5, 31, 12, 0)
    assert (placed.target_seconds, placed.sla_source, placed.sla_unit) == (18 * 3600, "segment", "days")


def test_a_segment_without_a_target_falls_back_to_the_line_default(accounts, people, quote_prep, with_levels):
    # the same Wednesday 14:00 local: 8 business hours = Wed 14-17 (3 h), holiday, Friday 08-13 (5 h)
    placed = order(accounts, people, quote_prep, "SMB", utc(2027, 5, 26, 12, 0))
    assert placed.due_at == utc(2027, 5, 28, 11, 0)
    assert (placed.target_seconds, placed.sla_source, placed.segment.code) == (8 * 3600, "contract", "SMB")


def test_an_order_keeps_the_target_that_applied_when_it_was_received(accounts, people, quote_prep, with_levels):
    before = order(accounts, people, quote_prep, "KA", utc(2027, 6, 7, 13, 0))
    new_version(with_levels, people, {"quote_prep": {"KA": ("6", "hours")}})
    after = order(accounts, people, quote_prep, "KA", utc(2027, 6, 7, 13, 0))
    before.refresh_from_db()
    assert (before.target_seconds, before.due_at) == (4 * 3600, utc(2027, 6, 8, 8, 0))
    # 6 business hours from Monday 15:00 local: 2 h on Monday, Tuesday 08-12 -> 12:00 local = 10:00 UTC
    assert (after.target_seconds, after.due_at) == (6 * 3600, utc(2027, 6, 8, 10, 0))
    # C lost its own target in that version (only KA was given for quote preparation): the line's default
    later_c = order(accounts, people, quote_prep, "C", utc(2027, 6, 7, 13, 0))
    assert (later_c.target_seconds, later_c.sla_source) == (8 * 3600, "contract")


def test_the_sla_report_measures_each_order_against_its_applied_target(accounts, people, quote_prep, with_levels):
    agent = people["agent"]
    # both received Monday 08:00 local and done 5 business hours later (13:00 local)
    for segment in ("KA", "C", "SMB"):
        placed = order(accounts, people, quote_prep, segment, utc(2027, 6, 7, 6, 0))
        complete(placed, agent, utc(2027, 6, 7, 11, 0))
    # a later version makes the key accounts' target 8 hours: the finished orders stay measured as received
    new_version(with_levels, people, {"quote_prep": {"KA": ("8", "hours")}})
    with translation.override("en"):
        report = reports.sla_report(start=date(2027, 6, 1), end=date(2027, 7, 1), now=utc(2027, 6, 9, 8, 0))
    by_segment = {s.key: (s.label, s.done, s.met) for s in report["by_segment"]}
    assert by_segment == {"KA": ("Key accounts", 1, 0), "C": ("C customers", 1, 1), "SMB": ("SMB", 1, 1)}
    assert (report["total"].done, report["total"].met) == (3, 2)
    assert ServiceOrder.objects.get(account=accounts["KA"]).sla_state == "breached"
    # the KPI dashboard and the review pack read the same orders: 2 of 3 within the level that applied to each
    sla = kpis.sla_and_ratings(kpis.Period(date(2027, 6, 1), date(2027, 6, 30)))
    row = next(r for r in sla["process_times"] if r.service_id == quote_prep.pk)
    assert (row.orders_done, row.within_service_level, row.applied_level_range) == (3, 2 / 3, (4.0, 18.0))
    assert sla["sla_attainment"] == 2 / 3


def test_the_api_shows_the_applied_target_as_sla_hours(client, accounts, people, quote_prep, with_levels):
    placed = {s: order(accounts, people, quote_prep, s, utc(2027, 6, 7, 6, 0)) for s in ("KA", "C", "SMB")}
    client.force_login(people["idl"])
    shown = {s: client.get(f"/api/v1/service-orders/{o.pk}").json() for s, o in placed.items()}
    assert {s: (b["sla_hours"], b["sla_source"], b["segment"]) for s, b in shown.items()} == {
        "KA": (4.0, "segment", "KA"), "C": (18.0, "segment", "C"), "SMB": (8.0, "contract", "SMB")}
    assert shown["C"]["target_business_seconds"] == 18 * 3600  # the existing key stays
    listing = client.get("/api/v1/service-orders").json()
    assert sorted(item["sla_hours"] for item in listing["items"]) == [4.0, 8.0, 18.0]


def test_segment_targets_change_only_through_a_new_version(people, segments, with_levels, quote_prep):
    lines = [{"service": quote_prep, "target_value": "8", "segment_targets": [
        {"segment": "KA", "target_value": "2", "target_unit": "hours"}]}]
    with pytest.raises(ContractError) as exc:
        contracts.contract_save(user=people["vl"], contract=with_levels, data={}, lines=lines)
    assert exc.value.rule == "contract.accepted"
    v3 = contracts.contract_new_version(user=people["idl"], contract=with_levels)
    copied = {(t.segment.code, t.target_value, t.target_unit) for t in SegmentTarget.objects.filter(line__contract=v3)}
    assert copied == {("KA", 4, "hours"), ("C", 2, "days")}
    assert active_contract(date(2027, 6, 7)) == with_levels  # the copy is a draft until both accept it


@pytest.mark.parametrize(("value", "unit", "code", "message"), [
    ("-4", "hours", "KA", "The service level “Service level for Key accounts” of Quote preparation must be greater "
                          "than zero (“-4”)."),
    ("0", "hours", "KA", "The service level “Service level for Key accounts” of Quote preparation must be greater "
                         "than zero (“0”)."),
    ("schnell", "hours", "KA", "“schnell” in “Service level for Key accounts” of Quote preparation is not a valid "
                               "number."),
    ("4", "hours", "XY", "There is no segment “XY”; service levels can be set for: KA, SMB, C."),
    ("4", "weeks", "KA", "“weeks” is not a unit of a service level (business hours or business days)."),
    ("12000", "hours", "KA", "The service level “Service level for Key accounts” of Quote preparation can be at "
                             "most 9,999."),
])
def test_bad_segment_targets_are_refused_and_nothing_changes(people, segments, contract, quote_prep, value, unit,
                                                             code, message):
    draft = new_version(contract, people, {})
    draft = contracts.contract_new_version(user=people["vl"], contract=draft)
    before = sorted(draft.lines.values_list("service__code", "target_value", "expected_monthly_volume"))
    rows = [{"service": quote_prep, "target_value": "6", "expected_monthly_volume": 99,
             "segment_targets": [{"segment": code, "target_value": value, "target_unit": unit}]}]
    with translation.override("en"), pytest.raises(ContractError) as exc:
        contracts.contract_save(user=people["vl"], contract=draft, data={"notes": "geändert"}, lines=rows)
    assert exc.value.message == message
    draft.refresh_from_db()
    assert sorted(draft.lines.values_list("service__code", "target_value", "expected_monthly_volume")) == before
    assert draft.notes == "" and not SegmentTarget.objects.filter(line__contract=draft).exists()


def test_a_zero_default_target_is_refused_with_a_message(people, contract, quote_prep):
    draft = contracts.contract_new_version(user=people["vl"], contract=contract)
    with translation.override("en"), pytest.raises(ContractError, match="must be greater than zero"):
        contracts.contract_save(user=people["vl"], contract=draft, data={},
                                lines=[{"service": quote_prep, "target_value": "0"}])
    assert draft.lines.count() == contract.lines.count()


def test_a_target_for_a_segment_the_service_is_not_offered_to_is_refused(people, segments, contract):
    from isf.service.models import ServiceCatalogEntry

    buying_center = ServiceCatalogEntry.objects.get(code="buying_center")
    buying_center.segments.set([segments["KA"]])
    draft = contracts.contract_new_version(user=people["vl"], contract=contract)
    with translation.override("en"), pytest.raises(ContractError) as exc:
        contracts.contract_save(user=people["vl"], contract=draft, data={}, lines=[
            {"service": buying_center, "target_value": "5", "target_unit": "days",
             "segment_targets": [{"segment": "C", "target_value": "10", "target_unit": "days"}]}])
    assert exc.value.rule == "catalog.segments"


def test_the_edit_page_refuses_an_unknown_segment_and_nothing_changes(client, people, segments, contract):
    draft = contracts.contract_new_version(user=people["vl"], contract=contract)
    lines_before = draft.lines.count()
    client.force_login(people["vl"])
    response = client.post(f"/service/contracts/{draft.pk}/edit/", {
        "period": draft.period, "valid_from": draft.valid_from.isoformat(), "valid_to": draft.valid_to.isoformat(),
        "max_discount_percent": "5", "max_goodwill_eur": "500", "max_payment_term_days": "14",
        "due_soon_fraction": "0.75", "notes": "neu", "on_quote_prep": "1", "value_quote_prep": "8",
        "unit_quote_prep": "hours", "volume_quote_prep": "10", "st.quote_prep.KA": "4", "st.quote_prep.ZZ": "2",
        "stu.quote_prep.ZZ": "days"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is no segment “ZZ”; service levels can be set for: KA, SMB, C." in page
    assert re.search(r'name="st\.quote_prep\.KA"[^>]*value="4"', page)  # what was typed stays on the page
    assert re.search(r'name="volume_quote_prep"[^>]*value="10"', page)
    draft.refresh_from_db()
    assert (draft.notes, draft.lines.count()) == ("", lines_before)
    assert not SegmentTarget.objects.filter(line__contract=draft).exists()
