"""SLA report: attainment, lead-time median and P90 in business hours, ratings, volume, breaches, CSV."""

from datetime import date

import pytest
from django.utils import translation

from isf.service import reports, services
from isf.service.tests.conftest import utc
from isf.service.tests.helpers import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(people, account, quote_prep, contract):
    agent = people["agent"]
    orders = []
    for done_at in (utc(2027, 6, 7, 8, 0), utc(2027, 6, 7, 10, 0), utc(2027, 6, 8, 8, 0)):  # 2 h, 4 h, 11 h
        order = services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                              inputs={"products": "Dübel"}, now=utc(2027, 6, 7, 6, 0))
        orders.append(complete(order, agent, done_at))
    services.service_order_rate(order=orders[0], user=people["rep"], score=5, comment="Prima")
    services.service_order_rate(order=orders[2], user=people["rep"], score=3, comment="Zu spät")
    # one open order, breached long ago
    services.service_order_create(service=quote_prep, account=account, requester=people["rep"],
                                  inputs={"products": "Anker"}, now=utc(2027, 6, 1, 6, 0))
    return orders


def test_attainment_lead_times_and_ratings(finished):
    report = reports.sla_report(start=date(2027, 6, 1), end=date(2027, 7, 1), now=utc(2027, 6, 9, 8, 0))
    total = report["total"]
    assert (total.done, total.met, total.attainment) == (3, 2, 66.7)
    assert (total.median, total.p90) == (4.0, 9.6)
    assert (total.rating, total.n_ratings) == (4.0, 2)
    [service] = report["by_service"]
    assert (service.key, service.done, service.met) == ("quote_prep", 3, 2)
    [team] = report["by_team"]
    assert team.key == "SMB"
    [month] = report["by_month"]
    assert (month.key, month.label) == ("2027-06", "Juni 2027")
    [agent] = report["by_agent"]
    assert agent.rating == 4.0
    assert [o.inputs["products"] for o in report["open_breaches"]] == ["Anker"]
    june = [v for v in report["volume"] if v["month"] == "2027-06" and v["service"] == "quote_prep"]
    # June is running (the 9th): 10 a month expected, pro rata 9 of 30 days
    assert june == [{"month": "2027-06", "month_label": "Juni 2027", "service": "quote_prep",
                     "name": "Angebotserstellung", "actual": 4,
                     "expected": 3.0, "ratio": 133.3}]


def test_csv_export_uses_german_conventions(finished):
    report = reports.sla_report(start=date(2027, 6, 1), end=date(2027, 7, 1), now=utc(2027, 6, 9, 8, 0))
    with translation.override("de"):  # a request of an earlier test may have left another language active
        text = reports.sla_report_csv(report)
    lines = text.splitlines()
    assert lines[0].startswith("\ufeffMonat;Leistung;Team;Erledigt")
    assert lines[1] == "2027-06;quote_prep;SMB;3;2;66,7;4,0;9,6;4,0;2"
    assert "2027-06;quote_prep;4;3,0;133,3" in lines


def test_csv_export_quotes_a_team_code_a_spreadsheet_would_evaluate_and_speaks_english_too(finished, team):
    team.code = "=SMB+1"
    team.save(update_fields=["code"])
    report = reports.sla_report(start=date(2027, 6, 1), end=date(2027, 7, 1), now=utc(2027, 6, 9, 8, 0))
    with translation.override("en"):
        lines = reports.sla_report_csv(report).splitlines()
    assert lines[0] == ("\ufeffMonth;Service;Team;Completed;Within the service level;Attainment %;"
                        "Lead time median (business hours);Lead time P90 (business hours);Average rating;Ratings")
    assert lines[1] == "2027-06;quote_prep;'=SMB+1;3;2;66,7;4,0;9,6;4,0;2"
    assert lines[3] == "Month;Service;Orders;Expected by the contract;Actual/expected %"


def test_report_page_and_csv_download_for_the_idl(client, people, finished):
    client.force_login(people["idl"])
    response = client.get("/service/sla/?from=2027-06&to=2027-06")
    assert response.status_code == 200
    assert b'id="sla-chart-data"' in response.content
    csv_response = client.get("/service/sla/export.csv?from=2027-06&to=2027-06")
    assert csv_response["Content-Type"].startswith("text/csv")
    assert "2027-06;quote_prep;SMB;3;2;66,7" in csv_response.content.decode()
    client.force_login(people["agent"])
    assert client.get("/service/sla/").status_code == 403


def test_the_kpi_dashboard_and_the_pack_read_the_same_volume_as_the_report(finished, today_is):
    from isf.capacity import kpis

    today_is(date(2027, 6, 9))
    period = kpis.period_for("month", date(2027, 6, 9))
    received = kpis.dashboard(period)["sla"]["received"]
    quote = next(r for r in received if r["code"] == "quote_prep")
    report = reports.sla_report(start=date(2027, 6, 1), end=date(2027, 7, 1))
    [june] = [v for v in report["volume"] if v["month"] == "2027-06" and v["service"] == "quote_prep"]
    assert (quote["actual"], quote["expected"]) == (june["actual"], june["expected"]) == (4, 3.0)
    assert round(100 * quote["ratio"], 1) == june["ratio"]
