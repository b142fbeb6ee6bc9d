"""Human wording of import results in the active language: the summary line and the row-error reasons.

The engine keeps its problems in English (the error-report CSV and ``isf import --json`` are stable, machine
readable); the UI and the human CLI output translate them here.  Fixed reasons are looked up in the catalog,
reasons with a value in them (``duplicate key '10003' (first in row 4)``) through :data:`PATTERNS`.  A reason
that is not known is shown as it is.
"""

import re

from django.utils.translation import gettext, gettext_lazy, gettext_noop, ngettext

#: fixed reasons of the readers, value parsers and importers (marked for the catalog, translated on display)
FIXED = (
    gettext_noop("unknown customer number"),
    gettext_noop("unknown article number"),
    gettext_noop("unknown product group"),
    gettext_noop("unknown region code"),
    gettext_noop("not a valid e-mail address"),
    gettext_noop("a contact who is leaving or has left needs the date (status_date)"),
    gettext_noop("postcode must have 5 digits"),
    gettext_noop("valid until is before the quote date"),
    gettext_noop("order number is empty"),
    gettext_noop("order number is longer than 30 characters"),
    gettext_noop("customer number is empty and no header given"),
    gettext_noop("line is not a whole number"),
    gettext_noop("quantity must be positive"),
    gettext_noop("quantity must be below 1,000,000,000 with at most 3 decimals"),
    gettext_noop("net revenue must not be negative"),
    gettext_noop("net revenue must be below 1,000,000,000,000 with at most 2 decimals"),
    gettext_noop("margin must not exceed the net revenue"),
    gettext_noop("margin must be below 1,000,000,000,000 with at most 2 decimals"),
    gettext_noop("date does not exist"),
    gettext_noop("time of day does not exist"),
    gettext_noop("empty value"),
    gettext_noop("not a number"),
    gettext_noop("not a whole number"),
    gettext_noop("too long for a number"),
    gettext_noop("mixed thousands separators"),
    gettext_noop("not a number (exponent notation is not supported)"),
    gettext_noop("expected ja/nein, yes/no, 1/0, true/false or x"),
    gettext_noop("the file is empty"),
    gettext_noop("the file contains only empty lines"),
    gettext_noop("this is not a text file (it contains binary data)"),
    gettext_noop("this is an Excel workbook or another ZIP archive, not a CSV file"),
    gettext_noop("this is an old Excel (.xls) or Office file; save it as .xlsx or CSV"),
    gettext_noop("the header row has no column names"),
    gettext_noop("the workbook has no worksheets"),
    gettext_noop("the workbook has an XML tag longer than 1 MB; it is damaged"),
    # interval files (isf.capacity.volumefile)
    gettext_noop("must not be below 0"),
    gettext_noop("not a date and time like 02.11.2026 08:15"),
    gettext_noop("not a duration in seconds or mm:ss"),
    gettext_noop("row has too few columns"),
)

#: reasons with values in them: English pattern -> translated template with the same named groups
PATTERNS = (
    (r"duplicate key (?P<key>.+) \(first in row (?P<row>\d+)\)",
     gettext_lazy("duplicate key %(key)s (first in row %(row)s)")),
    (r"duplicate order number \(first in row (?P<row>\d+)\)",
     gettext_lazy("duplicate order number (first in row %(row)s)")),
    (r"duplicate line (?P<line>\S+) of order (?P<order>.+) \(first in row (?P<row>\d+)\)",
     gettext_lazy("duplicate line %(line)s of order %(order)s (first in row %(row)s)")),
    (r"order (?P<order>.+) has a different customer in row (?P<row>\d+)",
     gettext_lazy("order %(order)s has a different customer in row %(row)s")),
    (r"order (?P<order>.+) has a different date in row (?P<row>\d+)",
     gettext_lazy("order %(order)s has a different date in row %(row)s")),
    (r"required column (?P<column>'[^']*') is missing \(accepted names: (?P<names>.*)\)",
     gettext_lazy("required column %(column)s is missing (accepted names: %(names)s)")),
    (r"required column (?P<column>'[^']*') is missing \(or give a separate header file\)",
     gettext_lazy("required column %(column)s is missing (or give a separate header file)")),
    (r"mapped column (?P<column>'[^']*') \(for (?P<field>\w+)\) is not in the file",
     gettext_lazy("mapped column %(column)s (for %(field)s) is not in the file")),
    (r"line must be between 1 and (?P<max>\d+)", gettext_lazy("line must be between 1 and %(max)s")),
    (r"not a number \(unexpected character (?P<char>.+)\)",
     gettext_lazy("not a number (unexpected character %(char)s)")),
    (r"(?P<field>\w+) is empty", gettext_lazy("%(field)s is empty")),
    (r"(?P<field>\w+) is longer than (?P<max>\d+) characters",
     gettext_lazy("%(field)s is longer than %(max)s characters")),
    (r"(?P<field>\w+) must not be below (?P<min>\S+)", gettext_lazy("%(field)s must not be below %(min)s")),
    (r"(?P<field>\w+) has more than (?P<places>\d+) decimals",
     gettext_lazy("%(field)s has more than %(places)s decimals")),
    (r"(?P<field>\w+) must be one of (?P<allowed>.+)", gettext_lazy("%(field)s must be one of %(allowed)s")),
    (r"expected a date like (?P<example>.+)", gettext_lazy("expected a date like %(example)s")),
    (r"the workbook has (?P<count>\d+) sheets \((?P<names>.*)\): choose one",
     gettext_lazy("the workbook has %(count)s sheets (%(names)s): choose one")),
    (r"the workbook has (?P<count>\d+) sheets \((?P<names>.*)\): choose one with --sheet NAME",
     gettext_lazy("the workbook has %(count)s sheets (%(names)s): choose one with --sheet NAME")),
    (r"the workbook has no sheet (?P<sheet>.+); it has (?P<names>.*)",
     gettext_lazy("the workbook has no sheet %(sheet)s; it has %(names)s")),
    (r"the sheet (?P<sheet>.+) is empty", gettext_lazy("the sheet %(sheet)s is empty")),
    (r"the file is not valid (?P<label>.+) text", gettext_lazy("the file is not valid %(label)s text")),
    (r"the worksheet has a row with more than (?P<max>[\d,]+) cells, Excel's limit; this is not a table Excel wrote",
     gettext_lazy("the worksheet has a row with more than %(max)s cells, Excel's limit; "
                  "this is not a table Excel wrote")),
    (r"the worksheet has a row number beyond (?P<max>[\d,]+), Excel's limit; this is not a table Excel wrote",
     gettext_lazy("the worksheet has a row number beyond %(max)s, Excel's limit; this is not a table Excel wrote")),
    (r"the header row has (?P<count>[\d,]+) columns; a file to import may have at most (?P<max>[\d,]+)",
     gettext_lazy("the header row has %(count)s columns; a file to import may have at most %(max)s")),
    (r"the daylight-saving change skips this hour in (?P<zone>\S+), but it holds (?P<calls>\d+) calls",
     gettext_lazy("the daylight-saving change skips this hour in %(zone)s, but it holds %(calls)s calls")),
    (r"duplicate interval (?P<start>.+) \(first in row (?P<row>\d+)\)",
     gettext_lazy("duplicate interval %(start)s (first in row %(row)s)")),
    (r"expected (?P<expected>\d+) columns, got (?P<got>\d+)",
     gettext_lazy("expected %(expected)s columns, got %(got)s")),
    (r"unknown time zone (?P<zone>.+); give an IANA name like Europe/Berlin",
     gettext_lazy("unknown time zone %(zone)s; give an IANA name like Europe/Berlin")),
    (r"missing column\(s\) (?P<columns>.+); the header row has (?P<header>.+)",
     gettext_lazy("missing column(s) %(columns)s; the header row has %(header)s")),
    (r"the sheet (?P<sheet>.+) has no column names in its first (?P<rows>\d+) rows",
     gettext_lazy("the sheet %(sheet)s has no column names in its first %(rows)s rows")),
)
_COMPILED = tuple((re.compile(p), t) for p, t in PATTERNS)
_FIXED = frozenset(FIXED)


