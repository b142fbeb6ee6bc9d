"""The column-wise fast paths of the order import give exactly the results of the row-by-row validation.

Three layers: the numpy column checks (isf.imports.columns) against the regular expressions they replace, the
CSV reader's column blocks against its row iteration, and whole imports with the blocks switched off.
"""

import random
import re
from decimal import Decimal

import pytest
from django.db import connection

from isf.customers.models import Order, OrderLine
from isf.customers.tests.factories import AccountFactory, ProductFactory
from isf.imports import orders_write, reader_csv
from isf.imports.columns import clean_line_numbers, clean_numbers
from isf.imports.kinds import run_import
from isf.imports.orders import _AMOUNT_PATTERNS
from isf.imports.reader import TableReader, open_table

HEADER = "Auftragsnr;Position;Kundennr;Auftragsdatum;Artikelnr;Menge;Umsatz;Deckungsbeitrag\r\n"


# --- column checks ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("sep", [",", "."])
@pytest.mark.parametrize(("decimals", "signed"), [(2, True), (3, False)])
def test_clean_numbers_accepts_exactly_what_the_row_pattern_accepts(sep, decimals, signed):
    amount, qty = _AMOUNT_PATTERNS[sep]
    match = re.compile(amount if signed else qty, re.ASCII).fullmatch
    other = "." if sep == "," else ","
    fixed = ["1", "0", "12", "1234", f"1{other}234", f"12{other}345{sep}6", f"1{other}234{other}567{sep}89",
             f"1{sep}5", f"1{sep}50", f"1{sep}500", f"1{sep}5000", f"1{other}23", f"1234{other}567", f"1{other}2345",
             f"{sep}5", f"5{sep}", "-", "-1", "--1", "1-", "-0", "", " 1", "1 ", "+1", "1e5", "1_000", "\u0661",
             f"1{sep}2{sep}3", f"1{sep}234{other}5", f"{other}123", f"1{other}{other}234", f"-{other}123",
             # 15 digits are converted exactly in numpy; longer numbers take the text conversion
             "123456789012345", f"1234567890123{sep}45", f"-9{other}999{other}999{other}999{sep}99",
             "1234567890123456", "98765432109876543210", f"1234567890123456{sep}7", f"0{sep}07", "0000000000000001"]
    rnd = random.Random(7)
    cases = [[c] for c in fixed] + [rnd.sample(fixed, 3) for _ in range(300)]
    cases += [["".join(rnd.choice("0123456789-" + sep + other) for _ in range(rnd.randint(1, 9)))
               for _ in range(rnd.randint(1, 4))] for _ in range(3000)]
    for cells in cases:
        got = clean_numbers(cells, sep, decimals, signed)
        assert (got is not None) == all(match(c) for c in cells), cells
        if got is not None:
            assert got.tolist() == [float(c.replace(other, "").replace(sep, ".")) for c in cells]


def test_delimiters_per_line_agrees_with_counting_each_line():
    from isf.imports.reader_csv import delimiters_per_line

    rnd = random.Random(3)
    for _ in range(3000):
        want = rnd.randint(0, 4)
        lines = ["".join(rnd.choice("ab;;\r") for _ in range(rnd.randint(0, 9))) for _ in range(rnd.randint(1, 6))]
        lines = [line.replace("\r", "") for line in lines]
        text = "\n".join(lines) + rnd.choice(["\n", ""])
        assert delimiters_per_line(text, ";", want, len(lines)) == all(x.count(";") == want for x in lines), lines
    assert delimiters_per_line("ä;b\n", ";", 1, 1) is None  # not ASCII: the caller counts itself


def test_clean_keys_accepts_exactly_stripped_cells_of_the_allowed_length():
    from isf.imports.columns import clean_keys

    rnd = random.Random(5)
    alphabet = ["A", "1", " ", "\t", "\x1c", "\x1f", "\x0b", "-", "\xa0", "ü"]
    for _ in range(3000):
        cells = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6))) for _ in range(rnd.randint(1, 5))]
        expected = all(0 < len(c) <= 4 and c == c.strip() for c in cells)
        assert clean_keys(cells, 4) == expected, cells


