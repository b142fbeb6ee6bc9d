"""What a text or a date that ISF stores may contain: the one rule for every entry point (issue 23).

Every way in applies it: the API schemas (``isf.api.types``), every HTML form (``forms.CharField``'s default
validators, set in ``isf.core.apps``), the lead intake service and the import engine's date parser.

- **Control characters** are refused: NUL cannot be stored by PostgreSQL, the C0/C1 controls break the Excel
  export (``IllegalCharacterError``) and are invisible on every page; unpaired surrogates (``"\\ud800"``) have no
  UTF-8 form. Multi-line texts (notes, messages, descriptions) may hold tab, line feed and carriage return; a
  single-line text (a name, a postcode, a number) may not.
- **Dates** lie in :data:`DATE_MIN` .. :data:`DATE_MAX`: a year 0001 or 9999 is a typing or mapping error, and
  such dates overflow date arithmetic (age, SLA clocks, fiscal years).
"""

import re
from datetime import date

# No Django at module level: the import engine's value parsers (isf/imports/values.py) use this module too.

#: Characters no multi-line text may hold: C0 controls other than tab, line feed, carriage return; DEL; C1 controls;
#: surrogates (only an unpaired one can reach a Python string).
MULTILINE_FORBIDDEN = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff"
#: Characters no single-line text may hold: additionally tab, line feed and carriage return.
LINE_FORBIDDEN = "\x00-\x1f\x7f-\x9f\ud800-\udfff"

_SEARCH = {
    True: re.compile(f"[{MULTILINE_FORBIDDEN}]").search,
    False: re.compile(f"[{LINE_FORBIDDEN}]").search,
}

#: The longest multi-line text a user may enter (a lead's message, a complaint's description or resolution).
LONG_TEXT_MAX = 5000

#: A German postcode: five ASCII digits (``isdigit`` would also take "²" or Arabic-Indic digits).
POSTCODE_PATTERN = "^[0-9]{5}$"
_POSTCODE = re.compile(POSTCODE_PATTERN, re.ASCII).match

#: The earliest and the latest date ISF accepts anywhere (orders, quotes, appointments, imports).
DATE_MIN = date(1900, 1, 1)
DATE_MAX = date(2099, 12, 31)


def json_pattern(*, multiline: bool) -> str:
    """The rule as a JSON-schema ``pattern`` (ECMA-262 and Python ``re`` read it alike), for the OpenAPI spec."""
    forbidden = MULTILINE_FORBIDDEN if multiline else LINE_FORBIDDEN
    escaped = forbidden.encode("unicode_escape").decode("ascii").replace("\\x", "\\u00")
    # \ud800-\udfff would read as a surrogate pair in ECMA-262 with the u flag; generated text has none anyway.
    escaped = escaped.replace("\\ud800-\\udfff", "")
    return f"^[^{escaped}]*$"


def forbidden_character(value: str, *, multiline: bool) -> str | None:
    """The first character of ``value`` that the rule refuses, else None."""
    m = _SEARCH[multiline](value)
    return None if m is None else m.group()


def control_character_message(value: str, *, multiline: bool) -> str | None:
    """The problem of a refused text ("contains the control character U+0000"), or None for an acceptable one."""
    ch = forbidden_character(value, multiline=multiline)
    if ch is None:
        return None
    return f"contains the control character U+{ord(ch):04X}, which cannot be stored"


class NoControlCharacters:
    """Django validator: refuse control characters (tab and line breaks pass when ``multiline``)."""

    code = "control_character"

    def __init__(self, *, multiline: bool = True):
        self.multiline = multiline

    def __call__(self, value):
        ch = forbidden_character(str(value), multiline=self.multiline)
        if ch is not None:
            from django.core.exceptions import ValidationError
            from django.utils.translation import gettext

            message = gettext("This text contains the control character U+%(code)s, which cannot be stored.")
            raise ValidationError(message % {"code": f"{ord(ch):04X}"}, code=self.code)

    def __eq__(self, other):
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline


def date_range_message(value: date) -> str | None:
    """The problem of a date outside :data:`DATE_MIN` .. :data:`DATE_MAX`, or None."""
    if DATE_MIN <= value <= DATE_MAX:
        return None
    return f"date outside {DATE_MIN.isoformat()}..{DATE_MAX.isoformat()}"


def is_postcode(value: str) -> bool:
    """A German postcode (five digits); ISF's accounts and leads are in Germany."""
    return _POSTCODE(value) is not None


def model_text_problem(model, field_name: str, value: str) -> str | None:
    """The problem of ``value`` for a text field of ``model``: over its ``max_length``, or a control character.

    A ``TextField`` is multi-line; every other text field is a single line.
    """
    field = model._meta.get_field(field_name)
    if field.max_length is not None and len(value) > field.max_length:
        return f"at most {field.max_length} characters, got {len(value)}"
    return control_character_message(value, multiline=field.get_internal_type() == "TextField")
