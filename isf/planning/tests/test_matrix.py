"""Care matrix: validation names the field and saves nothing; default content; edit rights; history."""

import pytest
from django.utils import translation

from isf.org.choices import Role
from isf.org.tests.factories import UserFactory
from isf.planning.matrix_services import (
    MatrixError,
    care_matrices_load_defaults,
    care_matrix_defaults,
    care_matrix_save,
)
from isf.planning.models import CareActivity, CareMatrix
from isf.planning.tests.helpers import activity, make_segment

pytestmark = pytest.mark.django_db


def _saved_matrix(segment):
    return care_matrix_save(segment=segment, texts={"strategy": "Bestandskunden halten"},
                            potential_classes="A: 40000, B: 15000, C: 0",
                            activities=[activity(), activity(activity="visit", side="field", channel="on_site",
                                                             frequency_per_year=None, visits_by_class="A:3, B:2, C:1",
                                                             title_de="Besuch")])


def _snapshot(segment):
    matrix = CareMatrix.objects.get(segment=segment)
    return (matrix.strategy, matrix.potential_classes,
            list(CareActivity.objects.filter(matrix=matrix).values_list("title_de", "frequency_per_year", "visits_by_class")))


@pytest.mark.parametrize(
    "bad, field",
    [
        ({"frequency_per_year": 366}, "frequency_per_year"),
        ({"frequency_per_year": -1}, "frequency_per_year"),
        ({"frequency_per_year": None, "offset_days": 14}, "trigger_event"),
        ({"frequency_per_year": None}, "frequency_per_year"),
        ({"trigger_event": "first_order", "offset_days": 7}, "frequency_per_year"),
        ({"frequency_per_year": None, "trigger_event": "first_order", "offset_days": 400}, "offset_days"),
        ({"phases": []}, "phases"),
        ({"title_de": " "}, "title_de"),
        ({"frequency_per_year": None, "visits_by_class": "A:2, X:1"}, "visits_by_class"),
        ({"frequency_per_year": None, "visits_by_class": "A:500"}, "visits_by_class"),
    ],
)
def test_bad_entry_is_refused_with_the_field_named_and_nothing_saved(bad, field):
    segment = make_segment()
    _saved_matrix(segment)
    before = _snapshot(segment)
    with pytest.raises(MatrixError) as info:
        care_matrix_save(segment=segment, texts={"strategy": "GEÄNDERT"}, potential_classes="A: 1, C: 0",
                         activities=[activity(title_de="neu"), activity(**bad)])
    assert info.value.field == field
    assert info.value.row == 2
    assert _snapshot(segment) == before


def test_error_message_names_row_and_field_label():
    segment = make_segment()
    with translation.override("en"), pytest.raises(MatrixError) as info:
        care_matrix_save(segment=segment, activities=[activity(frequency_per_year=400)])
    with translation.override("en"):
        assert str(info.value) == "row 1, frequency per year: must be between 0 and 365"
    assert not CareMatrix.objects.filter(segment=segment).exists()


def test_potential_classes_must_start_at_zero_and_be_unique():
    segment = make_segment()
    for text in ["A: 1000, B: 500", "A: 10, A: 0", "A 1000"]:
        with pytest.raises(MatrixError) as info:
            care_matrix_save(segment=segment, potential_classes=text)
        assert info.value.field == "potential_classes"
    matrix = care_matrix_save(segment=segment, potential_classes="C: 0, A: 40.000, B: 15000")
    assert matrix.potential_classes == [["A", 40000], ["B", 15000], ["C", 0]]
    assert matrix.class_for(40000) == "A"
    assert matrix.class_for(39999.99) == "B"
    assert matrix.class_for(0) == "C"


def test_trigger_entry_gets_offset_zero_and_phases_in_canonical_order():
    segment = make_segment()
    matrix = care_matrix_save(segment=segment, activities=[
        activity(frequency_per_year=None, trigger_event="became_lost", phases=["lost", "at_risk"], activity="winback_call")
    ])
    entry = matrix.activities.get()
    assert (entry.trigger_event, entry.offset_days, entry.phases) == ("became_lost", 0, "at_risk,lost")
    assert entry.per_year_for("A") == 0


def test_update_keeps_entry_ids_and_records_history():
    segment = make_segment()
    lead = UserFactory(role=Role.SALES_LEAD)
    matrix = _saved_matrix(segment)
    first = matrix.activities.first()
    rows = [dict(activity(frequency_per_year=6), id=first.pk)]
    care_matrix_save(segment=segment, activities=rows, actor=lead)
    entry = CareActivity.objects.get(matrix=matrix)
    assert entry.pk == first.pk and entry.frequency_per_year == 6
    history = list(CareActivity.history.filter(id=first.pk).order_by("history_date").values_list("frequency_per_year",
                                                                                                   "history_user_id"))
    assert history == [(4, None), (6, lead.pk)]
    assert CareActivity.history.filter(matrix_id=matrix.pk, history_type="-").count() == 1