def test_clean_line_numbers():
    assert clean_line_numbers(["1", "0007", "1234567"]).tolist() == [1, 7, 1234567]
    assert clean_line_numbers(["12"]).tolist() == [12]
    assert clean_line_numbers(["123456789012345678"], max_digits=18).tolist() == [123456789012345678]
    for bad in (["12345678"], [""], ["1", ""], ["1a"], [" 1"], ["-1"], ["\u0661"], ["1,0"]):
        assert clean_line_numbers(bad) is None, bad


# --- reader: column blocks == row iteration -----------------------------------------------------------------

BODIES = [
    "A1;1;10001\r\nA1;2;10001\r\nA2;1;10002\r\n",
    "A1;1;10001\nA1;2;10001\nA2;1;10002",  # LF, no final line break
    "A1;1;10001\rA1;2;10001\rA2;1;10002\r",  # CR only
    "A1;1;10001\r\n\r\nA1;2;10001\r\n;;\r\nA2;1;10002\r\n",  # blank rows are skipped but counted
    "A1;1;10001\r\n;2;10001\r\nA2;1\r\nA3;1;10003;\r\n",  # blank first value, short row, trailing delimiter
    'A1;1;10001\r\nA1;2;"100\r\n01"\r\nA2;1;10002\r\nA3;"x;y";1\r\n',  # quoted values, one over two lines
    "A1;1;10001\r\n" * 40 + 'A9;"1";1\r\n' + "B1;1;10001\r\n" * 40,
    "A1;1;10001\r\nA2;1;10001;x\r\nA3;1;1\r\n",  # a row with an extra value: located error
]


def _rows_of(path):
    with open_table(path) as table:
        try:
            return [(n, dict(row)) for n, row in table], None
        except Exception as exc:  # noqa: BLE001 - compared below
            return None, str(exc)


def _blocks_of(path):
    out = []
    with open_table(path) as table:
        try:
            blocks = table.column_blocks()
            if blocks is None:  # mostly quoted lines: the reader keeps its csv.reader mode
                blocks = [(None, table)]
            for first, columns in blocks:
                if first is None:
                    out += [(n, dict(row)) for n, row in columns]
                else:
                    out += [(first + i, dict(zip(table.header, values, strict=True)))
                            for i, values in enumerate(zip(*columns, strict=True))]
        except Exception as exc:  # noqa: BLE001 - compared below
            return None, str(exc)
    return out, None


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize("chunk", [1, 2, 5, 11, 12, 13, 64, 1 << 20])
def test_column_blocks_give_the_rows_and_errors_of_the_row_iteration(tmp_path, monkeypatch, body, chunk):
    monkeypatch.setattr(reader_csv, "_BLOCK_CHARS", chunk)
    path = tmp_path / "o.csv"
    path.write_bytes(("Auftragsnr;Position;Kundennr\r\n" + body).encode("cp1252"))
    assert _blocks_of(path) == _rows_of(path)


def test_column_blocks_are_used_for_plain_files(tmp_path):
    path = tmp_path / "o.csv"
    path.write_text("a;b\r\n1;2\r\n3;4\r\n", encoding="utf-8")
    with open_table(path) as table:
        assert list(table.column_blocks()) == [(2, [["1", "3"], ["2", "4"]])]


# --- whole imports: column path == row path ------------------------------------------------------------------


@pytest.fixture
def master(db):
    for erp in ("10001", "10002", "10003"):
        AccountFactory(erp_number=erp)
    for sku in ("ART-1", "ART-2"):
        ProductFactory(sku=sku)


def _problems(result):
    return [(p.row, p.column, p.value, p.message) for p in result.problems]


