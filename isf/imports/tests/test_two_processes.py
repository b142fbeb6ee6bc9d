"""Big CSV order files are validated in two processes (isf.imports.orders_pipeline._cuts); the results -
counts, problems with their row numbers, stored lines - must be exactly those of one process."""

import random
from decimal import Decimal

import pytest

from isf.customers.models import Order, OrderLine
from isf.imports import orders_pipeline as orders_module
from isf.imports.kinds import run_import
from isf.imports.reader_csv import split_points
from isf.imports.tests.test_fast_paths import BAD_LINES, GOOD, HEADER, _problems
from isf.imports.tests.test_fast_paths import master as master  # noqa: PLC0414 - the fixture

pytestmark = pytest.mark.usefixtures("master")


def _file(tmp_path, lines, newline="\r\n"):
    path = tmp_path / "o.csv"
    path.write_bytes((HEADER.replace("\r\n", newline) + newline.join(lines) + newline).encode("cp1252"))
    return path


def _body(count=60):
    return GOOD + [f"C{i};{j};1000{1 + i % 3};{1 + i % 28:02d}.0{1 + i % 9}.2025;ART-{1 + j % 2};{j};{i + 1},5;1"
                   for i in range(count) for j in (1, 2, 3)]


def _spy(monkeypatch):
    """Records, for every worker process started, whether it delivered a piece of the file."""
    delivered = []
    real = orders_module._Worker.values

    def values(self):
        pieces = 0
        for value in real(self):
            if not pieces:
                delivered.append(True)
            pieces += 1
            yield value
        if not pieces:
            delivered.append(False)

    monkeypatch.setattr(orders_module._Worker, "values", values)
    return delivered


def _parts_read_here(monkeypatch):
    """Counts the halves this process reads itself (the worker's reads happen in the worker)."""
    calls = []
    real = orders_module._part_blocks

    def part_blocks(*args):
        calls.append(args[1:])
        return real(*args)

    monkeypatch.setattr(orders_module, "_part_blocks", part_blocks)
    return calls


def _one_and_two(path, monkeypatch, **kw):
    delivered = _spy(monkeypatch)
    monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 0)
    two = run_import("orders", path, dry_run=True, **kw)
    assert delivered == [True], "the file should have been split between two processes"
    monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 1 << 60)
    one = run_import("orders", path, dry_run=True, **kw)
    assert delivered == [True]
    return one, two


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("skip_invalid", [False, True])
def test_two_processes_find_what_one_finds(tmp_path, monkeypatch, seed, skip_invalid):
    rnd = random.Random(seed)
    lines = _body()
    for bad in rnd.sample(BAD_LINES, seed % 4):  # seed 0 is a clean file: the halves are merged
        lines.insert(rnd.randrange(3, len(lines)), bad)
    one, two = _one_and_two(_file(tmp_path, lines), monkeypatch, skip_invalid=skip_invalid)
    assert bool(two.error_count) == bool(seed % 4)
    assert _problems(two) == _problems(one)
    assert (two.rows, two.error_count, two.created, two.skipped) == (one.rows, one.error_count, one.created,
                                                                    one.skipped)


def test_an_order_on_both_sides_of_the_middle_must_agree(tmp_path, monkeypatch):
    lines = _body()
    lines.append("A1;3;10002;15.01.2025;ART-1;1;10;1")  # A1 is in the first half, with customer 10001
    lines.append("A2;2;10002;03.02.2025;ART-1;1;10;1")  # the same customer and date: fine
    lines.append("A2;1;10002;03.02.2025;ART-1;1;10;1")  # a duplicate of a line in the first half
    parts = _parts_read_here(monkeypatch)
    one, two = _one_and_two(_file(tmp_path, lines), monkeypatch)
    assert len(parts) == 2, "a conflict between the halves: this process validates the second half itself"
    assert _problems(two) == _problems(one)
    messages = [p[3] for p in _problems(two)]
    assert any(m.startswith("order A1 has a different customer in row 2") for m in messages)
    assert any(m.startswith("duplicate line 1 of order A2 (first in row 4)") for m in messages)


