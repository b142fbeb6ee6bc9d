"""Dates, weeks and months in the page language: the one helper for texts people read (issue 21).

German: 07.12.2026, Mo 07.12.2026, KW 50/2026, Dezember 2026. English: 7 Dec 2026, Mon 7 Dec 2026, week 50/2026,
December 2026. The formats live in ``isf/core/formats/<lang>/formats.py`` (``FORMAT_MODULE_PATH``), so templates'
``|date:"SHORT_DATE_FORMAT"`` and these functions agree. Templates use the filters of ``isf_format``
(``weekday_date``, ``iso_week``) for the rest.
"""

import re
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext

from isf.core.text import DATE_MAX, DATE_MIN


def _local(value):
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def format_date(value, *, weekday: bool = False) -> str:
    """A day as people read it on this page; '–' for None. ``weekday`` prefixes Mo / Mon."""
    if value is None or value == "":
        return "–"
    value = _local(value)
    text = date_format(value, "SHORT_DATE_FORMAT")
    return f"{date_format(value, 'D')} {text}" if weekday else text


def format_datetime(value, *, weekday: bool = False) -> str:
    """A moment (local time) as people read it on this page; '–' for None."""
    if value is None or value == "":
        return "–"
    value = _local(value)
    text = date_format(value, "SHORT_DATETIME_FORMAT")
    return f"{date_format(value, 'D')} {text}" if weekday else text


def format_week(value=None, *, year: int | None = None, week: int | None = None) -> str:
    """An ISO week: 'KW 50/2026' (German) / 'week 50/2026' (English), from a day or a year and week."""
    if value is not None:
        year, week, _day = value.isocalendar()
    return gettext("week %(week)s/%(year)s") % {"week": week, "year": year}


def format_month(value) -> str:
    """A month: 'Dezember 2026' / 'December 2026'."""
    return date_format(value, "YEAR_MONTH_FORMAT") if value else "–"


def read_date(value) -> date | None:
    """A day typed or sent in any accepted form (ISO 2026-12-07, German 07.12.2026), or None when it is not one."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = str(value).strip()
    parts = text.split(".")
    if len(parts) == 3 and all(p.isascii() and p.isdigit() for p in parts) and len(parts[2]) == 4:
        text = f"{parts[2]}-{int(parts[1]):02d}-{int(parts[0]):02d}"  # German 7.12.2026
    if len(text) != 10 or not text.isascii():
        return None
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return day if DATE_MIN <= day <= DATE_MAX else None
    return None


def format_day(value) -> str:
    """A day with its weekday, without the year: 'Mo 07.12.' / 'Mon 7 Dec'."""
    value = _local(value)
    return f"{date_format(value, 'D')} {date_format(value, 'MONTH_DAY_FORMAT')}"


_ISO_IN_TEXT = re.compile(r"(?<![\d-])((?:19|20)\d\d-[01]\d-[0-3]\d)(?:[ T]([0-2]\d:[0-5]\d)(?::\d\d)?)?(?![\d-])")


def dates_in_text(text) -> str:
    """A stored text people read (a history line, a note ISF wrote) with its ISO dates in the page's format.

    ``rescheduled 2026-12-07 14:00 → 2026-12-08 09:00`` reads ``07.12.2026 14:00 → 08.12.2026 09:00`` on a German
    page and ``7 Dec 2026, 14:00 → 8 Dec 2026, 09:00`` on an English one. Times are kept as written (local).
    """
    if not text:
        return text

    def local(match):
        day = read_date(match.group(1))
        if day is None:
            return match.group(0)
        if match.group(2):
            hour, minute = (int(p) for p in match.group(2).split(":"))
            if hour > 23:
                return match.group(0)
            return format_datetime(datetime(day.year, day.month, day.day, hour, minute))  # noqa: DTZ001 - as written
        return format_date(day)

    return _ISO_IN_TEXT.sub(local, str(text))
