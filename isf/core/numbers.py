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
    return f"{format_number(value, digits, grouping=False)} %"


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