def _both_paths(path, monkeypatch, **kw):
    """(column-wise result, row-by-row result) of a dry run of the same file."""
    fast = run_import("orders", path, dry_run=True, **kw)
    with monkeypatch.context() as m:
        m.setattr(TableReader, "column_blocks", lambda self: None)
        slow = run_import("orders", path, dry_run=True, **kw)
    return fast, slow


GOOD = [
    "A1;1;10001;15.01.2025;ART-1;12;1.234,56;345,67",
    "A1;2;10001;15.01.2025;ART-2;1,5;89,90;12,30",
    "A2;1;10002;03.02.2025;ART-1;3;300,00;-20,00",
]
BAD_LINES = [
    "B1;1;10001;31.02.2025;ART-1;1;10;1",  # a date that does not exist
    "B2;1;10001;29.02.2025;ART-1;1;10;1",
    "B3;1;10001;15.01.2025;ART-9;1;10;1",  # unknown article
    "B4;1;10001;15.01.2025;ART-1;-1;10;1",  # negative quantity
    "B5;1;99999;15.01.2025;ART-1;1;10;1",  # unknown customer
    "A1;3;10002;15.01.2025;ART-1;1;10;1",  # different customer than the order's first row
    "A2;2;10002;04.02.2025;ART-1;1;10;1",  # different date
    "A1;1;10001;15.01.2025;ART-1;1;10;1",  # duplicate line
    "B6;1;10001;15.01.2025;ART-1;1;1,234;1",  # three decimals in an amount
    "B7;1;10001;15.01.2025;ART-1;1;1.23;1",  # '.' is the thousands separator here
    "B8;1;10001;15.01.2025;ART-1;1;10;11",  # margin above revenue
    "B9;x;10001;15.01.2025;ART-1;1;10;1",  # line not a number
    " B10 ;1;10001;15.01.2025;ART-1;1;10;1",  # stripped order number (valid)
    "B11;1;10001;15.01.2025 12:30;ART-1;1;10;",  # date with a time, empty margin (valid)
]


@pytest.mark.parametrize("chunk", [20, 64, 1 << 20])
def test_import_errors_are_the_same_on_the_column_and_the_row_path(master, tmp_path, monkeypatch, chunk):
    monkeypatch.setattr(reader_csv, "_BLOCK_CHARS", chunk)
    rnd = random.Random(chunk)
    lines = GOOD + [f"C{i};{j};1000{1 + i % 3};{1 + i % 28:02d}.0{1 + i % 9}.2025;ART-{1 + j % 2};{j};{i},5;1"
                    for i in range(40) for j in (1, 2)]
    for bad in BAD_LINES:
        lines.insert(rnd.randrange(3, len(lines)), bad)
    path = tmp_path / "o.csv"
    path.write_bytes((HEADER + "\r\n".join(lines) + "\r\n").encode("cp1252"))
    fast, slow = _both_paths(path, monkeypatch)
    assert _problems(fast) == _problems(slow)
    assert (fast.rows, fast.error_count, fast.created) == (slow.rows, slow.error_count, slow.created)
    messages = {p[3] for p in _problems(fast)}
    assert "date does not exist" in messages and "unknown article number" in messages
    assert any(m.startswith("duplicate line 1 of order A1") for m in messages)
    fast, slow = _both_paths(path, monkeypatch, skip_invalid=True)
    assert (fast.created, fast.skipped, _problems(fast)) == (slow.created, slow.skipped, _problems(slow))


def test_invalid_date_reports_the_same_error_every_time(master, tmp_path):
    """The per-file date cache must not remember a failed date as valid, nor a valid one under another text."""
    lines = [f"B{i};1;10001;31.02.2025;ART-1;1;10;1" for i in range(3)] + ["C1;1;10001;28.02.2025;ART-1;1;10;1"]
    path = tmp_path / "o.csv"
    path.write_bytes((HEADER + "\r\n".join(lines) + "\r\n").encode("cp1252"))
    for _ in range(2):
        result = run_import("orders", path)
        assert _problems(result) == [(r, "Auftragsdatum", "31.02.2025", "date does not exist") for r in (2, 3, 4)]
        assert Order.objects.count() == 0


