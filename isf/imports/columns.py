"""Column-wise checks and conversions for bulk imports (numpy, no Django).

The column-wise import path validates a whole column of raw cells at once instead of cell by cell.  Each
function here accepts exactly what one well-defined regular expression accepts for every cell and returns the
converted values, or ``None`` as soon as a single cell does not fit - the caller then validates those rows one
by one with the thorough parsers of :mod:`isf.imports.values`, which explain what is wrong.  So these functions
never decide that something is invalid; they only recognise the clean, common case fast.

The check runs on the column joined with newlines as one byte array: every non-digit character is looked at
together with the number of digits before and after it, which describes the whole grammar below.
"""

import numpy as np

_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_NL, _MINUS = 10, 45


def _as_bytes(cells: list[str]) -> tuple[str, np.ndarray] | None:
    text = "\n".join(cells)
    if not text.isascii():
        return None
    return text, np.frombuffer(("\n" + text + "\n").encode("ascii"), dtype=np.uint8)


_MAX_DIGITS = 15  # whole numbers of up to 15 digits are exact as float64, so their quotient by 10**k is too


def _values(text: str, dtype, n: int) -> np.ndarray | None:
    try:
        values = np.fromstring(text.replace("\n", " "), dtype=dtype, sep=" ")
    except ValueError:  # pragma: no cover - the grammar check only lets numbers through
        return None
    return values if len(values) == n else None


def _digit_values(b: np.ndarray) -> np.ndarray | None:
    """The whole numbers written by the digit runs of ``b`` ("\n" + runs joined by "\n" + "\n", each run 1 or
    more ASCII digits), as floats, or None when a run is longer than _MAX_DIGITS.  Each run is right-aligned in a
    row of a matrix, so the values are one matrix-vector product with the powers of ten - exact, because every
    partial sum stays below 2**53."""
    ends = np.flatnonzero(b == _NL)
    lengths = np.diff(ends) - 1
    width = int(lengths.max())
    if width > _MAX_DIGITS:
        return None
    padded = np.concatenate((np.zeros(width, dtype=np.uint8), b))  # the first run's row starts before b
    rows = padded[ends[1:, None] + np.arange(width)]  # row i: the ``width`` bytes up to the end of run i
    rows -= 48
    rows *= np.arange(width) >= (width - lengths)[:, None]  # bytes before the run (and its newline) count 0
    return rows @ 10.0 ** np.arange(width - 1, -1, -1)


def clean_numbers(cells: list[str], decimal_sep: str, decimals: int, signed: bool) -> np.ndarray | None:
    """Float values when every cell matches ``-?(?:\\d{1,3}(?:G\\d{3})+|\\d+)(?:S\\d{1,decimals})?``, else None.

    ``S`` is ``decimal_sep`` ("," or "."), ``G`` the other character (thousands separator, groups of exactly
    three); the sign is only allowed when ``signed``.  No spaces, no "+", no empty cells.
    """
    if not cells:
        return np.zeros(0, dtype=np.float64)
    found = _as_bytes(cells)
    if found is None:
        return None
    text, a = found
    group = "." if decimal_sep == "," else ","
    g, s = ord(group), ord(decimal_sep)
    digit = _DIGIT[a]
    kind_ok = digit | (a == _NL) | (a == g) | (a == s)
    if signed:
        kind_ok |= a == _MINUS
    if not kind_ok.all():
        return None
    at = np.flatnonzero(~digit)  # every non-digit; the first and the last are the added newlines
    kind = a[at]
    before = np.zeros(len(at), dtype=np.int64)  # digits between the previous non-digit and this one
    before[1:] = np.diff(at) - 1
    after = np.zeros(len(at), dtype=np.int64)
    after[:-1] = before[1:]
    prev = np.full(len(at), _NL, dtype=np.uint8)
    prev[1:] = kind[:-1]
    nxt = np.full(len(at), _NL, dtype=np.uint8)
    nxt[:-1] = kind[1:]
    is_nl = kind == _NL
    is_nl[0] = False
    bad = is_nl & (before < 1)  # every cell ends with a digit (so none is empty)
    if signed:
        bad |= (kind == _MINUS) & ((prev != _NL) | (before != 0) | (after < 1))  # only first, then a digit
    is_g = kind == g
    bad |= is_g & ((before < 1) | (after != 3) | ((nxt != g) & (nxt != s) & (nxt != _NL))
                   | ((prev != g) & (prev != _NL) & (prev != _MINUS)) | ((prev != g) & (before > 3)))
    bad |= (kind == s) & ((before < 1) | (after < 1) | (after > decimals) | (nxt != _NL))
    if bad.any():
        return None
    # Value: the cell's digits as one whole number, divided by 10 ** (digits after the separator).  Both are exact
    # floats, so the quotient is the correctly rounded value - the same float that float() gives for the text.
    cell = np.cumsum(kind == _NL) - 1  # the cell each non-digit belongs to (the last newline: past the end)
    units = _digit_values(a[digit | (a == _NL)])
    if units is None:
        return _values(text.replace(group, "").replace(decimal_sep, "."), np.float64, len(cells))
    scale = np.ones(len(cells))
    at_sep = kind == s
    scale[cell[at_sep]] = 10.0 ** after[at_sep]
    values = units / scale
    if signed:
        values[cell[kind == _MINUS]] *= -1
    return values


def clean_line_numbers(cells: list[str], max_digits: int = 7) -> np.ndarray | None:
    """Integer values when every cell is 1 to ``max_digits`` ASCII digits, else None."""
    if not cells:
        return np.zeros(0, dtype=np.int64)
    found = _as_bytes(cells)
    if found is None:
        return None
    text, a = found
    digit = _DIGIT[a]
    at = np.flatnonzero(~digit)
    if not (a[at] == _NL).all():
        return None
    lengths = np.diff(at) - 1
    if lengths.min() < 1 or lengths.max() > max_digits:
        return None
    values = _digit_values(a) if max_digits <= _MAX_DIGITS else None
    return values.astype(np.int64) if values is not None else _values(text, np.int64, len(cells))


_WHITESPACE = np.zeros(256, dtype=bool)
_WHITESPACE[[9, 10, 11, 12, 13, 28, 29, 30, 31, 32]] = True  # what str.strip() removes from ASCII text


def clean_keys(cells: list[str], max_length: int) -> bool:
    """Whether every cell is 1 to ``max_length`` characters long and neither starts nor ends with whitespace (so
    ``cell.strip() == cell``); False also when a cell is not ASCII and does not fit, which the caller checks on
    the slow path."""
    if not cells:
        return True
    found = _as_bytes(cells)
    if found is None:
        return bool(min(map(len, cells)) and max(map(len, cells)) <= max_length
                    and cells == list(map(str.strip, cells)))
    _, a = found
    ends = np.flatnonzero(a == _NL)
    lengths = np.diff(ends) - 1
    if lengths.min() < 1 or lengths.max() > max_length:
        return False
    return not (_WHITESPACE[a[ends[:-1] + 1]].any() or _WHITESPACE[a[ends[1:] - 1]].any())
