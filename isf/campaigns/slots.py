"""Free slots of a field rep: working hours minus booked appointments and a travel buffer.

Pure functions (no Django) so the slot arithmetic is tested on its own.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

type Interval = tuple[datetime, datetime]


def conflicts(start: datetime, end: datetime, booked: Iterable[Interval], buffer: timedelta) -> list[Interval]:
    """Booked appointments that a visit from start to end would collide with, travel buffer included.

    Between two visits there must be at least ``buffer`` (travel time) on either side.
    """
    return [(b_start, b_end) for b_start, b_end in booked if start < b_end + buffer and b_start < end + buffer]


def free_slots(
    windows: Iterable[Interval],
    booked: Iterable[Interval],
    *,
    length: timedelta,
    buffer: timedelta,
    step: timedelta = timedelta(minutes=30),
    not_before: datetime | None = None,
) -> list[Interval]:
    """Every start on the ``step`` grid inside a working window where a visit of ``length`` fits.

    A slot must end within its window, must not start before ``not_before`` and must keep ``buffer``
    to every booked appointment.
    """
    if length <= timedelta(0) or step <= timedelta(0) or buffer < timedelta(0):
        raise ValueError("length and step must be positive, buffer not negative")
    booked = sorted(booked)
    result: list[Interval] = []
    for w_start, w_end in sorted(windows):
        start = w_start
        while start + length <= w_end:
            end = start + length
            if (not_before is None or start >= not_before) and not conflicts(start, end, booked, buffer):
                result.append((start, end))
            start += step
    return result
