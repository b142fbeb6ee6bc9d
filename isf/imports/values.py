"""Parsers for the raw cell strings of ERP exports (no Django, no I/O).

The reader (:mod:`isf.imports.reader`) hands out every cell as the raw string
found in the file; turning it into a typed value happens here.  Two concerns
shape this module:

* **Explainable failures.**  Every parser raises :class:`ValueParseError` whose
  ``reason`` is a short, human sentence ("date does not exist").  The importer
  shows it verbatim as the *why* column of the error report, so reasons name the
  expected shape instead of echoing Python internals.
* **Throughput.**  These functions run once per cell on files with millions of
  rows.  Each parser therefore has a fast path (a couple of string operations or
  one precompiled regex, plus one constructor call) for the overwhelmingly common well-formed value, and only
  falls back to the slower, diagnosing code when that fails.  Parsed dates are
  memoised in a small bounded cache because date columns repeat values heavily
  (a million orders span a few thousand days); ``date`` is immutable, so sharing
  instances is safe.

German conventions are the default (decimal comma, ``DD.MM.YYYY``) because that
is what our customers' ERPs and Excel installations produce.
"""

import re
from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

from isf.core.text import date_range_message

__all__ = [
    "DATE_FORMATS",
    "ValueParseError",
    "parse_cell_date",
    "parse_cell_decimal",
    "detect_date_format",
    "detect_decimal_separator",
    "parse_bool",
    "parse_date",
    "parse_decimal",
    "parse_int",
]

#: The date layouts ERP exports use, in order of preference when a sample fits several equally well.
DATE_FORMATS: tuple[str, ...] = ("%d.%m.%Y", "%Y-%m-%d", "%Y%m%d")

_DATE_EXAMPLES = {
    "%d.%m.%Y": "31.12.2025 (DD.MM.YYYY)",
    "%Y-%m-%d": "2025-12-31 (YYYY-MM-DD)",
    "%Y%m%d": "20251231 (YYYYMMDD)",
}

# Bounded memo cache for dates (a million orders typically span a few thousand distinct days); cleared wholesale
# when full, so memory stays flat even when values never repeat.
_CACHE_LIMIT = 4096
_DATE_CACHE: dict[str, dict[str, date]] = {fmt: {} for fmt in DATE_FORMATS}


