"""Master-data imports (accounts, contacts, products, quotes): keyed upserts of at most a few 100,000 rows.

Each kind declares its columns, its key and a ``clean`` that turns the raw strings of one row into model field
values or raises :class:`CellError` naming the column.  The shared :func:`upsert` loads the stored rows once,
validates the whole file, and writes new and changed rows with ``bulk_create``/``bulk_update`` in one
transaction; rows whose values equal the stored ones are counted as unchanged and not written.
"""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import translation

from isf.core import spreadsheet
from isf.core.text import control_character_message
from isf.imports.engine import Column, ImportResult, Mapping, Progress, no_progress, problem_from_format_error
from isf.imports.reader import FileFormatError, TableReader
from isf.imports.values import ValueParseError, parse_bool, parse_cell_date, parse_cell_decimal


class CellError(ValueError):
    def __init__(self, column: str, message: str, value: str = "") -> None:
        super().__init__(message)
        self.column, self.message, self.value = column, message, value


@dataclass
class Kind:
    name: str
    model: Callable
    columns: tuple[Column, ...]
    key: Callable[[dict], str]  # cleaned values -> key
    stored_key: Callable  # model instance -> key
    fields: tuple[str, ...]  # compared and written model fields
    clean: Callable[[dict, "Context"], dict]
    after_write: Callable | None = None  # (context, written instances by key, cleaned by key) -> None
    key_field: str | None = None  # model field holding the key (None: contacts, keyed by external id or name)
    #: (new=, changed=, fields=) -> None: the owning app's bulk writer (accounts and contacts: isf.customers.services);
    #: None writes the rows with bulk_create/bulk_update here (products, quotes)
    write: Callable | None = None


class Context:
    """Per-import lookups and the row being cleaned (dialect, raw values by target field).

    A cell that does not fit is recorded in :attr:`errors` and the cleaning goes on with a stand-in value, so
    one pass reports every problem of a row (not only its first); :func:`upsert` turns them into problems.
    A ``clean`` may still raise :class:`CellError` for a problem that makes the rest of the row meaningless.
    """

    def __init__(self, table: TableReader, cols: dict[str, str | None]) -> None:
        self.sep = table.dialect.decimal_separator
        self.xlsx = table.dialect.kind == "xlsx"
        self.fmt = table.dialect.date_format or "%d.%m.%Y"
        self.cols = cols
        self.cache: dict = {}
        self.extra: dict = {}  # kind-specific data written after the main rows (phones)
        self.errors: list[CellError] = []  # the problems of the row being cleaned
        self.created: list = []  # the instances the import created (for an ``after_write``)

    def fail(self, name: str, message: str, value: str = "", fallback=None):
        """Record a problem of the cell of field ``name`` and return ``fallback`` to go on cleaning the row."""
        self.errors.append(CellError(self.col(name), message, value))
        return fallback

    def raw(self, row: dict, name: str) -> str:
        col = self.cols.get(name)
        if not col:
            return ""
        value = row[col].strip()
        if value.startswith("'") and not self.xlsx:  # a CSV export's guard against formulas ("'=...")
            value = spreadsheet.csv_text_value(value)
        return value

    def text(self, row: dict, name: str, max_len: int, *, required: bool = False) -> str:
        value = self.raw(row, name)
        if required and not value:
            return self.fail(name, f"{name} is empty", "", "")
        if len(value) > max_len:
            return self.fail(name, f"{name} is longer than {max_len} characters", value, "")
        if (problem := control_character_message(value, multiline=False)) is not None:
            return self.fail(name, f"{name} {problem}", value, "")
        return value

    def decimal(self, row: dict, name: str, *, default=None, minimum=None, places: int = 2) -> Decimal | None:
        value = self.raw(row, name)
        if not value:
            if default is None:
                return self.fail(name, f"{name} is empty", "", Decimal(0))
            return default
        try:
            d = parse_cell_decimal(value, self.sep, xlsx=self.xlsx)
        except ValueParseError as exc:
            return self.fail(name, exc.reason, value, Decimal(0))
        if minimum is not None and d < minimum:
            return self.fail(name, f"{name} must not be below {minimum}", value, Decimal(0))
        if d.as_tuple().exponent < -places:
            return self.fail(name, f"{name} has more than {places} decimals", value, Decimal(0))
        return d.quantize(Decimal(1).scaleb(-places))

    def date(self, row: dict, name: str, *, required: bool = False):
        value = self.raw(row, name)
        if not value:
            if required:
                return self.fail(name, f"{name} is empty")
            return None
        try:
            return parse_cell_date(value, self.fmt, xlsx=self.xlsx)
        except ValueParseError as exc:
            return self.fail(name, exc.reason, value)

    def boolean(self, row: dict, name: str) -> bool:
        value = self.raw(row, name)
        try:
            return parse_bool(value, empty=False)
        except ValueParseError as exc:
            return self.fail(name, exc.reason, value, False)

    def choice(self, row: dict, name: str, choices, default: str = "") -> str:
        value = self.raw(row, name)
        if not value:
            return default
        by_label = {}
        for language in ("de", "en"):  # labels in both languages, whatever the one of this process
            with translation.override(language):
                by_label.update({str(label).casefold(): key for key, label in choices})
        keys = {str(k).casefold(): k for k, _ in choices}
        found = keys.get(value.casefold()) or by_label.get(value.casefold())
        if found is None:
            allowed = ", ".join(str(k) for k, _ in choices)
            return self.fail(name, f"{name} must be one of {allowed}", value, default)
        return found

    def col(self, name: str) -> str:
        return self.cols.get(name) or name


