"""The order import's process pipeline: a big CSV file validated in two processes (docs/architecture.md).

From PARALLEL_MIN_BYTES on, a CSV file whose lines are all records is cut (``_cuts``): this process validates the
first part (MAIN_SHARE of the file), a forked worker the rest in WORKER_PIECES pieces, each sent as soon as it is
done. This process compares and writes its own part and then each piece while the worker validates the next.
A piece with a problem, an order that conflicts with an earlier part, or a worker that dies makes this process
validate from that piece on itself, so messages and row numbers never depend on the split.

The validation itself (the rules, isf/imports/order_rules.py, and the arrays of orders and lines) stays in
isf/imports/orders.py; it hands this module a ``Validation`` with what the pipeline calls.
"""

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass

from isf.imports.forked import _fork, _Worker  # noqa: F401 - _Worker: the tests reach it through this module
from isf.imports.reader import FileFormatError, TableReader
from isf.imports.reader_csv import csv_part, split_points

PARALLEL_MIN_BYTES = 16 << 20  # from this size on, the parts of a CSV file are validated in two processes
# This process's share of a file validated in two: it also compares and writes every line, which costs about half
# of what validating one does, so with a quarter here both processes are about equally busy.
MAIN_SHARE = 0.25
WORKER_PIECES = 5


@dataclass
class Validation:
    """What the pipeline needs of one order import's validation (closures over its arrays)."""

    validate_blocks: Callable  # (blocks, scale=1) -> None
    piece: Callable[[], dict]  # the worker's news since its last piece
    merge: Callable[[dict], bool]  # append a clean piece from the worker (False: validate it here instead)
    settle: Callable[[], None]  # hand the lines validated since the last call to the writer
    rows: Callable[[], int]  # rows validated so far
    quiet: Callable[[], None]  # no progress reports (in the worker)


def _cuts(table: TableReader) -> tuple[int, list[tuple[int, int]], int] | None:
    """Where to cut the file for two validating processes, or None to validate it in one: the first data line's
    byte offset, the cuts (byte offset, records before it; see split_points) and the file size."""
    if (table.kind != "csv" or not table.path or not hasattr(os, "fork") or (os.cpu_count() or 1) < 2
            or threading.active_count() > 1):
        return None
    size = os.path.getsize(table.path)
    if size < PARALLEL_MIN_BYTES:
        return None
    shares = [MAIN_SHARE + k * (1 - MAIN_SHARE) / WORKER_PIECES for k in range(WORKER_PIECES)]
    found = split_points(table.path, table.header_row, size, shares)
    return (*found, size) if found else None


def _part_blocks(table: TableReader, row: int, start: int, end: int):
    """Column blocks of bytes ``start`` to ``end`` of the table's file, records numbered after ``row``."""
    stream = csv_part(table.path, table.file, table.dialect, table.header, row, start, end)
    try:
        yield from stream.column_blocks()
    finally:
        stream.text_file.close()


def start_worker(table: TableReader, found, v: Validation, result) -> _Worker | None:
    """Fork the worker that validates the file after the first cut, piece by piece; None when no fork."""
    _data_start, cuts, size = found

    def worker_pieces(send) -> None:
        """In the worker: each piece sent when done; it stops at the first piece with a problem (this process
        validates from there on itself). No progress."""
        v.quiet()
        ends = [c[0] for c in cuts[1:]] + [size]
        for (start, before), end in zip(cuts, ends, strict=True):
            try:
                v.validate_blocks(_part_blocks(table, before, start, end))
            except FileFormatError:
                result.fatal = True
            news = v.piece()
            send(news)
            if news["errors"] or news["fatal"]:
                return

    return _fork(worker_pieces)


def validate_with_worker(table: TableReader, found, worker: _Worker, v: Validation, *, writer, result, total,
                         progress) -> None:
    """This process's part, written while the worker validates; then the worker's pieces as they come."""
    data_start, cuts, size = found
    mine = cuts[0][0] - data_start
    v.validate_blocks(_part_blocks(table, table.header_row, data_start, cuts[0][0]), (size - data_start) / mine)
    if not total:
        writer.expected_lines = int(v.rows() * (size - data_start) / mine)
    v.settle()  # while the worker still validates: this part's comparison and write
    taken = 0
    for news in worker.values():
        result.worker_peak_rss_mb = news["peak_rss_mb"]
        if news["errors"] or news["fatal"] or not v.merge(news):
            break
        taken += 1
        progress("validating", v.rows(), total)
        v.settle()
    if taken < len(cuts):  # a piece with a problem, or the worker failed: the rest is validated here
        worker.stop()
        v.validate_blocks(_part_blocks(table, cuts[taken][1], cuts[taken][0], size))