class ValueParseError(ValueError):
    """A cell value could not be converted; ``reason`` is the human explanation for the error report.

    Subclasses ``ValueError`` so generic validation code (and Django form fields) can treat it like any
    other conversion failure.
    """

    def __init__(self, reason: str, value: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.value = value

    def __str__(self) -> str:
        return self.reason


# --------------------------------------------------------------------------------------------------------------
# Numbers
# --------------------------------------------------------------------------------------------------------------

# Correctly grouped thousands ("12.345,67" / "12,345.67"); values without a grouping character skip this regex.
# re.ASCII matters: without it \d would accept Arabic-Indic or full-width digits that Decimal() also accepts.
_GROUPED_COMMA = re.compile(r"-?\d{1,3}(?:\.\d{3})+(?:,\d+)?", re.ASCII).fullmatch  # 12.345,67
_GROUPED_POINT = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?", re.ASCII).fullmatch  # 12,345.67
_DIGITS = re.compile(r"\d+", re.ASCII).fullmatch
_PLAIN_CHARS = "0123456789.-"
# Characters people (and Excel/SAP) use to group thousands besides the "other" separator.
_SPACE_GROUPERS = (" ", "\u00a0", "\u202f", "'", "\u2019")
_MAX_NUMBER_CHARS = 100


def parse_decimal(text: str, decimal_sep: str = ",") -> Decimal:
    """Parse a decimal number written with ``decimal_sep`` (``","`` or ``"."``) as decimal separator.

    The *other* character is accepted as a thousands separator, but only in correct groups of three, so
    ``"1.234,56"`` (``decimal_sep=","``) and ``"1,234.56"`` (``decimal_sep="."``) both give
    ``Decimal("1234.56")`` while ``"1.23"`` with a decimal comma is rejected instead of silently becoming 123:
    a value that is ambiguous between the two conventions must not be guessed.  Also accepted: surrounding
    whitespace, a leading ``+``, spaces/apostrophes as thousands separators and SAP's trailing minus
    (``"12,50-"``).  Rejected with a reason: empty values, several decimal separators, exponents, NaN,
    currency signs and any other text.
    """
    # Fast paths, ordered by frequency.  Plain numbers: after swapping in the decimal point, a string made only
    # of digits, "." and "-" is either a valid Decimal literal or makes Decimal() raise (e.g. "1.2.3", "-");
    # the strip() test is what keeps "NaN", "1e5", "1_000" and non-ASCII digits - all accepted by Decimal() -
    # out of this path.  It is about twice as fast as a validating regex, which matters at millions of cells.
    if decimal_sep == ",":
        if "." not in text:
            plain = text.replace(",", ".")
            if not plain.strip(_PLAIN_CHARS):
                try:
                    value = Decimal(plain)
                except InvalidOperation:
                    pass
                else:
                    if value.is_finite():  # only fails if someone disabled the InvalidOperation trap
                        return value
        elif _GROUPED_COMMA(text):
            return Decimal(text.replace(".", "").replace(",", "."))
    elif decimal_sep == ".":
        if "," not in text:
            if not text.strip(_PLAIN_CHARS):
                try:
                    value = Decimal(text)
                except InvalidOperation:
                    pass
                else:
                    if value.is_finite():
                        return value
        elif _GROUPED_POINT(text):
            return Decimal(text.replace(",", ""))
    else:
        raise ValueError(f"decimal_sep must be ',' or '.', not {decimal_sep!r}")
    return _parse_decimal_slow(text, decimal_sep)


def parse_cell_decimal(text: str, decimal_sep: str, *, xlsx: bool = False) -> Decimal:
    """A number cell of a table: :func:`parse_decimal` with the file's separator - and, in an Excel workbook, a
    cell holding the number as German text (``"87.600,00"``, ``"12,5"``) read like the CSV would read it.

    An Excel workbook's typed numbers reach the importer rendered with a decimal point and never a comma
    (:mod:`isf.imports.reader`), so a comma in a workbook cell can only come from text typed the German way.
    """
    if xlsx and "," in text:
        return parse_decimal(text, ",")
    return parse_decimal(text, decimal_sep)


def parse_cell_date(text: str, fmt: str, *, xlsx: bool = False) -> date:
    """A date cell of a table: :func:`parse_date` with the file's format - and, in an Excel workbook, a cell
    holding the date as German text (``"31.03.2026"``) read like the CSV would read it (typed Excel dates reach
    the importer as ISO dates)."""
    try:
        return parse_date(text, fmt)
    except ValueParseError:
        if not xlsx or fmt == "%d.%m.%Y":
            raise
        return parse_date(text, "%d.%m.%Y")


def _parse_decimal_slow(text: str, decimal_sep: str) -> Decimal:
    """Normalise the less common spellings and explain what is wrong with the rest."""
    group_sep = "." if decimal_sep == "," else ","
    s = text.strip().replace("\u2212", "-")  # U+2212 MINUS SIGN, as written by some report generators
    if not s:
        raise ValueParseError("empty value", text)
    if len(s) > _MAX_NUMBER_CHARS:
        raise ValueParseError("too long for a number", text)
    negative = False
    if s[0] in "+-":
        negative = s[0] == "-"
        s = s[1:].lstrip()
    elif s[-1] == "-":  # SAP writes negative amounts as "12,50-"
        negative = True
        s = s[:-1].rstrip()
    if not s:
        raise ValueParseError("not a number", text)
    if s.count(decimal_sep) > 1:
        raise ValueParseError(f"more than one decimal separator {decimal_sep!r}", text)
    int_part, has_fraction, fraction = s.partition(decimal_sep)
    if group_sep in fraction:
        raise ValueParseError(f"thousands separator {group_sep!r} after the decimal separator {decimal_sep!r}", text)
    if has_fraction and not fraction and not int_part:
        raise ValueParseError("not a number", text)
    if fraction and not _DIGITS(fraction):
        raise ValueParseError(_garbage_reason(s, decimal_sep, group_sep), text)
    if int_part:
        int_part = _ungroup(int_part, s, text, decimal_sep, group_sep)
    digits = f"{int_part or '0'}.{fraction}" if fraction else int_part or "0"
    try:
        value = Decimal(digits)
    except InvalidOperation:  # pragma: no cover - _ungroup and _DIGITS only let ASCII digits through
        raise ValueParseError("not a number", text) from None
    return -value if negative else value


def _ungroup(int_part: str, s: str, text: str, decimal_sep: str, group_sep: str) -> str:
    """Remove thousands separators from the integer part, insisting on groups of exactly three digits."""
    if _DIGITS(int_part):
        return int_part
    used = [sep for sep in (group_sep, *_SPACE_GROUPERS) if sep in int_part]
    if not used:
        raise ValueParseError(_garbage_reason(s, decimal_sep, group_sep), text)
    if len(used) > 1:
        raise ValueParseError("mixed thousands separators", text)
    groups = int_part.split(used[0])
    if not all(_DIGITS(g) for g in groups):
        raise ValueParseError(_garbage_reason(s, decimal_sep, group_sep), text)
    if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
        if used[0] == group_sep and len(groups) == 2:
            # "1.5" in a decimal-comma file: most likely someone typed the wrong separator.
            raise ValueParseError(
                f"{group_sep!r} is the thousands separator here (expected decimal separator {decimal_sep!r})", text
            )
        raise ValueParseError(f"thousands separator {used[0]!r} not followed by groups of three digits", text)
    return "".join(groups)


def _garbage_reason(s: str, decimal_sep: str, group_sep: str) -> str:
    allowed = set("0123456789+-" + decimal_sep + group_sep + "".join(_SPACE_GROUPERS))
    odd = next((ch for ch in s if ch not in allowed), None)
    if odd is None:
        return "not a number"
    if odd in "eE" and any(ch.isdigit() for ch in s):
        return "not a number (exponent notation is not supported)"
    return f"not a number (unexpected character {odd!r})"


_FAST_INT = re.compile(r"-?\d{1,18}", re.ASCII).fullmatch


def parse_int(text: str, decimal_sep: str = ",") -> int:
    """Parse a whole number.

    Plain digits take the fast path.  Anything else goes through :func:`parse_decimal` so that thousands
    separators ("1.234") and integral decimals from spreadsheets ("12,0", "12.0") are accepted while "12,5" is
    rejected with "not a whole number" rather than truncated.
    """
    if _FAST_INT(text):
        return int(text)
    value = parse_decimal(text, decimal_sep)
    if value != value.to_integral_value():
        raise ValueParseError("not a whole number", text)
    return int(value)


# --------------------------------------------------------------------------------------------------------------
# Dates
# --------------------------------------------------------------------------------------------------------------

# Each format: (strict fast regex with groups in (day, month, year) order, lenient regex allowing a time part).
# Slicing + date() is several times faster than datetime.strptime, which matters at millions of rows.
_TIME = r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?"
_DATE_PATTERNS = {
    "%d.%m.%Y": (r"(\d{2})\.(\d{2})\.(\d{4})", r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME, (0, 1, 2)),
    "%Y-%m-%d": (r"(\d{4})-(\d{2})-(\d{2})", r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME, (2, 1, 0)),
    "%Y%m%d": (r"(\d{4})(\d{2})(\d{2})", r"(\d{4})(\d{2})(\d{2})" + _TIME, (2, 1, 0)),
}
_FAST_DATE = {fmt: re.compile(p[0], re.ASCII).fullmatch for fmt, p in _DATE_PATTERNS.items()}
_LENIENT_DATE = {fmt: (re.compile(p[1], re.ASCII).fullmatch, p[2]) for fmt, p in _DATE_PATTERNS.items()}
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}\.\d{1,2}\.\d{2}", re.ASCII).fullmatch


