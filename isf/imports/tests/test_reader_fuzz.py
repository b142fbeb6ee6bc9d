"""Fuzzing the import reader (split from test_reader.py). Tests for the Django-free import reader (isf.imports.reader) and value parsers (isf.imports.values).

Every reader test writes a real file (tmp_path) with the exact bytes an ERP or Excel would produce, because
encoding, BOM and line-ending bugs only show up with real bytes - never with StringIO.
"""

import csv
import io
import types
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from isf.imports import reader as reader_module
from isf.imports.reader import (
    FileFormatError,
    detect_csv,
    open_table,
)


@pytest.fixture
def settings():
    """Stand-in for pytest-django's ``settings``.

    The repository conftest has an autouse fixture that tweaks Django settings.  This module tests Django-free
    code and runs with ``-p no:django``, where that fixture would otherwise fail for lack of ``settings``.
    """
    return types.SimpleNamespace()


# ---------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------

GERMAN = "Kunde;Ort;Betrag;Datum\r\nMüller;Köln;1.234,56;31.01.2025\r\nGroß;Düsseldorf;-12,5;01.02.2025\r\n"


def write(tmp_path: Path, name: str, data: bytes | str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(data if isinstance(data, bytes) else data.encode(encoding))
    return path


def read_all(path: Path, **options) -> tuple[list[str], list[tuple[int, dict[str, str]]], object]:
    with open_table(path, **options) as table:
        return table.header, list(table), table.dialect


def read_error(path: Path, **options) -> FileFormatError:
    """The FileFormatError raised by opening *or* iterating (where it surfaces is an implementation detail)."""
    with pytest.raises(FileFormatError) as info:
        read_all(path, **options)
    return info.value


@pytest.fixture(params=[True, False], ids=["split-mode", "reader-mode"])
def parse_mode(request):
    """Run a test with both record parsers; they must give identical results."""
    with mock.patch.object(reader_module, "_prefer_split", lambda head: request.param):
        yield request.param


# ---------------------------------------------------------------------------------------------------------------
# encodings
# ---------------------------------------------------------------------------------------------------------------


# ---------------------------------------------------------------------------------------------------------------

FUZZ = hypothesis_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
CSV_ALPHABET = st.one_of(
    st.sampled_from(list(";,\t|\"\r\n '.-0123456789aäöüßÄ€xX")),
    st.characters(codec="utf-8"),
)


@pytest.fixture(scope="module")
def fuzz_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("fuzz")


def exercise(path: Path, data: bytes) -> None:
    """Detect, open and fully iterate ``data`` the ways the importer will; only FileFormatError may escape."""
    try:
        detect_csv(data)
    except FileFormatError:
        pass
    path.write_bytes(data)
    for options in ({}, {"encoding": "utf-8"}, {"encoding": "cp1252", "delimiter": ","}):
        try:
            with open_table(path, **options) as table:
                for row_number, row in table:
                    assert row_number > table.header_row
                    assert list(row) == table.header
        except FileFormatError as exc:
            assert exc.message


@FUZZ
@given(st.binary(max_size=3000))
def test_fuzz_arbitrary_bytes(fuzz_dir, data):
    exercise(fuzz_dir / "bytes.csv", data)


@FUZZ
@given(st.text(CSV_ALPHABET, max_size=400), st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]))
def test_fuzz_arbitrary_text_in_supported_encodings(fuzz_dir, text, encoding):
    exercise(fuzz_dir / "text.csv", text.encode(encoding, errors="replace"))


@FUZZ
@given(st.binary(max_size=600))
def test_fuzz_xlsx_garbage(fuzz_dir, data):
    path = fuzz_dir / "garbage.xlsx"
    path.write_bytes(b"PK\x03\x04" + data)
    with pytest.raises(FileFormatError):
        read_all(path)


def outcome(path: Path, split: bool) -> list[object]:
    with mock.patch.object(reader_module, "_prefer_split", lambda head: split):
        result: list[object] = []
        try:
            with open_table(path, encoding="utf-8", delimiter=";") as table:
                result.append(table.header)
                result.extend(table)
        except FileFormatError as exc:
            result.append((exc.row, exc.column, exc.message))
        return result


@FUZZ
@given(st.text(st.sampled_from(list('ab;"\r\n ')), max_size=120))
def test_fuzz_split_and_reader_modes_agree(fuzz_dir, text):
    path = fuzz_dir / "modes.csv"
    path.write_bytes(text.encode())
    assert outcome(path, split=True) == outcome(path, split=False)


@FUZZ
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda width: st.lists(
            st.lists(st.text(st.sampled_from(list('ab ;,"\r\n\tä')), max_size=8), min_size=width, max_size=width),
            max_size=12,
        ).map(lambda rows: (width, rows))
    ),
    st.sampled_from([";", ",", "\t"]),
)
def test_fuzz_round_trip_of_csv_written_by_the_csv_module(fuzz_dir, width_rows, delimiter):
    width, rows = width_rows
    header = ["Kunde", "Betrag", "Datum", "Notiz"][:width]
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    path = fuzz_dir / "roundtrip.csv"
    path.write_bytes(buffer.getvalue().encode())

    expected = [(i + 2, dict(zip(header, row, strict=True))) for i, row in enumerate(rows) if "".join(row).strip()]
    for split in (True, False):
        with mock.patch.object(reader_module, "_prefer_split", lambda head, split=split: split):
            assert read_all(path, delimiter=delimiter, encoding="utf-8")[1] == expected
