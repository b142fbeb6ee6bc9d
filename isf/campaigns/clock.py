"""Business-time helpers on top of isf.core.business_time, built from a team's calendar."""

from datetime import datetime, timedelta

from isf.core.business_time import BusinessCalendar, add_business_seconds


def calendar_for_team(team=None) -> BusinessCalendar:
    """The same SLA clock as service orders: the team's hours, its state's holidays, company closing days."""
    from isf.service.clock import team_calendar

    return team_calendar(team)


def business_day_seconds(cal: BusinessCalendar) -> float:
    """Length of one business day of the calendar (its first workday's windows)."""
    for weekday in range(7):
        windows = cal.weekly_hours.get(weekday)
        if windows:
            total = timedelta()
            for start, end in windows:
                end_td = (
                    timedelta(hours=24)
                    if end.hour == 0 and end.minute == 0
                    else timedelta(hours=end.hour, minutes=end.minute)
                )
                total += end_td - timedelta(hours=start.hour, minutes=start.minute)
            return total.total_seconds()
    raise ValueError("calendar has no workday")


def add_business_days(start: datetime, days: float, *, team=None, cal: BusinessCalendar | None = None) -> datetime:
    """The due time ``days`` business days after ``start`` on the team's SLA clock."""
    cal = cal or calendar_for_team(team)
    return add_business_seconds(cal, start, days * business_day_seconds(cal))
