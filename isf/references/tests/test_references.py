"""The reference library: cases found by product group, industry, text and approval, paged; bad input refused;
press findings and cases on the account's timeline (issue 20)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import translation

from isf.calls.timeline import timeline_for
from isf.customers.tests.factories import AccountFactory, ProductGroupFactory
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.references.models import PressFinding, ReferenceCase
from isf.references.selectors import reference_search
from isf.references.services import ReferenceError, press_finding_record, reference_case_create

pytestmark = pytest.mark.django_db
DAY = dt.date(2026, 9, 1)


@pytest.fixture
def lib(today_is):
    today_is(DAY)
    user = UserFactory(username="ka", role=Role.INSIDE_LEAD, team=TeamFactory())
    drl = ProductGroupFactory(code="DRL", name="Drucklufttechnik", name_en="Compressed air")
    swt = ProductGroupFactory(code="SWT", name="Schweißtechnik", name_en="Welding")
    metal = AccountFactory(name="Huber Metallbau GmbH", industry="C", erp_number="100001")
    build = AccountFactory(name="Bau Meier KG", industry="F", erp_number="100002")
    cases = {
        "air": reference_case_create(account=metal, title="Druckluft-Leckagen halbiert", product_groups=[drl],
                                     result="Energiekosten um 18 % gesenkt", user=user,
                                     approved_on=DAY - dt.timedelta(days=10), approved_by="Dr. Huber, GF"),
        "weld": reference_case_create(account=metal, title="Schweißplätze modernisiert", product_groups=[swt, drl],
                                      result="Ausschuss von 4 % auf 1 %", user=user),
        "site": reference_case_create(account=build, title="Baustellenversorgung", product_groups=[swt],
                                      result="Lieferung in 24 h", user=user),
    }
    return {"user": user, "drl": drl, "swt": swt, "metal": metal, "build": build, "cases": cases}


def test_search_by_product_group_industry_text_and_approval(lib):
    c = lib["cases"]
    assert set(reference_search(group=lib["drl"].pk)) == {c["air"], c["weld"]}
    assert set(reference_search(group=lib["swt"].pk, industry="F")) == {c["site"]}
    assert set(reference_search(industry="C")) == {c["air"], c["weld"]}  # the account's industry by default
    assert set(reference_search(q="ausschuss")) == {c["weld"]}
    assert set(reference_search(q="100002")) == {c["site"]}
    assert set(reference_search(approval="approved")) == {c["air"]}
    assert set(reference_search(approval="pending", group=lib["swt"].pk)) == {c["weld"], c["site"]}


def test_the_library_page_filters_pages_and_refuses_unknown_values(client, lib):
    for i in range(25):
        reference_case_create(account=lib["build"], title=f"Fall {i}", product_groups=[lib["swt"]],
                              result="Ergebnis", user=lib["user"])
    client.force_login(lib["user"])
    resp = client.get(reverse("references:list"), {"group": lib["swt"].pk})
    assert resp.status_code == 200
    assert resp.context["page"].paginator.count == 27 and len(resp.context["page"].object_list) == 20
    resp = client.get(reverse("references:list"), {"group": lib["swt"].pk, "page": 2})
    assert len(resp.context["page"].object_list) == 7
    resp = client.get(reverse("references:list"), {"industry": "ZZ", "group": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert resp.status_code == 200 and resp.context["page"].paginator.count == 28  # filters dropped, said so
    assert [str(m) for m in resp.context["messages"]]


def test_bad_cases_are_refused_and_nothing_is_written(lib):
    before = ReferenceCase.objects.count()
    with pytest.raises(ReferenceError) as exc:
        reference_case_create(account=lib["metal"], title="x", product_groups=[], result="y", user=lib["user"])
    assert exc.value.field == "product_groups"
    with pytest.raises(ReferenceError) as exc:
        reference_case_create(account=lib["metal"], title="x", product_groups=[lib["drl"]], result="y",
                              user=lib["user"], approved_on=DAY)  # an approval names who approved
    assert exc.value.field == "approved_by"
    with pytest.raises(ReferenceError) as exc:
        reference_case_create(account=lib["metal"], title="x", product_groups=[lib["drl"]], result="y",
                              user=lib["user"], approved_on=DAY + dt.timedelta(days=1), approved_by="Huber")
    assert exc.value.field == "approved_on"
    assert ReferenceCase.objects.count() == before


def test_press_findings_and_cases_are_on_the_timeline(lib):
    press_finding_record(account=lib["metal"], published_on=DAY - dt.timedelta(days=3), publication="Nordbayerischer Kurier",
                         headline="Huber Metallbau baut neue Halle in Erlangen", url="https://example.com/huber",
                         note="Bedarf an Hallenausstattung und Druckluft", user=lib["user"])
    with pytest.raises(ReferenceError):
        press_finding_record(account=lib["metal"], published_on=DAY + dt.timedelta(days=1), publication="x",
                             headline="y", user=lib["user"])
    with pytest.raises(ReferenceError):
        press_finding_record(account=lib["metal"], published_on=DAY, publication="x", headline="y",
                             url="javascript:alert(1)", user=lib["user"])
    assert PressFinding.objects.count() == 1
    with translation.override("de"):
        entries = timeline_for(lib["metal"], kinds=["press", "reference"])
    assert [e["kind"] for e in entries] == ["reference", "reference", "press"]
    assert entries[2]["title"] == "Nordbayerischer Kurier · Huber Metallbau baut neue Halle in Erlangen"
    assert entries[2]["url"] == "https://example.com/huber"
    assert {e["status"] for e in entries[:2]} == {"Freigabe ausstehend", "freigegeben von Dr. Huber, GF am 22.08.2026"}
