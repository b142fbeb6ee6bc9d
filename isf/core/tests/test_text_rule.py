"""The control-character rule (isf/core/text.py) holds on every HTML form, in German too (issue 23)."""

import pytest
from django import forms
from django.utils import translation

from isf.campaigns.forms import ComplaintForm
from isf.core.text import forbidden_character, json_pattern


class NoteForm(forms.Form):
    name = forms.CharField(max_length=50)
    note = forms.CharField(widget=forms.Textarea, required=False)


@pytest.mark.parametrize("char", ["\x00", "\x08", "\x0b", "\x1f", "\x7f", "\x9f"])
def test_every_form_text_field_refuses_control_characters(char):
    with translation.override("en"):
        form = NoteForm(data={"name": f"Muster{char}GmbH", "note": f"a{char}b"})
        assert not form.is_valid()
        message = f"This text contains the control character U+{ord(char):04X}, which cannot be stored."
        assert message in form.errors["note"]  # NUL also gets Django's own "Null characters are not allowed."
        assert message in form.errors["name"]


def test_forms_keep_tab_and_line_breaks():
    form = NoteForm(data={"name": "Muster GmbH", "note": "Zeile 1\r\n\tZeile 2"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["note"] == "Zeile 1\r\n\tZeile 2"


def test_the_form_message_is_german_in_german():
    with translation.override("de"):
        form = NoteForm(data={"name": "Muster\x01GmbH"})
        assert not form.is_valid()
        assert form.errors["name"] == [
            "Dieser Text enthält das Steuerzeichen U+0001, das nicht gespeichert werden kann."]


def test_a_complaint_description_over_5000_characters_is_refused_by_the_form():
    form = ComplaintForm(data={"category": "quality", "severity": "medium", "description": "x" * 5001})
    assert not form.is_valid()
    assert list(form.errors) == ["description"]


def test_the_json_pattern_states_the_same_rule():
    import re

    for multiline in (False, True):
        match = re.compile(json_pattern(multiline=multiline)).match
        for code in range(0x00, 0xA0):
            ch = chr(code)
            assert (match(f"a{ch}b") is None) == (forbidden_character(ch, multiline=multiline) is not None), code