def test_column_path_imports_the_same_values(master, tmp_path, monkeypatch):
    monkeypatch.setattr(reader_csv, "_BLOCK_CHARS", 50)
    path = tmp_path / "o.csv"
    path.write_bytes((HEADER + "\r\n".join(GOOD) + "\r\n").encode("cp1252"))
    result = run_import("orders", path)
    assert (result.created, result.error_count) == (3, 0)
    stored = sorted(OrderLine.objects.values_list("order__number", "line_no", "quantity", "net_revenue", "margin"))
    assert stored == [("A1", 1, Decimal("12"), Decimal("1234.56"), Decimal("345.67")),
                      ("A1", 2, Decimal("1.5"), Decimal("89.90"), Decimal("12.30")),
                      ("A2", 1, Decimal("3"), Decimal("300"), Decimal("-20"))]
    assert run_import("orders", path).unchanged == 3


# --- big loads: foreign keys checked once ---------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_big_load_checks_foreign_keys_once_and_switches_them_back_on(tmp_path, monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite pragma")
    AccountFactory(erp_number="10001")
    ProductFactory(sku="ART-1")
    monkeypatch.setattr(orders_write, "BIG_LOAD", 1)
    path = tmp_path / "o.csv"
    path.write_bytes((HEADER + "A1;1;10001;15.01.2025;ART-1;1;10;1\r\nA1;2;10001;15.01.2025;ART-1;2;20;1\r\n")
                     .encode("cp1252"))
    assert run_import("orders", path).created == 2
    with connection.cursor() as cursor:
        assert cursor.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        names = {r[0] for r in cursor.execute("SELECT name FROM sqlite_master WHERE tbl_name = 'customers_orderline'")}
    assert "orderline_date_cover" in names


@pytest.mark.django_db
def test_multi_row_insert_writes_every_row_including_a_partial_last_statement():
    from isf.core.bulk import SQLITE_PARAMETERS, bulk_insert

    account = AccountFactory(erp_number="10001")
    per_statement = SQLITE_PARAMETERS // 4
    rows = [(f"M{i}", account.id, "2025-01-15") for i in range(per_statement * 2 + 7)]
    assert bulk_insert("customers_order", ["number", "account_id", "date"], rows) == len(rows)
    assert sorted(Order.objects.values_list("number", flat=True)) == sorted(r[0] for r in rows)


@pytest.mark.django_db
def test_postgresql_big_load_restores_foreign_keys_and_indexes(master, tmp_path, monkeypatch,
                                                               django_capture_on_commit_callbacks):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL catalog")
    monkeypatch.setattr(orders_write, "BIG_LOAD", 1)

    def schema():
        with connection.cursor() as cursor:
            cursor.execute("SELECT contype, conname, pg_get_constraintdef(oid) FROM pg_constraint "
                           "WHERE conrelid::regclass::text IN ('customers_order', 'customers_orderline')")
            keys = sorted(cursor.fetchall())
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename IN ('customers_order', 'customers_orderline')")
            return keys, sorted(r[0] for r in cursor.fetchall())

    before = schema()
    assert [k[0] for k in before[0]].count("f") == 4  # order -> account; line -> order, account, product
    assert [k[0] for k in before[0]].count("p") == 2 and [k[0] for k in before[0]].count("u") == 2
    path = tmp_path / "o.csv"
    path.write_bytes((HEADER + "\r\n".join(GOOD) + "\r\n").encode("cp1252"))
    with django_capture_on_commit_callbacks(execute=True):  # the keys' validation task
        assert run_import("orders", path).created == 3
    assert schema() == before
    assert OrderLine.objects.count() == 3