def parse_date(text: str, fmt: str = "%d.%m.%Y") -> date:
    """Parse a calendar date in one of :data:`DATE_FORMATS`.

    Well-formed dates that do not exist (31.02.2025) fail with "date does not exist" instead of being rolled
    over.  Leniencies, because spreadsheets produce them: surrounding whitespace, one-digit day/month in the
    separated formats, and a trailing time of day ("31.01.2025 14:30", "2025-01-31 00:00:00"), which is
    validated and dropped - the target field is a date.  Two-digit years are rejected as ambiguous.
    """
    cache = _DATE_CACHE.get(fmt)
    if cache is None:
        raise ValueError(f"unsupported date format {fmt!r}; expected one of {', '.join(DATE_FORMATS)}")
    value = cache.get(text)
    if value is not None:
        return value
    m = _FAST_DATE[fmt](text)
    if m is not None:
        a, b, c = m.groups()
        try:
            value = date(int(c), int(b), int(a)) if fmt == "%d.%m.%Y" else date(int(a), int(b), int(c))
        except ValueError:
            raise ValueParseError("date does not exist", text) from None
    else:
        value = _parse_date_slow(text, fmt)
    if (problem := date_range_message(value)) is not None:
        raise ValueParseError(problem, text)
    if len(cache) >= _CACHE_LIMIT:
        cache.clear()
    cache[text] = value
    return value


