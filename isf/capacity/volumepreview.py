"""The preview of an interval export before it is imported: which column holds which figure, and the first rows as
they will be read (start as a local date-time, the counts, the average handling time in seconds).

Computed once by the import worker (``isf.imports.jobs.preview_import_job``) and stored on the job as JSON, like
the preview of the table kinds, so the job page never opens the file. A cell that cannot be read carries the reason
in English (translated on display by ``isf.imports.wording.reason``).
"""

from __future__ import annotations

from pathlib import Path

from django.utils.translation import gettext_lazy as _

from isf.capacity.volumefile import VolumeFileError, _count, _local_of, _seconds, columns_of, open_volume_table

SAMPLE_ROWS = 5
#: the figures of an interval file, in the order the preview shows them; ``time`` only beside a ``date``
FIELDS = ("start", "date", "time", "calls", "answered", "abandoned", "aht")
LABELS = {"start": _("interval start"), "date": _("date"), "time": _("time"), "calls": _("offered calls"),
          "answered": _("answered"), "abandoned": _("abandoned"), "aht": _("average handling time (s)")}
REQUIRED = {"calls"}


def volume_preview(path: str | Path, *, mapping: dict[str, str] | None = None, limit: int = SAMPLE_ROWS) -> dict:
    """``{"header", "mapping": {field: column}, "missing": [...], "rows": [{"row", "start", "cells"}]}``; cells
    follow :data:`FIELDS` that the file has (``value`` as read, ``error`` a reason)."""
    try:
        header, reader, delimiter = open_volume_table(path)
    except (OSError, VolumeFileError) as exc:
        return {"error": str(getattr(exc, "problems", [exc])[0])}
    cols = columns_of(header, mapping)
    chosen = {key: header[index] for key, index in cols.items()}
    missing = [] if "start" in cols or {"date", "time"} <= set(cols) else ["start"]
    missing += [key for key in REQUIRED if key not in cols]
    rows = []
    for line, record in enumerate(reader, start=2):
        if len(rows) >= limit:
            break
        if not record or all(not c.strip() for c in record):
            continue
        rows.append({"row": line, **_read_row(record, cols)})
    return {"header": header, "mapping": chosen, "missing": missing, "rows": rows,
            "delimiter": {";": "semicolon", ",": "comma", "\t": "tab"}[delimiter]}


def _read_row(record: list[str], cols: dict[str, int]) -> dict:
    if len(record) <= max(cols.values(), default=0):
        return {"start": None, "start_raw": ";".join(record), "start_error": "row has too few columns", "cells": []}
    start = _local_of(record, cols) if "start" in cols or {"date", "time"} <= set(cols) else None
    raw_start = " ".join(record[cols[k]].strip() for k in ("start", "date", "time") if k in cols)
    cells = []
    for key in ("calls", "answered", "abandoned", "aht"):
        if key not in cols:
            continue
        raw = record[cols[key]].strip()
        if not raw and key != "calls":
            cells.append({"field": key, "raw": "", "value": None, "error": ""})
            continue
        value = _seconds(raw) if key == "aht" else _count(raw)
        error = "" if value is not None and value >= 0 else (
            "not a duration in seconds or mm:ss" if key == "aht" else
            "not a whole number" if value is None else "must not be below 0")
        cells.append({"field": key, "raw": raw, "value": value if not error else None, "error": error})
    return {"start": start.isoformat() if start else None, "start_raw": raw_start,
            "start_error": "" if start else "not a date and time like 02.11.2026 08:15", "cells": cells}
