"""The price of a care matrix: the hours of inside work it generates per week, beside the hours the team has.

Work of a matrix = for each inside entry, the contacts a year it plans (accounts of the segment in the entry's
phases that may be contacted on its channel x frequency, by potential class; a triggered entry: its events in
the last 365 days) x the process time of the activity (:func:`isf.capacity.processtimes.activity_minutes`),
divided by 52. Hours the team has for planned work = the average week of its next 20 business days' free
minutes (:class:`isf.capacity.schedule.DayLoad`: staff, working hours, absences, shrinkage, minus the
forecast inbound calls and the expected service orders). FTE = hours a week / the productive hours of one
FTE a week (paid hours per day x 5 x (1 - shrinkage)). The same for an edited, unsaved matrix (what-if).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.utils import timezone

from isf.capacity.processtimes import activity_minutes
from isf.capacity.schedule import business_days, team_days
from isf.capacity.services import staffing_parameters_for

WEEKS_PER_YEAR = 52
HORIZON_BUSINESS_DAYS = 20


@dataclass
class EntryPrice:
    title: str
    kind: str
    contacts_per_year: float
    minutes_each: float

    @property
    def hours_per_week(self) -> float:
        return self.contacts_per_year * self.minutes_each / 60 / WEEKS_PER_YEAR


@dataclass
class MatrixPrice:
    """What the matrix of one segment costs its inside team, and what the team has."""

    segment: object
    team: object
    entries: list[EntryPrice] = field(default_factory=list)
    other_segments_hours: float = 0.0  # the current matrices of the team's other segments
    team_free_hours: float = 0.0  # per week, for planned work
    fte_hours: float = 0.0  # productive hours of one FTE a week

    @property
    def hours_per_week(self) -> float:
        return sum(e.hours_per_week for e in self.entries)

    @property
    def team_hours_per_week(self) -> float:
        return self.hours_per_week + self.other_segments_hours

    @property
    def fte(self) -> float | None:
        return self.hours_per_week / self.fte_hours if self.fte_hours else None

    @property
    def team_fte(self) -> float | None:
        return self.team_hours_per_week / self.fte_hours if self.fte_hours else None

    @property
    def free_fte(self) -> float | None:
        return self.team_free_hours / self.fte_hours if self.fte_hours else None

    @property
    def gap_hours(self) -> float:
        """Hours a week the team's matrices need beyond what it has (negative: room left)."""
        return self.team_hours_per_week - self.team_free_hours

    @property
    def room_hours(self) -> float:
        return max(0.0, -self.gap_hours)


PROFILE_FIELDS = ("phase", "potential", "customer_type", "phone_consent", "email_opt_in", "opt_out_date")


def profile_key(phase, potential, customer_type, phone_consent, email_opt_in, opt_out_date) -> tuple:
    """An account's key in a profile: what decides which entries plan how many contacts for it."""
    return (phase, potential, customer_type, phone_consent, email_opt_in, opt_out_date is not None)


def _account_profile(segment) -> Counter:
    """(phase, potential, customer type, phone consent, e-mail opt-in, objected) -> accounts of the segment."""
    from isf.customers.models import Account

    rows = Account.objects.filter(segment=segment).values_list(*PROFILE_FIELDS)
    return Counter(profile_key(*row) for row in rows.iterator(chunk_size=5000))


def account_events_last_year(today: date, accounts: set[int] | None = None) -> dict[int, Counter]:
    """Account id -> trigger event -> its events in the last 365 days (what a triggered entry plans)."""
    from isf.planning.plan import _events

    since = today - timedelta(days=365)
    result: dict[int, Counter] = {}
    for event, per_account in _events(today, today).items():
        for acc, items in per_account.items():
            if accounts is not None and acc not in accounts:
                continue
            n = sum(1 for day, _key, _n in items if since <= day < today)
            if n:
                result.setdefault(acc, Counter())[event] += n
    return result


def _events_last_year(segment, today: date) -> Counter:
    """Trigger event -> events of the segment's accounts in the last 365 days."""
    from isf.customers.models import Account

    accounts = set(Account.objects.filter(segment=segment).values_list("pk", flat=True))
    return sum(account_events_last_year(today, accounts).values(), Counter())


def entries_price(segment, activities, potential_classes, *, today: date, params, profile: Counter | None = None,
                  events: Counter | None = None) -> list[EntryPrice]:
    """Price of each inside entry of ``activities`` (saved or unsaved CareActivity objects).

    For the segment's accounts, or for other accounts given by their ``profile`` (:func:`profile_key` -> accounts)
    and ``events`` (trigger event -> events in the last 365 days): what they would cost in this segment."""
    from isf.planning.choices import Side
    from isf.planning.models import CareMatrix
    from isf.planning.plan import _may_contact

    inside = [a for a in activities if a.side == Side.INSIDE]
    if not inside:
        return []
    profile = _account_profile(segment) if profile is None else profile
    classifier = CareMatrix(segment=segment, potential_classes=potential_classes)
    if events is None:
        events = _events_last_year(segment, today) if any(a.trigger_event for a in inside) else Counter()
    result = []
    for act in inside:
        phases = set(act.phase_list)
        if act.trigger_event:
            per_year = float(events.get(act.trigger_event, 0))
        else:
            per_year = 0.0
            for (phase, potential, ctype, phone, mail, objected), n in profile.items():
                if phase not in phases or not _may_contact(act.channel, ctype, phone, mail, True if objected else None):
                    continue
                per_year += n * act.per_year_for(classifier.class_for(potential) if potential_classes else "")
        result.append(EntryPrice(title=act.title, kind=act.activity, contacts_per_year=per_year,
                                 minutes_each=activity_minutes(params, act.activity)))
    return result


def team_free_hours_per_week(team, *, today: date) -> float:
    """Average hours a week the team has for planned work over its next 20 business days."""
    days = business_days(team, today, count=HORIZON_BUSINESS_DAYS)
    if not days:
        return 0.0
    loads = team_days(team, days, today=today)
    return sum(load.free_minutes for load in loads.values()) / 60 / (len(days) / 5)


def matrix_price(segment, *, activities=None, potential_classes=None, today: date | None = None) -> MatrixPrice | None:
    """The price of the segment's matrix (or of ``activities``/``potential_classes``, an edited one) for its team.

    None when the segment has no inside team.
    """
    from isf.planning.models import CareActivity, CareMatrix

    team = segment.team
    if team is None:
        return None
    today = today or timezone.localdate()
    params = staffing_parameters_for(team)
    matrix = CareMatrix.objects.filter(segment=segment).first()
    if activities is None:
        activities = list(CareActivity.objects.filter(matrix=matrix)) if matrix else []
    if potential_classes is None:
        potential_classes = matrix.potential_classes if matrix else []
    price = MatrixPrice(segment=segment, team=team,
                        entries=entries_price(segment, activities, potential_classes, today=today, params=params))
    for other in CareMatrix.objects.filter(segment__team=team).exclude(segment=segment).select_related("segment"):
        price.other_segments_hours += sum(
            e.hours_per_week for e in entries_price(other.segment, list(other.activities.all()),
                                                    other.potential_classes, today=today, params=params))
    price.team_free_hours = team_free_hours_per_week(team, today=today)
    price.fte_hours = float(params.productive_hours_per_day) * 5 * (1 - float(params.shrinkage))
    return price
