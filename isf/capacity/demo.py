"""Demo content: eight weeks of 15-minute inbound call volumes per team, staffing parameters, absences.

The volumes follow a German B2B office line: open Mon-Thu 08:00-17:00 and Fri 08:00-15:00, a morning peak
around 10:00, a lunch dip, a smaller afternoon peak; Monday busiest; slight growth; closed on Bavarian
public holidays. Generated with numpy in one pass per team and written with bulk_create.
"""

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import holidays
import numpy as np

from isf.capacity.models import Absence, CallVolume, StaffingParameters, VolumeSource
from isf.capacity.selectors import LOCAL

WEEKS = 8
RESOLUTION = 15
# team code -> (calls on an average Monday, AHT seconds, outbound minutes, target level %, target seconds)
TEAMS = {
    "KA": (38, 330, 12, 70, 60),
    "MP": (75, 270, 9, 75, 60),
    "SMB": (90, 240, 8, 80, 30),
    "CDP": (110, 180, 6, 80, 20),
}
WEEKDAY_FACTOR = np.array([1.0, 0.88, 0.84, 0.82, 0.62, 0.0, 0.0])
CLOSES = np.array([17, 17, 17, 17, 15, 0, 0])


def _shape(weekday: int) -> np.ndarray:
    hours = (np.arange(0, 1440, RESOLUTION) + RESOLUTION / 2) / 60
    shape = 1.0 + 1.1 * np.exp(-(((hours - 10.0) / 1.2) ** 2)) + 0.5 * np.exp(-(((hours - 14.5) / 1.2) ** 2))
    shape -= 0.5 * np.exp(-(((hours - 12.6) / 0.45) ** 2))
    shape[(hours < 8) | (hours >= CLOSES[weekday])] = 0.0
    total = shape.sum()
    return shape / total if total else shape


def volume_rows(team, monday_calls: float, first_day, days: int, rng, state: str = "BY") -> list[CallVolume]:
    closed = holidays.country_holidays("DE", subdiv=state, years=range(first_day.year, first_day.year + 2))
    shapes = [_shape(wd) for wd in range(7)]
    rows = []
    for d in range(days):
        day = first_day + timedelta(days=d)
        if day in closed:
            means = np.zeros(1440 // RESOLUTION)
        else:
            level = monday_calls * WEEKDAY_FACTOR[day.weekday()] * (1.004 ** d) * rng.gamma(60, 1 / 60)
            means = level * shapes[day.weekday()]
        counts = rng.poisson(means)
        midnight = datetime.combine(day, time(0), tzinfo=LOCAL)
        for slot, calls in enumerate(counts.tolist()):
            # local wall-clock interval -> aware UTC (the DST night hours carry no calls)
            wall = midnight.replace(tzinfo=None) + timedelta(minutes=slot * RESOLUTION)
            local = wall.replace(tzinfo=LOCAL)
            if wall.hour == 2 and local.astimezone(UTC).astimezone(LOCAL).replace(tzinfo=None) != wall:
                continue  # skipped by the spring daylight-saving change
            rows.append(CallVolume(team=team, start=local, resolution_minutes=RESOLUTION, calls=int(calls),
                                   source=VolumeSource.DEMO))
    return rows


def load(ctx) -> None:
    rng = np.random.default_rng(ctx.seed + 80)
    first_day = ctx.today - timedelta(days=7 * WEEKS)
    first_day -= timedelta(days=first_day.weekday())  # start on a Monday
    days = (ctx.today - first_day).days  # up to yesterday
    for code, (monday, aht, outbound, level, seconds) in TEAMS.items():
        team = ctx.teams.get(code)
        if team is None:
            continue
        StaffingParameters.objects.update_or_create(
            team=team,
            defaults={"aht_seconds": aht, "outbound_minutes": Decimal(outbound), "target_level": level,
                      "target_seconds": seconds, "max_occupancy": Decimal("0.85"), "shrinkage": Decimal("0.25")},
        )
        CallVolume.objects.bulk_create(volume_rows(team, monday, first_day, days, rng), batch_size=5000)
    agents = [u for u in ctx.users.values() if u.team_id and u.role == "id"]
    absences = [(0, 3, 7, "vacation", "Herbsturlaub"), (2, 1, 2, "sick", ""), (4, 8, 12, "training",
                "Produktschulung Antriebstechnik"), (6, 0, 4, "vacation", "Brückentage")]
    for index, start, end, kind, note in absences:
        if index < len(agents):
            Absence.objects.create(user=agents[index], first_day=ctx.today + timedelta(days=start),
                                   last_day=ctx.today + timedelta(days=end), kind=kind, note=note)
