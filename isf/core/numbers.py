"""Numbers for display: rounded half up (Django's number_format truncates) and shares that add up.

`format_number` rounds first and then formats in the active language (1.026,38 in German,
1,026.38 in English). `largest_remainder` rounds a list of fractions to percentages with
`digits` decimals so that the shown values add up to exactly 100 (when the fractions sum to 1).
"""

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.formats import number_format


def round_half_up(value, digits: int = 0) -> Decimal:
    """``value`` rounded commercially (half away from zero) to ``digits`` decimals."""
    number = value if isinstance(value, Decimal) else Decimal(str(value))
    return number.quantize(Decimal(1).scaleb(-int(digits)), rounding=ROUND_HALF_UP)


def format_number(value, digits: int = 0, *, grouping: bool = True) -> str:
    """A localized number rounded to ``digits`` decimals; '–' for None, '' or non-numbers."""
    if value is None or value == "":
        return "–"
    try:
        rounded = round_half_up(value, digits)
    except (InvalidOperation, TypeError, ValueError):
        return "–"
    if rounded == 0:
        rounded = abs(rounded)  # no "-0,0"
    return number_format(rounded, int(digits), force_grouping=grouping)


def format_eur(value, digits: int = 0) -> str:
    """An amount in EUR: 1026.375 -> '1.026,38 €' (German) / '1,026.38 €' (English) with digits=2."""
    text = format_number(value, digits)
    return text if text == "–" else f"{text} €"


def format_percent(fraction, digits: int = 1) -> str:
    """A fraction as a localized, rounded percentage: 0.41585 -> '41,6 %' (German) / '41.6 %'."""
    if fraction is None or fraction == "":
        return "–"
    try:
        value = Decimal(str(fraction)) * 100
    except (InvalidOperation, TypeError, ValueError):
        return "–"
    return f"{format_number(value, digits)} %"


def largest_remainder(fractions, digits: int = 1) -> list[Decimal | None]:
    """Fractions (0..1, None ignored) as percentages with ``digits`` decimals that add up to the rounded total.

    Each share is rounded down to the unit (0.1 % for digits=1); the units still missing to the
    rounded total go, one each, to the shares with the largest remainders (ties: the larger share,
    then the earlier one). With fractions summing to 1 the shown shares add up to exactly 100.
    """
    unit = Decimal(1).scaleb(-int(digits))
    values = [None if f is None else Decimal(str(f)) * 100 / unit for f in fractions]
    present = [(i, v) for i, v in enumerate(values) if v is not None]
    if not present:
        return [None] * len(values)
    floors = {i: math.floor(v) for i, v in present}
    target = int(round_half_up(sum(v for _i, v in present), 0))
    missing = target - sum(floors.values())
    order = sorted(present, key=lambda iv: (-(iv[1] - floors[iv[0]]), -iv[1], iv[0]))
    for i, _v in order[:max(missing, 0)]:
        floors[i] += 1
    return [None if v is None else Decimal(floors[i]) * unit for i, v in enumerate(values)]


# -- reading numbers as people type them -----------------------------------------------------------------------

#: The separators of each page language: (decimal, grouping).
SEPARATORS = {"de": (",", "."), "en": (".", ",")}
_SPACES = " \u00a0\u202f\u2009"  # a space may group thousands in both languages ("1 234,56")
_SUFFIXES = ("€", "eur", "%")


class NumberParseError(ValueError):
    """A typed number that cannot be read unambiguously; ``reason`` says why (an English source text)."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def number_language(language: str | None = None) -> str:
    """The page language whose separators apply: ``language`` or the active one; German when unknown."""
    from django.utils.translation import get_language

    return "en" if (language or get_language() or "de").startswith("en") else "de"


def _grouped(digits: str, group: str) -> str | None:
    """``digits`` without its grouping separators when every group after the first has three digits, else None."""
    parts = digits.split(group)
    if not parts[0] or len(parts[0]) > 3 or any(len(p) != 3 for p in parts[1:]):
        return None
    return "".join(parts)


def parse_number(text: str, *, language: str | None = None) -> Decimal:
    """A number typed on a page in ``language`` (the active one by default), read with that language's separators.

    German: ``300.000`` = 300000, ``1.234,56`` = 1234.56, ``12,5`` = 12.5. English: ``300,000``, ``1,234.56``,
    ``12.5``. Spaces may group thousands; a trailing ``€``, ``EUR`` or ``%`` is ignored. Refused with
    :class:`NumberParseError`: anything else, a grouping separator not followed by groups of three digits
    (German ``1.5``, English ``12,5``), and the ambiguous ``1,500`` / ``1.500`` typed with the *decimal* separator and
    exactly three digits after it, which the other language reads as a thousand times more. ``0,125`` is not
    ambiguous (no group starts with 0).
    """
    decimal_sep, group_sep = SEPARATORS[number_language(language)]
    value = str(text).strip()
    for suffix in _SUFFIXES:
        if value.lower().endswith(suffix):
            value = value[: -len(suffix)].rstrip()
    sign = ""
    if value[:1] in "-+−" and value:
        sign, value = ("-" if value[0] != "+" else ""), value[1:].lstrip()
    for space in _SPACES:
        if space in value:
            if group_sep in value:
                raise NumberParseError("mixes spaces and separators between the thousands")
            value = value.replace(space, group_sep)
    if not value or not value.isascii() or any(ch not in "0123456789.," for ch in value):
        raise NumberParseError("is not a number")
    if value.count(decimal_sep) > 1:
        raise NumberParseError("has more than one decimal separator")
    whole, _sep, fraction = value.partition(decimal_sep)
    if _sep and not fraction.isdigit():
        raise NumberParseError("is not a number")
    if group_sep in whole:
        plain = _grouped(whole, group_sep)
        if plain is None:
            raise NumberParseError("has a thousands separator in the wrong place")
        whole = plain
    elif _sep and len(fraction) == 3 and whole and whole != "0" and len(whole) <= 3 and not whole.startswith("0"):
        raise NumberParseError("is ambiguous")
    if not whole:
        whole = "0"
    if not whole.isdigit():
        raise NumberParseError("is not a number")
    return Decimal(f"{sign}{whole}.{fraction}" if fraction else f"{sign}{whole}")


def to_decimal(value, *, language: str | None = None) -> Decimal:
    """A number that arrived as a number (API, code) or as text typed on a page (:func:`parse_number`)."""
    if isinstance(value, int | float | Decimal) and not isinstance(value, bool):
        number = Decimal(str(value))
        if not number.is_finite():
            raise NumberParseError("is not a number")
        return number
    return parse_number(str(value), language=language)


def parse_number_either(text: str) -> Decimal:
    """A number typed where no page language applies (the command line): read with German and with English
    separators (:func:`parse_number`). ``0,3``, ``1.5``, ``1.234,5`` and ``1,234.5`` each have one reading and are
    taken; ``1.200`` and ``1,200`` mean a thousand times more in the other language and are refused as ambiguous,
    as is anything the two languages read differently."""
    readings, reasons = set(), []
    for language in ("de", "en"):
        try:
            readings.add(parse_number(text, language=language))
        except NumberParseError as exc:
            reasons.append(exc.reason)
    if "is ambiguous" in reasons or len(readings) > 1:
        raise NumberParseError("is ambiguous")
    if not readings:
        raise NumberParseError(reasons[0])
    return readings.pop()
