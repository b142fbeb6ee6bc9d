"""Inside-sales capacity numerics: Erlang C staffing, workload FTE, interval call-volume forecasts.

Django-free on purpose: the Django app ``isf.capacity`` feeds these functions plain numbers and numpy
arrays, so the maths is tested in milliseconds without a database.
"""

from .erlang import (
    ErlangInputError,
    StaffingResult,
    average_speed_of_answer,
    erlang_b,
    erlang_c,
    required_agents,
    rostered_headcount,
    service_level,
    traffic_erlangs,
    workload_fte,
    workload_rostered,
)
from .forecast import METHODS, VolumeForecast, backtest, forecast, seasonal_naive
from .series import ALLOWED_RESOLUTIONS, VolumeSeries, VolumeSeriesError, regularise

__all__ = [
    "ALLOWED_RESOLUTIONS",
    "METHODS",
    "ErlangInputError",
    "StaffingResult",
    "VolumeForecast",
    "VolumeSeries",
    "VolumeSeriesError",
    "average_speed_of_answer",
    "backtest",
    "erlang_b",
    "erlang_c",
    "forecast",
    "regularise",
    "required_agents",
    "rostered_headcount",
    "seasonal_naive",
    "service_level",
    "traffic_erlangs",
    "workload_fte",
    "workload_rostered",
]
