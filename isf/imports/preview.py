"""The preview of an uploaded file, computed once by the worker and stored on the job.

Opening a file - above all a big Excel workbook - can take many seconds, so the job page never does it: the
background task reads the detected format, the header, the column mapping (by name, alias or label) and the
first :data:`SAMPLE_ROWS` rows as they will be read (numbers and dates parsed), and stores them as plain JSON
on :attr:`ImportJob.preview <isf.imports.models.ImportJob.preview>`.  The page renders that JSON, whatever
the size of the file.  Texts in it stay language-neutral (codes, English reasons) and are worded for the
viewer by :func:`describe_format` and :func:`isf.imports.wording.reason`.
"""

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

from django.utils.translation import gettext

from isf.imports.engine import Column, ImportResult, Mapping
from isf.imports.reader import FileFormatError, open_table
from isf.imports.values import ValueParseError, parse_cell_date, parse_cell_decimal

#: rows of the file shown on the preview page
SAMPLE_ROWS = 5


def file_sha256(path: str | Path) -> str:
    """The file's SHA-256: a dry run's result is imported only while the file is byte for byte the one checked."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def build_preview(columns: tuple[Column, ...], path: str, *, display_name: str, mapping: Mapping,
                  max_bytes: int) -> dict:
    """``{"format": {...}, "header": [...], "mapping": {field: column}, "rows": [[cell, ...], ...]}``, or
    ``{"error": message}`` when the file cannot be read.  A cell is ``{"raw", "value", "error"}`` per field."""
    try:
        with open_table(path, display_name=display_name, max_bytes=max_bytes, **mapping.options) as table:
            dialect = table.dialect
            fmt = {"kind": dialect.kind, "decimal_separator": dialect.decimal_separator,
                   "date_format": dialect.date_format or ""}
            if dialect.kind == "csv":
                fmt.update(encoding=dialect.encoding, delimiter=dialect.delimiter)
            else:
                fmt.update(sheet=dialect.sheet, sheets=list(dialect.sheets))
            resolved = mapping.resolve(columns, table.header, ImportResult(kind="", file=display_name))
            rows = []
            for rn, row in table:
                rows.append({"row": rn, "cells": [_cell(col, row.get(resolved.get(col.name) or "", ""), fmt)
                                                  for col in columns]})
                if len(rows) >= SAMPLE_ROWS:
                    break
            header = table.header
    except FileFormatError as exc:  # worded for the viewer: where (file, row, column) + the reason
        return {"error": exc.message, "error_at": str(exc)[: len(str(exc)) - len(exc.message)]}
    return {"format": fmt, "header": header, "mapping": {k: v or "" for k, v in resolved.items()}, "rows": rows}


def _cell(col: Column, raw: str, fmt: dict) -> dict:
    raw = raw.strip()
    cell = {"raw": raw, "value": raw, "error": ""}
    if not raw or col.type == "text":
        return cell
    try:
        if col.type == "decimal":
            cell["value"] = str(parse_cell_decimal(raw, fmt["decimal_separator"], xlsx=fmt["kind"] == "xlsx"))
        elif col.type == "date":
            cell["value"] = parse_cell_date(raw, fmt["date_format"] or "%d.%m.%Y", xlsx=fmt["kind"] == "xlsx").isoformat()
    except ValueParseError as exc:
        cell["error"] = exc.reason
    return cell


def typed(col: Column, cell: dict):
    """The cell's value as Python (Decimal, date or text), for the page to format in its language."""
    if cell.get("error") or not cell.get("value"):
        return cell.get("value", "")
    if col.type == "decimal":
        return Decimal(cell["value"])
    if col.type == "date":
        return date.fromisoformat(cell["value"])
    return cell["value"]


def describe_format(fmt: dict) -> str:
    """The detected format in the active language, e.g. "CSV, Windows-1252, semicolon-separated, decimal comma,
    dates DD.MM.YYYY"."""
    if not fmt:
        return ""
    if fmt.get("kind") == "xlsx":
        return gettext("Excel workbook, sheet “%(sheet)s”") % {"sheet": fmt.get("sheet", "")}
    encodings = {"utf-8": "UTF-8", "utf-8-sig": gettext("UTF-8 with BOM"), "cp1252": "Windows-1252"}
    delimiters = {";": gettext("semicolon-separated"), ",": gettext("comma-separated"), "\t": gettext("tab-separated")}
    parts = ["CSV", encodings.get(fmt.get("encoding", ""), fmt.get("encoding", "")),
             delimiters.get(fmt.get("delimiter", ""), repr(fmt.get("delimiter", ""))),
             gettext("decimal comma") if fmt.get("decimal_separator") == "," else gettext("decimal point")]
    if fmt.get("date_format"):
        label = fmt["date_format"].replace("%d", "DD").replace("%m", "MM").replace("%Y", "YYYY")
        parts.append(gettext("dates %(format)s") % {"format": label})
    return ", ".join(parts)
