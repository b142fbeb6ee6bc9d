"""Field types for API schemas: the input rules of isf/core/text.py, enforced and stated in the OpenAPI spec.

Use them for every text and date of a request schema, so that a client reads the limits from the spec and
the API refuses what the forms and the import refuse::

    class LeadIn(Schema):
        company: Line(200) = ""
        message: Text(LEAD_MESSAGE_MAX) = ""
        postcode: Postcode = ""
        order_date: SaneDate

A refused value answers 422 ``{"message": "company: ...", "field": "company"}``.
"""

from datetime import date
from typing import Annotated, Literal

from pydantic import AfterValidator, BeforeValidator, Field

from isf.core.text import (
    DATE_MAX,
    DATE_MIN,
    POSTCODE_PATTERN,
    control_character_message,
    date_range_message,
    is_postcode,
    json_pattern,
)


def _checker(multiline: bool):
    def check(value: str) -> str:
        if (problem := control_character_message(value, multiline=multiline)) is not None:
            raise ValueError(problem)
        return value

    return check


_LINE, _TEXT = _checker(False), _checker(True)


def _json_integer(value):
    """JSON true/false and strings are no ids (pydantic would read true as 1 and "7" as 7)."""
    if isinstance(value, bool | str):
        raise ValueError("Input should be a valid integer")
    return value


#: A database id in a body: a JSON integer (not true/false, not a string) the database can hold.
Id = Annotated[int, BeforeValidator(_json_integer), Field(ge=1, le=2**63 - 1)]


def Line(max_length: int):  # noqa: N802 - used like a type: `name: Line(200)`
    """A single-line text of at most ``max_length`` characters, without control characters."""
    return Annotated[str, Field(max_length=max_length, json_schema_extra={"pattern": json_pattern(multiline=False)}),
                     AfterValidator(_LINE)]


def Text(max_length: int):  # noqa: N802
    """A multi-line text (tab and line breaks allowed) of at most ``max_length`` characters."""
    return Annotated[str, Field(max_length=max_length, json_schema_extra={"pattern": json_pattern(multiline=True)}),
                     AfterValidator(_TEXT)]


def _postcode(value: str) -> str:
    if value and not is_postcode(value):
        raise ValueError("must have 5 digits (a German postcode)")
    return value


#: A German postcode (five digits) or empty.
Postcode = Annotated[str, Field(max_length=5, json_schema_extra={"pattern": f"{POSTCODE_PATTERN}|^$"}),
                     AfterValidator(_postcode)]


def _date(value: date) -> date:
    if (problem := date_range_message(value)) is not None:
        raise ValueError(problem)
    return value


#: A calendar date between DATE_MIN and DATE_MAX (a year 0001 is a mapping error, not an order date).
SaneDate = Annotated[date, Field(description=f"{DATE_MIN.isoformat()} to {DATE_MAX.isoformat()}",
                                 json_schema_extra={"pattern": "^(19|20)[0-9]{2}-"}),
                     AfterValidator(_date)]


def ModelText(model, field_name: str):  # noqa: N802
    """The text type of a model field: its ``max_length``; multi-line for a ``TextField`` (one place: the model)."""
    field = model._meta.get_field(field_name)
    kind = Text if field.get_internal_type() == "TextField" else Line
    return kind(field.max_length)


def Choice(choices, *, blank: bool = False, extra: tuple[str, ...] = ()):  # noqa: N802
    """One of the values of a TextChoices class (an ``enum`` in the spec); ``blank`` also allows ``""``."""
    values = (*choices.values, *extra, *([""] if blank else []))
    return Literal[values]
