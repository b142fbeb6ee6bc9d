"""What every import kind shares: column mapping, the problem list, the result and the error report.

An importer (one per kind, see :mod:`isf.imports.kinds`) reads a :class:`~isf.imports.reader.TableReader`,
validates every row into plain Python data, and only then - when there was no problem, or the user chose to
skip invalid rows - writes everything in one transaction.  A crash or kill anywhere leaves the database as it
was.  Re-importing the same file compares incoming with stored values and writes nothing.
"""

import json
import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import translation
from django.utils.translation import gettext

from isf.core import spreadsheet
from isf.imports.reader import FileFormatError

#: Stored problems are capped; every problem is still counted (a 1 M-row file with a bad column would
#: otherwise hold a million messages).  Validation reports every problem of every row (all cells of a row,
#: not only the first bad one) up to this cap; the error report lists them, and says how many more there were.
MAX_STORED_PROBLEMS = 50_000
#: Problems shown on the job page and in ``isf import --json`` (``first_errors``).
FIRST_ERRORS = 20

Progress = Callable[[str, int, int | None], None]


def no_progress(phase: str, done: int, total: int | None) -> None:
    return None


@dataclass(frozen=True, slots=True)
class Column:
    """A target field of an import kind: canonical name, accepted aliases (German ERP headers), example."""

    name: str
    required: bool
    aliases: tuple[str, ...] = ()
    example: tuple[str, str] = ("", "")
    help: str = ""
    #: the header a person reads (templates, exports, the mapping): English in the source, translated per language;
    #: a file may use it in any language (``Mapping.resolve``)
    label: str = ""
    #: how the preview reads the cell: "text", "decimal" or "date"
    type: str = "text"

    def heading(self) -> str:
        """The label in the active language (the technical name when the column has no label)."""
        return str(self.label) if self.label else self.name

    def names(self) -> tuple[str, ...]:
        """Every header the column is recognised by: name, aliases, and its label in German and English."""
        labels = []
        if self.label:
            for language in ("de", "en"):
                with translation.override(language):
                    labels.append(str(self.label))
        return (self.name, *self.aliases, *labels)


@dataclass(slots=True)
class Problem:
    row: int | None
    column: str | None
    value: str
    message: str


@dataclass
class ImportResult:
    kind: str
    file: str
    dialect: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    error_count: int = 0  # every problem found (``errors_total``)
    error_rows: int = 0  # rows (or file-level problems) with at least one problem (``errors``)
    problems: list[Problem] = field(default_factory=list)
    dry_run: bool = False
    written: bool = False
    error_report: str | None = None
    skip_invalid: bool = False
    fatal: bool = False  # the file as a whole could not be read (missing column, wrong encoding, ...)
    worker_peak_rss_mb: int | None = None  # a second validating process's peak memory (big order files)
    placed: dict = field(default_factory=dict)  # where the records created were placed (segment, owner, team)
    _last_row: object = field(default=-1, repr=False)

    @property
    def ok(self) -> bool:
        """The import (or dry run) succeeded: no problem at all, or the invalid rows were skipped on purpose."""
        return not self.fatal and (self.error_count == 0 or self.skip_invalid)

    def add(self, row: int | None, column: str | None, value: str, message: str) -> None:
        self.error_count += 1
        if row is None or row != self._last_row:  # the problems of one row are added one after the other
            self.error_rows += 1
        self._last_row = row
        if len(self.problems) < MAX_STORED_PROBLEMS:
            self.problems.append(Problem(row, column, value if len(value) <= 200 else value[:200] + "…", message))

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "file": self.file,
            "dialect": self.dialect,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "skipped": self.skipped,
            "errors": self.error_rows,
            "errors_total": self.error_count,
            "first_errors": self.first_errors(),
            "error_report": self.error_report,
            "dry_run": self.dry_run,
            "written": self.written,
            "ok": self.ok,
            "placed": self.placed,
        }

    def first_errors(self, n: int = FIRST_ERRORS) -> list[dict]:
        """The first ``n`` problems as ``{row, column, value, message}``, the message in the active language."""
        from isf.imports.wording import reason

        return [{"row": p.row, "column": p.column or "", "value": p.value, "message": reason(p.message)}
                for p in self.problems[:n]]

    def summary(self) -> str:
        from isf.imports.wording import placed_summary, summary

        text = summary(file=self.file, rows=self.rows, created=self.created, updated=self.updated,
                       unchanged=self.unchanged, errors=self.error_rows, skipped=self.skipped,
                       dry_run=self.dry_run, written=self.written)
        return text + placed_summary(self.placed)


def problem_from_format_error(result: ImportResult, exc: FileFormatError) -> None:
    """A file-level problem: nothing of the file is imported, whatever ``skip_invalid`` says."""
    result.fatal = True
    result.add(exc.row, exc.column, "", exc.message)