def test_defaults_smb_is_the_seed_matrix_and_others_differ_by_segment():
    for code in ["KA", "MP", "SMB", "C", "D", "PRIV"]:
        make_segment(code=code, name_de=code, name_en=code)
    assert care_matrices_load_defaults() == 6
    smb = CareMatrix.objects.get(segment__code="SMB")
    assert "Regelmäßige Betreuungsanrufe durch das SMB-Team" in smb.inside_concept
    assert "Rückgewinnung abgewanderter Kunden" in smb.inside_concept
    assert "Cross-/Up-Selling" in smb.strategy
    assert "Standard-Ausschreibungsteam" in smb.other_measures
    assert "Anzahl der Besuche pro Jahr nach Potenzial" in smb.field_concept
    visit = smb.activities.get(activity="visit", trigger_event="")
    assert visit.visits_by_class == {"A": 3, "B": 2, "C": 1}
    ka = CareMatrix.objects.get(segment__code="KA")
    assert ka.activities.get(activity="care_call", trigger_event="").frequency_per_year == 12
    assert ka.activities.filter(activity="review_meeting").exists()
    ka_welcome = set(ka.activities.filter(phases__contains="new", trigger_event__in=["first_order", "became_new"])
                     .values_list("activity", flat=True))
    smb_welcome = set(smb.activities.filter(phases="new", trigger_event="first_order").values_list("activity", flat=True))
    assert ka_welcome == {"visit", "welcome_call", "review_meeting"} and smb_welcome == {"welcome_call"}
    for code in ["C", "D", "PRIV"]:
        assert not CareActivity.objects.filter(matrix__segment__code=code, side="field").exists()
    # defaults never overwrite an edited matrix
    care_matrix_save(segment=smb.segment, texts={"strategy": "eigene Strategie"})
    care_matrix_defaults(segment=smb.segment)
    assert CareMatrix.objects.get(segment__code="SMB").strategy == "eigene Strategie"


def test_sales_lead_edits_the_matrix_page(client):
    segment = make_segment()
    _saved_matrix(segment)
    matrix = CareMatrix.objects.get(segment=segment)
    first, second = matrix.activities.all()
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    post = {
        "rows": "3", "inside_concept": "Anrufe", "field_concept": "", "strategy": "Halten", "other_measures": "",
        "potential_classes": "A: 40000, B: 15000, C: 0", "call_counts_as_visit": "on",
        "a-0-id": first.pk, "a-0-activity": "care_call", "a-0-title_de": "Betreuungsanruf", "a-0-side": "inside",
        "a-0-channel": "phone", "a-0-frequency_per_year": "6", "a-0-phases": ["active", "new"],
        "a-1-id": second.pk, "a-1-delete": "1", "a-1-title_de": "Besuch",
        "a-2-id": "", "a-2-title_de": "",
    }
    response = client.post(f"/queue/matrix/{segment.code}/edit/", post)
    assert response.status_code == 302
    matrix.refresh_from_db()
    assert matrix.strategy == "Halten" and matrix.call_counts_as_visit is True
    assert list(matrix.activities.values_list("pk", "frequency_per_year", "phases")) == [(first.pk, 6, "new,active")]
    page = client.get(f"/queue/matrix/{segment.code}/")
    assert page.status_code == 200
    assert "Betreuungsanruf" in page.content.decode()


def test_bad_input_on_the_page_shows_the_field_and_saves_nothing(client):
    segment = make_segment()
    _saved_matrix(segment)
    before = _snapshot(segment)
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    response = client.post(f"/queue/matrix/{segment.code}/edit/", {
        "rows": "1", "strategy": "NEU", "potential_classes": "A: 40000, B: 15000, C: 0",
        "a-0-activity": "care_call", "a-0-title_de": "Anruf", "a-0-side": "inside", "a-0-channel": "phone",
        "a-0-frequency_per_year": "400", "a-0-phases": ["active"],
    }, HTTP_ACCEPT_LANGUAGE="de")
    assert response.status_code == 400
    assert "Zeile 1, Häufigkeit pro Jahr: muss zwischen 0 und 365 liegen" in response.content.decode()
    assert _snapshot(segment) == before


def test_inside_lead_reads_and_tries_edits_but_cannot_save(client):
    segment = make_segment()
    _saved_matrix(segment)
    before = _snapshot(segment)
    client.force_login(UserFactory(role=Role.INSIDE_LEAD))
    assert client.get(f"/queue/matrix/{segment.code}/").status_code == 200
    what_if = client.get(f"/queue/matrix/{segment.code}/edit/")  # the what-if form, without a save button
    assert what_if.status_code == 200
    assert 'data-testid="matrix-preview"' in what_if.content.decode()
    assert 'data-testid="matrix-save"' not in what_if.content.decode()
    response = client.post(f"/queue/matrix/{segment.code}/edit/", {"rows": "0", "strategy": "X"})
    assert response.status_code == 403
    assert _snapshot(segment) == before
    client.force_login(UserFactory(role=Role.MARKETING))
    assert client.get(f"/queue/matrix/{segment.code}/").status_code == 403
