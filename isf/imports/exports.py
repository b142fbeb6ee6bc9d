"""CSV and XLSX exports of the main lists, as filtered on screen and limited to what the user may see.

:func:`export_queryset` is the generic helper (any iterable of rows, a list of ``(header, getter)`` columns,
``"csv"`` or ``"xlsx"``); the list-specific functions reuse the apps' own selectors so an export never shows
more than the screen.  CSV is written for a German Excel: UTF-8 with BOM, semicolons, decimal comma.
"""

import csv
import io
import tempfile
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal

from django.http import FileResponse, HttpResponse, StreamingHttpResponse

Columns = list[tuple[str, Callable]]


def _cell_csv(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nein"
    if isinstance(value, Decimal | float):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime):
        return value.strftime("%d.%m.%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d.%m.%Y")
    return str(value)


class _Echo:
    def write(self, value):
        return value


def csv_lines(rows: Iterable, columns: Columns) -> Iterable[str]:
    writer = csv.writer(_Echo(), delimiter=";")
    yield "\ufeff" + writer.writerow([str(h) for h, _ in columns])
    for row in rows:
        yield writer.writerow([_cell_csv(get(row)) for _, get in columns])


def xlsx_bytes_file(rows: Iterable, columns: Columns):
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Export")
    ws.append([str(h) for h, _ in columns])
    for row in rows:
        values = []
        for _, get in columns:
            v = get(row)
            if isinstance(v, Decimal):
                v = float(v)
            elif isinstance(v, datetime) and v.tzinfo is not None:
                v = v.replace(tzinfo=None)
            values.append(v)
        ws.append(values)
    f = tempfile.TemporaryFile()
    wb.save(f)
    f.seek(0)
    return f


def export_queryset(rows: Iterable, columns: Columns, fmt: str, filename: str = "export") -> HttpResponse:
    """A download of ``rows`` with ``columns`` (header, getter) as CSV (streamed) or XLSX."""
    if fmt == "xlsx":
        return FileResponse(xlsx_bytes_file(rows, columns), as_attachment=True, filename=f"{filename}.xlsx",
                            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    if fmt != "csv":
        raise ValueError(f"unknown export format {fmt!r}")
    response = StreamingHttpResponse(csv_lines(rows, columns), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    return response


def read_back(response) -> bytes:
    """The body of an export response (tests, the API)."""
    if hasattr(response, "streaming_content"):
        return b"".join(c if isinstance(c, bytes) else c.encode() for c in response.streaming_content)
    return response.content if not isinstance(response, FileResponse) else io.BytesIO(b"".join(response)).read()