def test_two_processes_store_every_line_once(tmp_path, monkeypatch):
    monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 0)
    delivered = _spy(monkeypatch)
    parts = _parts_read_here(monkeypatch)
    lines = _body()
    # An order whose lines straddle the middle of the file.
    middle = len(lines) // 2
    lines[middle - 1:middle + 1] = ["M1;1;10003;20.03.2025;ART-1;2;20,00;5,00", "M1;2;10003;20.03.2025;ART-2;1;1.000,50;0"]
    path = _file(tmp_path, lines)
    result = run_import("orders", path)
    assert delivered == [True]
    assert len(parts) == 1, "the worker's half should have been merged, not read again"
    assert (result.created, result.error_count) == (len(lines), 0), _problems(result)
    assert OrderLine.objects.count() == len(lines)
    assert Order.objects.count() == len({line.split(";")[0] for line in lines})
    m1 = list(OrderLine.objects.filter(order__number="M1").order_by("line_no")
              .values_list("line_no", "account__erp_number", "net_revenue"))
    assert m1 == [(1, "10003", Decimal("20.00")), (2, "10003", Decimal("1000.50"))]
    assert run_import("orders", path).unchanged == len(lines)


def test_split_points_only_for_files_whose_lines_are_records(tmp_path):
    lines = _body()
    path = _file(tmp_path, lines)
    start, cuts = split_points(str(path), 1, path.stat().st_size, [0.25, 0.5, 0.5])
    data = path.read_bytes()
    assert data[:start] == HEADER.encode()
    assert len(cuts) == 2, "cuts that fall on the same line are given once"
    for middle, before in cuts:
        assert data[middle - 1:middle] == b"\n" and before == data[:middle].count(b"\n")
    assert split_points(str(_file(tmp_path, lines, newline="\n")), 1, path.stat().st_size - len(lines) - 1, [0.5])
    quoted = _file(tmp_path, [*lines[:-1], '"C9";1;10001;15.01.2025;ART-1;1;10;1'])
    assert split_points(str(quoted), 1, quoted.stat().st_size, [0.5]) is None
    old_mac = _file(tmp_path, lines, newline="\r")
    assert split_points(str(old_mac), 1, old_mac.stat().st_size, [0.5]) is None


def _stored():
    return sorted(OrderLine.objects.values_list("order__number", "line_no", "order__account__erp_number",
                                                "order_date", "product__sku", "quantity", "net_revenue", "margin",
                                                "account__erp_number"))


def _changed(lines):
    """The file again with changes on both sides of the cut: a margin, a product, a customer, new lines."""
    out = list(lines)
    out[5] = out[5].rsplit(";", 1)[0] + ";0,5"  # a margin in the first part
    fields = out[-3].split(";")
    fields[4] = "ART-1" if fields[4] == "ART-2" else "ART-2"  # a product in the second part
    out[-3] = ";".join(fields)
    out = [line.replace(";10002;", ";10001;") if line.startswith("C4;") else line for line in out]  # a customer
    out.append("C4;4;10001;05.05.2025;ART-1;1;10;1")  # a new line of an order in the first part
    out.insert(3, "N1;1;10002;01.01.2025;ART-2;3;30,00;3")  # a new order
    return out


@pytest.mark.parametrize("skip_invalid", [False, True])
def test_a_problem_in_the_second_part_rolls_back_the_first(tmp_path, monkeypatch, skip_invalid):
    """The first part is written while the worker validates the second; an error there still writes nothing."""
    monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 0)
    delivered = _spy(monkeypatch)
    lines = _body()
    lines.append("Z9;1;10001;31.02.2025;ART-1;1;10;1")  # a date that does not exist, in the worker's part
    result = run_import("orders", _file(tmp_path, lines), skip_invalid=skip_invalid)
    assert delivered == [True]
    assert result.error_count == 1
    if skip_invalid:
        assert (result.created, result.skipped, result.written) == (len(lines) - 1, 1, True)
        assert OrderLine.objects.count() == len(lines) - 1
    else:
        assert (result.created, result.written) == (0, False)
        assert OrderLine.objects.count() == 0 and Order.objects.count() == 0


