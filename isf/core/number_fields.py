"""Numbers in every HTML form are read the way they are typed in the page's language (issue 21).

One parsing path: :func:`isf.core.numbers.parse_number`. :func:`install` (called from ``CoreConfig.ready``) makes it
the reading of Django's ``IntegerField``, ``DecimalField`` and ``FloatField`` - declared and model-form fields alike -
and gives them :class:`LocalizedNumberInput`, a ``type="text" inputmode="decimal"`` input: a browser's
``type="number"`` drops or rewrites what a German user types ("300.000" arrived as 300, "12,5" as 125).
A value that does not parse, or parses two ways, is refused with a message naming the field by its label; it is
never read as something else. Widgets that are still ``NumberInput`` (the admin's) send the browser's canonical
"1234.5" and are read that way.
"""

from decimal import Decimal, InvalidOperation

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from isf.core.numbers import NumberParseError, number_language, parse_number

MAX_TYPED = 40  # characters; a longer "number" is refused before it is read

EXAMPLES = {"de": ("1.234,56", "1.500"), "en": ("1,234.56", "1,500")}

MESSAGES = {
    "invalid": _("Enter “%(label)s” as a number such as %(example)s; “%(value)s” is not one."),
    "ambiguous": _("“%(value)s” in “%(label)s” is ambiguous: write %(thousands)s for one thousand five hundred "
                   "and %(example)s for a number with decimals."),
    "whole": _("“%(label)s” takes a whole number; “%(value)s” is not one."),
}


class LocalizedNumberInput(forms.TextInput):
    """A text input for a number: the browser keeps what is typed; the value is shown in the page's language."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", **(attrs or {})})

    def format_value(self, value):
        if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            try:
                return number_format(value, force_grouping=True)
            except (InvalidOperation, ValueError, TypeError):
                return str(value)
        return super().format_value(value)


def _refuse(field, key: str, value) -> ValidationError:
    label = field.label if field.label is not None else gettext("this field")
    shown = str(value)[:MAX_TYPED]
    example, thousands = EXAMPLES[number_language()]
    return ValidationError(MESSAGES[key], code="invalid",
                           params={"label": label, "value": shown, "example": example, "thousands": thousands})


def read_number(field, value) -> Decimal | None:
    """``value`` of a form field as a Decimal (None when empty), or the ValidationError naming the field."""
    if value in field.empty_values:
        return None
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        try:
            return Decimal(str(value))
        except InvalidOperation:
            raise _refuse(field, "invalid", value) from None
    text = str(value).strip()
    if not text:
        return None
    if len(text) > MAX_TYPED:
        raise _refuse(field, "invalid", value)
    if isinstance(field.widget, forms.NumberInput):  # the browser normalised it ("1234.5")
        try:
            number = Decimal(text) if text.isascii() else None
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise _refuse(field, "invalid", value)
        return number
    try:
        return parse_number(text)
    except NumberParseError as exc:
        raise _refuse(field, "ambiguous" if exc.reason == "is ambiguous" else "invalid", value) from None


def _integer_to_python(self, value):
    number = read_number(self, value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise _refuse(self, "whole", value)
    return int(number)


def _decimal_to_python(self, value):
    return read_number(self, value)


def _float_to_python(self, value):
    number = read_number(self, value)
    return None if number is None else float(number)


def install() -> None:
    """Make the localized reading and input the default of every number field of every form."""
    forms.IntegerField.to_python = _integer_to_python
    forms.DecimalField.to_python = _decimal_to_python
    forms.FloatField.to_python = _float_to_python
    for cls in (forms.IntegerField, forms.DecimalField, forms.FloatField):
        cls.widget = LocalizedNumberInput