def _parse_date_slow(text: str, fmt: str) -> date:
    s = text.strip()
    if not s:
        raise ValueParseError("empty value", text)
    match, order = _LENIENT_DATE[fmt]
    m = match(s)
    if m is None:
        if fmt == "%d.%m.%Y" and _TWO_DIGIT_YEAR(s):
            raise ValueParseError("two-digit year is ambiguous; expected " + _DATE_EXAMPLES[fmt], text)
        raise ValueParseError("expected a date like " + _DATE_EXAMPLES[fmt], text)
    parts = m.groups()
    day, month, year = (int(parts[i]) for i in order)
    hour, minute, second = parts[3:6]
    if hour is not None and (int(hour) > 23 or int(minute) > 59 or (second is not None and int(second) > 59)):
        raise ValueParseError("time of day does not exist", text)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueParseError("date does not exist", text) from None


# --------------------------------------------------------------------------------------------------------------
# Booleans
# --------------------------------------------------------------------------------------------------------------

_BOOLS = {
    "ja": True, "j": True, "yes": True, "y": True, "1": True, "true": True, "wahr": True, "x": True,
    "nein": False, "n": False, "no": False, "0": False, "false": False, "falsch": False,
}  # fmt: skip


def parse_bool(text: str, *, empty: bool | None = None) -> bool:
    """Parse ja/nein, yes/no, 1/0, true/false (also German Excel's WAHR/FALSCH) and checkbox-style "x".

    ``empty`` is what a blank cell means.  It defaults to "invalid" because only the caller knows whether blank
    means "no" (checkbox columns marked with "x") or "not provided".
    """
    key = text.strip().casefold()
    value = _BOOLS.get(key)
    if value is not None:
        return value
    if not key:
        if empty is not None:
            return empty
        raise ValueParseError("empty value", text)
    raise ValueParseError("expected ja/nein, yes/no, 1/0, true/false or x", text)


# --------------------------------------------------------------------------------------------------------------
# Detection
# --------------------------------------------------------------------------------------------------------------

_SAMPLE_LIMIT = 2000  # enough to decide, cheap enough to run on every column of a 64 KB head

# Unambiguous evidence for a decimal comma: grouped with dots and a comma fraction; several dot groups; a comma
# fraction whose length is not 3, or whose integer part cannot be a thousands group (leading 0, >3 digits).
_COMMA_EVIDENCE = re.compile(
    r"[+-]?(?:\d{1,3}(?:\.\d{3})+,\d+|\d{1,3}(?:\.\d{3}){2,}|\d*,(?:\d{1,2}|\d{4,})|0,\d+|\d{4,},\d+)-?", re.ASCII
).fullmatch
_DOT_EVIDENCE = re.compile(
    r"[+-]?(?:\d{1,3}(?:,\d{3})+\.\d+|\d{1,3}(?:,\d{3}){2,}|\d*\.(?:\d{1,2}|\d{4,})|0\.\d+|\d{4,}\.\d+)-?", re.ASCII
).fullmatch


def detect_decimal_separator(samples: Iterable[str], default: str = ",") -> str:
    """Guess the decimal separator from sample cell values; ``default`` when the sample has no evidence.

    Only unambiguous spellings count: "1.234,56" or "12,5" vote for the comma, "1,234.56" or "12.5" for the
    point.  "1.234" alone proves nothing (German thousand or English 1.234), neither do integers, dates such as
    "31.01.2025" or version-like strings.  The majority wins; a tie falls back to ``default``, which callers set
    from context (a ``;``-delimited file is German-style, a ``,``-delimited one is not).
    """
    comma = dot = seen = 0
    for raw in samples:
        s = raw.strip()
        if not s or len(s) > 40:
            continue
        seen += 1
        if seen > _SAMPLE_LIMIT:
            break
        if _COMMA_EVIDENCE(s):
            comma += 1
        elif _DOT_EVIDENCE(s):
            dot += 1
    if comma > dot:
        return ","
    if dot > comma:
        return "."
    return default


def detect_date_format(samples: Iterable[str]) -> str | None:
    """Return the format in :data:`DATE_FORMATS` under which most sample values are valid dates, or ``None``.

    Ties go to the earlier (more common) format.  ``%Y%m%d`` only counts values with years 1900-2199, because
    eight-digit customer or order numbers would otherwise look like compact dates.
    """
    counts = dict.fromkeys(DATE_FORMATS, 0)
    seen = 0
    for raw in samples:
        s = raw.strip()
        if not s or len(s) > 30:
            continue
        seen += 1
        if seen > _SAMPLE_LIMIT:
            break
        for fmt in DATE_FORMATS:
            try:
                value = _parse_date_slow(s, fmt)
            except ValueParseError:
                continue
            if fmt != "%Y%m%d" or 1900 <= value.year < 2200:
                counts[fmt] += 1
            break  # the formats are mutually exclusive in shape
    best = max(DATE_FORMATS, key=lambda fmt: counts[fmt])  # max() keeps the first of equal counts
    return best if counts[best] else None