def reason(message: str) -> str:
    """A problem's reason in the active language (unknown reasons unchanged); a field's technical name in it
    (``potential must not be below 0``) becomes the field's label (``Potenzial (EUR) darf nicht ...``)."""
    if message in _FIXED:
        return gettext(message)
    for pattern, template in _COMPILED:
        found = pattern.fullmatch(message)
        if found:
            values = found.groupdict()
            if "field" in values:
                values["field"] = field_label(values["field"])
            return str(template) % values
    return message


def field_label(name: str) -> str:
    """The label of an import field in the active language (the name itself for a field without one)."""
    from isf.imports.kinds import KINDS

    for columns in KINDS.values():
        for column in columns:
            if column.name == name and column.label:
                return column.heading()
    return name


def placed_summary(placed: dict) -> str:
    """"; placed: 3 in segment B, 2 in C; 4 with a field rep; 5 with an inside team" ("" when nothing was placed)."""
    if not placed or not placed.get("accounts"):
        return ""
    segments = ", ".join(f"{n} {code or '-'}" for code, n in sorted(placed.get("per_segment", {}).items()))
    return "; " + gettext("placed %(accounts)s new accounts: segments %(segments)s; %(owners)s with a field rep; "
                          "%(teams)s with an inside team") % {
        "accounts": placed["accounts"], "segments": segments or "-", "owners": placed.get("owners", 0),
        "teams": placed.get("teams", 0)} + (
        "; " + gettext("%(n)s owned by an inside team") % {"n": placed["owner_teams"]}
        if placed.get("owner_teams") else "")


def summary(*, file: str, rows: int, created: int, updated: int, unchanged: int, errors: int, skipped: int = 0,
            dry_run: bool = False, written: bool = False) -> str:
    """One line on what an import did (or, for a dry run, would do), in the active language.

    "would" only for a dry run; an import that found nothing to change says so; a refused file says that
    nothing was written.
    """
    counts = {"file": file, "rows": rows, "created": created, "updated": updated, "unchanged": unchanged,
              "errors": errors}
    head = ngettext("%(file)s: %(rows)s row", "%(file)s: %(rows)s rows", rows) % counts
    if dry_run:
        text = head + "; " + gettext("dry run, nothing written: would create %(created)s, update %(updated)s, "
                                     "leave %(unchanged)s unchanged; errors %(errors)s") % counts
    elif errors and not written and not skipped:
        text = head + "; " + gettext("errors %(errors)s; nothing was written") % counts
    elif created == 0 and updated == 0:
        text = head + "; " + gettext("nothing changed, everything is already up to date "
                                     "(unchanged %(unchanged)s, errors %(errors)s)") % counts
    else:
        text = head + "; " + gettext("created %(created)s, updated %(updated)s, unchanged %(unchanged)s, "
                                     "errors %(errors)s") % counts
    if skipped:
        text += "; " + ngettext("skipped %(n)s invalid row", "skipped %(n)s invalid rows", skipped) % {"n": skipped}
    return text
