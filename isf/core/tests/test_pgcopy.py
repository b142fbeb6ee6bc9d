"""Binary COPY from numpy columns: what PostgreSQL stores equals the values meant, edge cases included."""

from datetime import date
from decimal import Decimal

import numpy as np
import pytest
from django.db import connection, transaction

from isf.core.pgcopy import Date, Int4, Int8, Numeric, copy_columns


def _days(values):
    return np.array(values, dtype="datetime64[D]").astype(np.int64)


@pytest.mark.django_db(transaction=True)
def test_binary_copy_stores_exactly_the_values_given():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL binary COPY")
    amounts = [0, 1, -1, 5, 10, 99, 100, 12345, -12345, 999_999_999_999_99, -999_999_999_999_99, 10_000_00,
               1_000_000_000_00]
    quantities = [1, 1500, 999_999_999_999, 10_000, 123_456_789, 1, 2, 3, 4, 5, 6, 7, 8]
    days = ["2000-01-01", "1999-12-31", "1970-01-01", "2025-02-28", "2024-02-29", "2100-12-31", "1900-03-01",
            "2025-01-15", "2025-01-16", "2025-01-17", "2025-01-18", "2025-01-19", "2025-01-20"]
    n = len(amounts)
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_probe (id bigint, line integer, day date, qty numeric(12,3), "
                       "amount numeric(14,2), whole numeric(16,0))")
        with transaction.atomic():
            written = copy_columns(
                cursor, "copy_probe", ["id", "line", "day", "qty", "amount", "whole"],
                [Int8(), Int4(), Date(), Numeric(3), Numeric(2), Numeric(0)],
                [np.arange(n, dtype=np.int64) + 2**40, np.arange(n, dtype=np.int64) - 3, _days(days),
                 np.array(quantities, dtype=np.int64), np.array(amounts, dtype=np.int64),
                 np.array(amounts, dtype=np.int64) // 100])
        assert written == n
        cursor.execute("SELECT id, line, day, qty, amount, whole, amount::text FROM copy_probe ORDER BY id")
        rows = cursor.fetchall()
    assert [r[0] for r in rows] == [2**40 + i for i in range(n)]
    assert [r[1] for r in rows] == [i - 3 for i in range(n)]
    assert [r[2] for r in rows] == [date.fromisoformat(d) for d in days]
    assert [r[3] for r in rows] == [Decimal(q).scaleb(-3) for q in quantities]
    assert [r[4] for r in rows] == [Decimal(a).scaleb(-2) for a in amounts]
    assert [r[5] for r in rows] == [Decimal(a // 100) for a in amounts]
    # Stored normalised, with the column's scale: no leading zero digits survive.
    assert rows[0][6] == "0.00" and rows[2][6] == "-0.01" and rows[10][6] == "-999999999999.99"


@pytest.mark.django_db(transaction=True)
def test_binary_copy_in_batches_and_rejects_what_does_not_fit(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL binary COPY")
    import isf.core.pgcopy as pgcopy

    monkeypatch.setattr(pgcopy, "BATCH", 7)
    n = 30
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE copy_batches (id bigint, amount numeric(14,2))")
        with transaction.atomic():
            copy_columns(cursor, "copy_batches", ["id", "amount"], [Int8(), Numeric(2)],
                         [np.arange(n, dtype=np.int64), np.arange(n, dtype=np.int64) * 1001])
        cursor.execute("SELECT count(*), sum(amount) FROM copy_batches")
        assert cursor.fetchone() == (n, Decimal(sum(range(n)) * 1001).scaleb(-2))
    with pytest.raises(ValueError, match="4-byte"):
        Int4().encode(np.array([2**31]))
    with pytest.raises(ValueError, match="same number"):
        copy_columns(None, "t", ["a", "b"], [Int8(), Int8()], [np.zeros(2), np.zeros(3)])


def test_numeric_digits_are_base_10000_groups():
    dtype, shape, digits = Numeric(2).encode(np.array([123456789_01, -5, 0]))
    assert dtype == ">i2" and shape == (8,)
    # ndigits, weight, sign, dscale, then 1|2345|6789 . 0100
    assert digits[0].tolist() == [4, 2, 0, 2, 1, 2345, 6789, 100]
    assert digits[1].tolist() == [4, 2, 0x4000, 2, 0, 0, 0, 500]
    assert digits[2].tolist() == [4, 2, 0, 2, 0, 0, 0, 0]


@pytest.mark.django_db(transaction=True)
def test_fetch_columns_reads_what_a_plain_select_reads():
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL binary transfer")
    from isf.core.pgcopy import fetch_columns

    values = [(2**62, -5, "1234567.891", "0.01"), (-(2**40), 0, "-0.5", "99999999999.99"), (7, 2**31 - 1, "0", "-3.10")]
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE fetch_probe (id bigint, line integer, qty numeric(12,3), amount numeric(14,2))")
        cursor.executemany("INSERT INTO fetch_probe VALUES (%s, %s, %s, %s)", values)
        columns = [("id", "int8"), ("line", "int8"), ("qty", "float8"), ("amount", "float8"), ("id + line", "int8")]
        got = fetch_columns(cursor, columns, "fetch_probe WHERE line >= %s", [-5])
        cursor.execute("SELECT id, line, qty::float8, amount::float8, id + line FROM fetch_probe")
        expected = sorted(cursor.fetchall())
        assert sorted(tuple(row.tolist()) for row in got) == expected
        assert got.dtype.names == ("c0", "c1", "c2", "c3", "c4")
        assert [float(v) for v in got["c2"]] == [float(Decimal(v[2])) for v in values]  # the doubles Python parses
        assert len(fetch_columns(cursor, columns, "fetch_probe WHERE line > %s", [2**31])) == 0
        cursor.execute("INSERT INTO fetch_probe VALUES (8, 1, NULL, 1)")
        with pytest.raises(ValueError, match="NULL"):
            fetch_columns(cursor, columns, "fetch_probe")