class Mapping:
    """Which file column feeds which target field.

    ``columns`` maps target field -> file column as the user chose it; unmapped required fields are matched by
    name or alias, case- and space-insensitively.  The same object is saved per source in the UI
    (:class:`~isf.imports.models.ImportMapping`) and read from a JSON file on the command line::

        {"columns": {"order_number": "Beleg", "sku": "Material"},
         "encoding": "cp1252", "delimiter": ";", "decimal_separator": ",", "date_format": "%d.%m.%Y", "sheet": null}
    """

    OPTION_KEYS = ("encoding", "delimiter", "decimal_separator", "date_format", "sheet")

    def __init__(self, columns: dict[str, str] | None = None, **options) -> None:
        self.columns = dict(columns or {})
        self.options = {k: v for k, v in options.items() if k in self.OPTION_KEYS and v not in (None, "")}

    @classmethod
    def from_json(cls, data: dict) -> "Mapping":
        if not isinstance(data, dict):
            raise ValueError("the mapping must be a JSON object")
        columns = data.get("columns", {})
        if not isinstance(columns, dict) or not all(isinstance(v, str) for v in columns.values()):
            raise ValueError('"columns" must map field names to column names')
        unknown = set(data) - {"columns", *cls.OPTION_KEYS}
        if unknown:
            raise ValueError(f"unknown mapping keys: {', '.join(sorted(unknown))}")
        return cls(columns, **{k: data.get(k) for k in cls.OPTION_KEYS})

    @classmethod
    def from_file(cls, path: str | os.PathLike) -> "Mapping":
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise ValueError(f"mapping file {Path(path).name}: {exc}") from None
        try:
            return cls.from_json(data)
        except ValueError as exc:
            raise ValueError(f"mapping file {Path(path).name}: {exc}") from None

    def as_json(self) -> dict:
        return {"columns": self.columns, **self.options}

    def resolve(self, columns: Iterable[Column], header: list[str], result: ImportResult) -> dict[str, str | None]:
        """Target field -> file column (None when an optional field is absent); problems for missing ones."""
        norm = {_norm(h): h for h in header}
        resolved: dict[str, str | None] = {}
        for col in columns:
            chosen = self.columns.get(col.name)
            if chosen:
                if chosen not in header:
                    result.add(1, chosen, "", f"mapped column {chosen!r} (for {col.name}) is not in the file")
                    resolved[col.name] = None
                    continue
                resolved[col.name] = chosen
                continue
            found = next((norm[_norm(n)] for n in col.names() if _norm(n) in norm), None)
            if found is None and col.required:
                accepted = ", ".join(dict.fromkeys(col.names()))
                result.add(1, col.name, "", f"required column {col.name!r} is missing (accepted names: {accepted})")
            resolved[col.name] = found
        return resolved


def _norm(name: str) -> str:
    return "".join(ch for ch in name.casefold() if ch.isalnum())


def write_error_report(result: ImportResult, path: str | os.PathLike, *, language: str = "de") -> str:
    """The problems as a CSV a German Excel opens directly (UTF-8 with BOM, semicolons, values as text), with
    headers and messages in ``language`` (the page's, or the command's ``--lang``)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with translation.override(language):
        spreadsheet.write_csv(path, list(_error_report_rows(result)))
    result.error_report = str(path)
    return str(path)


def _error_report_rows(result: ImportResult) -> Iterable[list]:
    from isf.imports.wording import reason

    yield [gettext("file"), gettext("row"), gettext("column"), gettext("value"), gettext("message")]
    for p in result.problems:
        yield [result.file, p.row or "", p.column or "", p.value, reason(p.message)]
    if result.error_count > len(result.problems):
        more = result.error_count - len(result.problems)
        yield [result.file, "", "", "", gettext("%(n)s further problems") % {"n": more}]


def template_csv(columns: Iterable[Column], *, language: str | None = None) -> str:
    """Every column the kind accepts, headed by its label in ``language`` (default: the active one), and two
    example rows, German Excel style (semicolons, decimal comma), without BOM.  The import reads the labels in
    either language, so a filled-in template imports without a mapping step."""
    cols = list(columns)
    with translation.override(language or translation.get_language() or "de"):
        header = [c.heading() for c in cols]
    return spreadsheet.csv_string([header, *([c.example[i] for c in cols] for i in range(2))], bom=False)


def count_data_lines(path: str | os.PathLike) -> int | None:
    """A cheap estimate of the number of rows of a CSV (line breaks minus the header), for the progress bar."""
    try:
        n = 0
        with open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                n += chunk.count(b"\n")
        return max(n - 1, 0)
    except OSError:
        return None