def test_a_duplicate_across_the_parts_keeps_the_first_line(tmp_path, monkeypatch):
    monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 0)
    lines = _body()
    lines.append("A1;1;10001;15.01.2025;ART-2;9;99,00;1")  # A1 line 1 is the file's first line
    result = run_import("orders", _file(tmp_path, lines), skip_invalid=True)
    assert [p[3] for p in _problems(result)] == ["duplicate line 1 of order A1 (first in row 2)"]
    assert OrderLine.objects.filter(order__number="A1", line_no=1).get().quantity != 9


@pytest.mark.parametrize("big", [False, True])
def test_reimport_in_two_parts_stores_what_one_part_stores(tmp_path, monkeypatch, big):
    """First import, then a changed file (lines, a customer, new lines on both sides): the stored rows and the
    counts are the same whether the changed file is taken in one part or in two."""
    from isf.imports import orders_write

    if big:
        monkeypatch.setattr(orders_write, "BIG_LOAD", 1)
    lines = _body()
    changed = _file(tmp_path, _changed(lines))
    results, stored = [], []
    for threshold in (1 << 60, 0):
        OrderLine.objects.all().delete()
        Order.objects.all().delete()
        monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 1 << 60)
        run_import("orders", _first(tmp_path, lines))
        monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", threshold)
        r = run_import("orders", changed)
        results.append((r.created, r.updated, r.unchanged, r.error_count))
        stored.append(_stored())
    assert results[0] == results[1]
    assert results[0][0] == 2 and results[0][1] > 3
    assert stored[0] == stored[1]


def _first(tmp_path, lines):
    path = tmp_path / "first.csv"
    path.write_bytes((HEADER + "\r\n".join(lines) + "\r\n").encode("cp1252"))
    return path


def _worker_fails_at_its_second_piece(monkeypatch, fail) -> list:
    """Split even small files, and call ``fail(table)`` where the worker would read its second piece; returns the
    start of every part read, in this process and in the worker (until the fork, the lists are shared)."""
    import os

    monkeypatch.setattr(orders_module, "PARALLEL_MIN_BYTES", 0)
    parent = os.getpid()
    real = orders_module._part_blocks
    calls = []

    def part_blocks(table, row, start, end):
        calls.append(start)
        if os.getpid() != parent and len(calls) == 3:  # the worker's second piece
            fail(table)
        return real(table, row, start, end)

    monkeypatch.setattr(orders_module, "_part_blocks", part_blocks)
    return calls


def test_a_worker_that_dies_midway_leaves_the_rest_to_this_process(tmp_path, monkeypatch):
    import os

    delivered = _spy(monkeypatch)
    calls = _worker_fails_at_its_second_piece(monkeypatch, lambda table: os._exit(3))
    lines = _body()
    result = run_import("orders", _file(tmp_path, lines))
    assert delivered == [True]
    assert (result.created, result.error_count) == (len(lines), 0)
    assert OrderLine.objects.count() == len(lines)
    assert len(calls) == 2  # here: its own part, then the rest from the piece the worker did not deliver


def test_a_piece_the_worker_could_not_read_is_read_here(tmp_path, monkeypatch):
    """A file error in the worker (its piece is marked fatal) makes this process read from that piece on itself:
    what this process finds there counts, and the import is complete."""

    from isf.imports.reader import FileFormatError

    def unreadable(table):
        raise FileFormatError("simulated", file=table.file)

    calls = _worker_fails_at_its_second_piece(monkeypatch, unreadable)
    lines = _body()
    result = run_import("orders", _file(tmp_path, lines))
    assert (result.created, result.error_count, result.fatal) == (len(lines), 0, False)
    assert OrderLine.objects.count() == len(lines)
    assert len(calls) == 2
