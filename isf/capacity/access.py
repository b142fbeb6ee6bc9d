"""Access to capacity, process times and the KPI dashboard: see isf/core/access.py."""

from isf.core.access import IDL, LEADS, rule

PAGES = {
    # the VL reads; the IDL sets the staffing parameters and adopts measured efforts
    "capacity:*": rule(LEADS, POST={IDL}, label="capacity, process times, KPI dashboard (IDL saves)"),
    "capacity:adopt-standard": rule({IDL}, label="adopt a measured standard effort"),
}