def _stored(kind: Kind, cleaned: dict[str, dict]):
    """The stored rows the file can match - fetched by key in chunks, never the whole table."""
    model = kind.model.objects
    if kind.key_field:
        keys = list(cleaned)
        for i in range(0, len(keys), 900):
            yield from model.filter(**{f"{kind.key_field}__in": keys[i:i + 900]})
        return
    accounts = sorted({v["account_id"] for v in cleaned.values()})
    ext = [v["external_id"] for v in cleaned.values() if v.get("external_id")]
    seen = set()
    for i in range(0, len(accounts), 900):
        for obj in model.filter(account_id__in=accounts[i:i + 900]):
            seen.add(obj.pk)
            yield obj
    for i in range(0, len(ext), 900):
        for obj in model.filter(external_id__in=ext[i:i + 900]):
            if obj.pk not in seen:
                yield obj


def upsert(
    kind: Kind,
    table: TableReader,
    *,
    mapping: Mapping | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress = no_progress,
    total: int | None = None,
) -> ImportResult:
    mapping = mapping or Mapping()
    result = ImportResult(kind=kind.name, file=table.file, dialect=table.dialect.describe(), dry_run=dry_run,
                          skip_invalid=skip_invalid)
    cols = mapping.resolve(kind.columns, table.header, result)
    if result.error_count:
        result.fatal = True
        return result
    ctx = Context(table, cols)
    cleaned: dict[str, dict] = {}
    first_row: dict[str, int] = {}
    try:
        for rn, row in table:
            result.rows += 1
            if not result.rows % 10_000:
                progress("validating", result.rows, total)
            ctx.errors = []
            try:
                values = kind.clean(row, ctx)
            except CellError as exc:
                ctx.errors.append(exc)
            if ctx.errors:
                for exc in ctx.errors:
                    result.add(rn, exc.column, exc.value, exc.message)
                result.skipped += 1
                continue
            key = kind.key(values)
            if key in cleaned:
                result.add(rn, None, key, f"duplicate key {key!r} (first in row {first_row[key]})")
                result.skipped += 1
                continue
            cleaned[key] = values
            first_row[key] = rn
    except FileFormatError as exc:
        problem_from_format_error(result, exc)
    if not skip_invalid:
        result.skipped = 0
    if result.fatal or (result.error_count and not skip_invalid):
        return result

    existing = {kind.stored_key(obj): obj for obj in _stored(kind, cleaned)}
    new, changed = [], []
    for key, values in cleaned.items():
        obj = existing.get(key)
        if obj is None:
            new.append(kind.model(**values))
            continue
        if any(getattr(obj, f) != values[f] for f in values):
            for f, v in values.items():
                setattr(obj, f, v)
            changed.append(obj)
        elif key in ctx.extra:  # only side data (a new phone number) changed
            result.updated += 1
        else:
            result.unchanged += 1
    result.created, result.updated = len(new), len(changed) + result.updated
    if dry_run or not (new or changed or ctx.extra):
        return result
    with transaction.atomic():
        if kind.write is not None:
            kind.write(new=new, changed=changed, fields=kind.fields)
        else:
            kind.model.objects.bulk_create(new, batch_size=2000)
            if changed:
                kind.model.objects.bulk_update(changed, [f for f in kind.fields], batch_size=2000)
        if kind.after_write:
            written = {kind.stored_key(o): o for o in (*new, *changed)}
            if len(written) != len(new) + len(changed) or any(o.pk is None for o in new):
                written = {kind.stored_key(o): o for o in kind.model.objects.filter(pk__isnull=False).iterator()}
            ctx.created = [written[kind.stored_key(o)] for o in new]
            kind.after_write(ctx, written, cleaned, result)
    result.written = True
    return result
