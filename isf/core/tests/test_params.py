"""The one reader of query parameters: what is an id, what a page ignores and what an export or the API refuses."""

import pytest
from django.http import QueryDict
from django.utils import translation

from isf.core.params import ParamError, QueryParams, parse_id
from isf.org.choices import Role
from isf.org.tests.factories import RegionFactory, UserFactory


@pytest.mark.parametrize("raw", ["abc", "²", "9" * 23, "9223372036854775808", "-1", "", "0", "0x10", " 1", "1.5",
                                 "9" * 5000, "\x00"])
def test_only_ascii_decimals_in_the_bigint_range_are_ids(raw):
    assert parse_id(raw) is None


def test_ids_at_the_edges_of_the_range():
    assert (parse_id("1"), parse_id("9223372036854775807")) == (1, 2**63 - 1)


def test_a_page_ignores_an_unknown_choice_and_says_so_a_strict_reader_refuses_it():
    with translation.override("en"):
        lenient = QueryParams(QueryDict("sla_state=zzz&status=open"))
        assert lenient.choice("sla_state", ["on_track"]) == ""
        assert lenient.choice("status", ["open"]) == "open"
        assert [p.message for p in lenient.problems] == ["Unknown SLA state 'zzz' ignored."]
        with pytest.raises(ParamError) as refused:
            QueryParams(QueryDict("team=%C2%B2"), strict=True).id("team")
    assert (refused.value.field, refused.value.message) == ("team", "team: '²' is not a valid value.")


def test_the_message_is_german_for_german_users():
    with translation.override("de"):
        query = QueryParams(QueryDict("region=abc"))
        assert query.id("region") is None
        assert [p.message for p in query.problems] == ["Unbekannter Wert für Region „abc“ ignoriert."]


@pytest.mark.django_db
def test_the_account_list_ignores_an_unknown_region_with_a_message(client):
    RegionFactory(code="OB")
    client.force_login(UserFactory(username="p-vl", role=Role.SALES_LEAD))
    response = client.get("/accounts/", {"region": "abc"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert [str(m) for m in response.context["messages"]] == ["Unknown region 'abc' ignored."]


@pytest.mark.django_db
def test_an_export_with_an_invalid_filter_is_refused_not_an_empty_file(client):
    client.force_login(UserFactory(username="p-vl2", role=Role.SALES_LEAD))
    response = client.get("/imports/export/accounts.csv", {"region": "9" * 23}, HTTP_ACCEPT="text/csv",
                          HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.content.decode()) == (400, "region: '99999999999999999999999' is not a "
                                                                      "valid value.")


@pytest.mark.django_db
def test_the_api_answers_400_with_message_and_field_for_an_unknown_filter(client):
    client.force_login(UserFactory(username="p-idl", role=Role.INSIDE_LEAD))
    response = client.get("/api/v1/service-orders", {"team": "²"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (response.status_code, response.json()) == (400, {"message": "team: '²' is not a valid value.",
                                                             "field": "team"})
    response = client.get("/api/v1/service-orders", {"sla_state": "zzz"}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400 and response.json()["field"] == "sla_state"


@pytest.mark.django_db
def test_a_control_character_in_any_query_value_is_refused_before_a_view_reads_it(client):
    """PostgreSQL cannot search for a NUL (DataError): no page, export or API list gets to try."""
    client.force_login(UserFactory(username="p-idl2", role=Role.INSIDE_LEAD))
    page = client.get("/segments/account/", {"number": "\x00"}, HTTP_ACCEPT_LANGUAGE="de")
    assert page.status_code == 400 and "„\ufffd“ enthält ein Steuerzeichen." in page.content.decode()
    api = client.get("/api/v1/accounts", {"q": "a\x07b"}, HTTP_ACCEPT_LANGUAGE="en")
    assert (api.status_code, api.json()) == (400, {"message": "q: 'a\ufffdb' contains a control character.",
                                                   "field": "q"})
    assert client.get("/service/orders/", {"status": "open"}).status_code == 200


def test_a_repeated_parameter_keeps_its_valid_values_and_names_the_others():
    with translation.override("en"):
        query = QueryParams(QueryDict("kind=call&kind=zzz&kind=visit"))
        assert query.choice_list("kind", ["visit", "call"]) == ["call", "visit"]
        assert [p.message for p in query.problems] == ["Unknown kind 'zzz' ignored."]
        assert QueryParams(QueryDict("agents=3&agents=%C2%B2&agents=5")).ids("agents") == [3, 5]
        with pytest.raises(ParamError) as refused:
            QueryParams(QueryDict(f"agents=3&agents={'9' * 23}"), strict=True).ids("agents")
    assert refused.value.field == "agents"


def test_a_page_number_that_is_no_number_is_the_first_page_with_a_message():
    with translation.override("en"):
        assert QueryParams(QueryDict("page=7")).page() == 7
        query = QueryParams(QueryDict("page=abc"))
        assert query.page() == 1
        assert [p.message for p in query.problems] == ["Unknown page 'abc' ignored."]


@pytest.mark.parametrize(("posted", "target"), [
    ("/queue/?scope=mine", "/queue/?scope=mine"), ("https://evil.example/", "/home/"), ("//evil.example/", "/home/"),
    ("abc", "/home/"), ("javascript:alert(1)", "/home/"), ("/a\x00b", "/home/"), ("", "/home/"),
])
def test_a_form_sends_the_user_back_only_to_a_path_on_this_site(rf, posted, target):
    from isf.core.params import next_url

    assert next_url(rf.post("/x/", {"next": posted}), "home") == target


@pytest.mark.django_db
def test_several_objects_by_id_refuse_a_number_the_database_cannot_hold():
    from django import forms

    from isf.core.params import ModelIdsField
    from isf.org.models import Region

    region = RegionFactory(code="OB")

    class RegionsForm(forms.Form):
        regions = ModelIdsField(queryset=Region.objects.all())

    with translation.override("en"):
        refused = RegionsForm(data={"regions": [str(region.pk), "9" * 23]})
        assert not refused.is_valid()
        assert refused.errors["regions"] == ["“99999999999999999999999” is not a valid value."]
    accepted = RegionsForm(data={"regions": [str(region.pk)]})
    assert accepted.is_valid() and list(accepted.cleaned_data["regions"]) == [region]
