"""CSV and XLSX exports of the main lists, as filtered on screen and limited to what the user may see.

:func:`export_queryset` is the generic helper (any iterable of rows, a list of ``(header, getter)`` columns,
``"csv"`` or ``"xlsx"``); the list-specific functions reuse the apps' own selectors so an export never shows
more than the screen.  The files are written by :mod:`isf.core.spreadsheet` (German Excel conventions, and no
cell a spreadsheet would evaluate as a formula).
"""

import io
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime

from django.http import FileResponse, HttpResponse
from django.utils import timezone

from isf.core import spreadsheet

Columns = list[tuple[str, Callable]]


def time_heading(label) -> str:
    """A time column's header with the company's time zone and its UTC offset(s), e.g.
    "due (Europe/Berlin, UTC+01:00/+02:00)": the cells hold that zone's wall-clock time, as the pages show it."""
    zone = timezone.get_default_timezone()
    year = timezone.now().year
    offsets = []
    for month in (1, 7):
        offset = datetime(year, month, 1, 12, tzinfo=zone).strftime("%z")
        text = f"{offset[:3]}:{offset[3:]}"
        if text not in offsets:
            offsets.append(text)
    return f"{label} ({zone.key if hasattr(zone, 'key') else zone}, UTC{'/'.join(offsets)})"


def export_filename(name: str, *, start=None, end=None) -> str:
    """``isf-<list>-<date>`` for a list as it stands today, ``isf-<list>-<first day>-<last day>`` for a range
    (both days included, so the name says exactly what the file holds)."""
    if start is not None and end is not None:
        return f"isf-{name}-{start:%Y-%m-%d}-{end:%Y-%m-%d}"
    return f"isf-{name}-{timezone.localdate():%Y-%m-%d}"


def export_file(name: str, request, fmt: str):
    """The page's export of list ``name`` for ``request`` (its user and filters) as a response: the one place
    the view and ``isf export`` build the file from."""
    from isf.imports.exportlists import EXPORTS

    rows, columns = EXPORTS[name](request)
    return export_queryset(rows, columns, fmt, filename=export_filename(name))


def table_rows(rows: Iterable, columns: Columns) -> Iterator[list]:
    """The header row, then one row of values per object."""
    yield [str(header) for header, _get in columns]
    for row in rows:
        yield [get(row) for _header, get in columns]


def export_queryset(rows: Iterable, columns: Columns, fmt: str, filename: str = "export") -> HttpResponse:
    """A download of ``rows`` with ``columns`` (header, getter) as CSV (streamed) or XLSX."""
    if fmt == "xlsx":
        return spreadsheet.xlsx_response(table_rows(rows, columns), f"{filename}.xlsx")
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    return spreadsheet.csv_response(table_rows(rows, columns), f"{filename}.csv")


def read_back(response) -> bytes:
    """The body of an export response (tests, the API)."""
    if hasattr(response, "streaming_content"):
        return b"".join(c if isinstance(c, bytes) else c.encode() for c in response.streaming_content)
    return response.content if not isinstance(response, FileResponse) else io.BytesIO(b"".join(response)).read()
