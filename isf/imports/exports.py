"""CSV and XLSX exports of the main lists, as filtered on screen and limited to what the user may see.

:func:`export_queryset` is the generic helper (any iterable of rows, a list of ``(header, getter)`` columns,
``"csv"`` or ``"xlsx"``); the list-specific functions reuse the apps' own selectors so an export never shows
more than the screen.  The files are written by :mod:`isf.core.spreadsheet` (German Excel conventions, and no
cell a spreadsheet would evaluate as a formula).
"""

import io
from collections.abc import Callable, Iterable, Iterator

from django.http import FileResponse, HttpResponse

from isf.core import spreadsheet

Columns = list[tuple[str, Callable]]


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
