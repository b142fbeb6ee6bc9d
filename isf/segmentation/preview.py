"""What saving a segment's rules would do, before it is saved: who moves from which segment to which.

The preview runs the very save and assignment that "save" runs (`segment_save`, then `segments_assign_all`:
expired overrides, the rules in one query) inside a transaction that is rolled back, and reads the segment
changes it recorded. So the preview is the save's result by construction, not a second implementation of
the rules. Per from→to cell: accounts, their revenue of the last 12 months and potential, and the care
workload they bring: the inside contacts a year the care matrix of the old and of the new segment plans for
them, and its hours a week, by the one definition of the matrix price (isf.capacity.matrix_price).
"""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from isf.customers.models import Account
from isf.customers.selectors import twelve_months_ago
from isf.segmentation import engine
from isf.segmentation.behaviour import account_behaviour
from isf.segmentation.models import Segment, SegmentChange
from isf.segmentation.services import _moment, segment_save, segments_assign_all

ZERO = Decimal("0.00")


@dataclass
class Workload:
    contacts: float = 0.0  # inside contacts a year the matrix plans
    hours: float = 0.0  # inside hours a week

    def __add__(self, other: "Workload") -> "Workload":
        return Workload(self.contacts + other.contacts, self.hours + other.hours)

    def __sub__(self, other: "Workload") -> "Workload":
        return Workload(self.contacts - other.contacts, self.hours - other.hours)

    @property
    def sign(self) -> str:
        """"+" before a growing workload (a falling one carries its minus)."""
        return "+" if round(self.contacts) > 0 or round(self.hours, 1) > 0 else ""


@dataclass
class Cell:
    """The accounts that would move from one segment to another."""

    source: str  # segment label ("KA Key accounts"; "No segment")
    target: str
    source_key: int | None
    target_key: int | None
    accounts: int = 0
    revenue_12m: Decimal = ZERO
    potential: Decimal = ZERO
    before: Workload = field(default_factory=Workload)  # in the old segment
    after: Workload = field(default_factory=Workload)  # in the new one

    @property
    def change(self) -> Workload:
        return self.after - self.before


@dataclass
class RulePreview:
    cells: list[Cell]  # most accounts first
    labels: dict  # segment id (None: no segment) -> label, in precedence order
    pending_before: int  # accounts the current rules would move anyway (their figures changed since the last run)
    today: date

    @property
    def accounts(self) -> int:
        return sum(c.accounts for c in self.cells)

    @property
    def revenue_12m(self) -> Decimal:
        return sum((c.revenue_12m for c in self.cells), ZERO)

    @property
    def potential(self) -> Decimal:
        return sum((c.potential for c in self.cells), ZERO)

    @property
    def change(self) -> Workload:
        return sum((c.change for c in self.cells), Workload())

    def matrix(self) -> dict:
        """{"columns": target labels, "rows": [(source label, [(target label, accounts or None)])]} over the
        segments that lose or gain accounts."""
        sources = [k for k in self.labels if any(k == c.source_key for c in self.cells)]
        targets = [k for k in self.labels if any(k == c.target_key for c in self.cells)]
        counts = {(c.source_key, c.target_key): c.accounts for c in self.cells}
        rows = [(self.labels[src], [(self.labels[dst], counts.get((src, dst))) for dst in targets]) for src in sources]
        return {"columns": [self.labels[k] for k in targets], "rows": rows}


class _Rollback(Exception):
    pass


def _labels() -> dict:
    labels = {s.pk: f"{s.code} {s.name}" for s in Segment.objects.order_by("precedence", "code")}
    labels[None] = _("No segment")
    return labels


def _workload(segment_id, profile: Counter, events: Counter, *, today: date) -> Workload:
    """What the care matrix of the segment plans for accounts of this profile (inside contacts and hours)."""
    from isf.capacity.matrix_price import entries_price
    from isf.capacity.services import staffing_parameters_for
    from isf.planning.models import CareMatrix

    matrix = CareMatrix.objects.filter(segment_id=segment_id).select_related("segment__team").first()
    if segment_id is None or matrix is None:
        return Workload()
    entries = entries_price(matrix.segment, list(matrix.activities.all()), matrix.potential_classes, today=today,
                            params=staffing_parameters_for(matrix.segment.team), profile=profile, events=events)
    return Workload(sum(e.contacts_per_year for e in entries), sum(e.hours_per_week for e in entries))


def _cells(changes: list[tuple[int, int | None, int | None, Decimal | None]], labels: dict, *, today: date
           ) -> list[Cell]:
    """changes: (account id, from segment id, to segment id, revenue 12 months as recorded or None)."""
    from isf.capacity.matrix_price import PROFILE_FIELDS, account_events_last_year, profile_key

    moved = {acc: (src, dst) for acc, src, dst, _rev in changes}
    missing = [acc for acc, _src, _dst, rev in changes if rev is None]
    revenue = {acc: rev for acc, _src, _dst, rev in changes if rev is not None}
    revenue |= {pk: b.revenue_12m for pk, b in account_behaviour(account_ids=missing, today=today).items()}
    cells: dict[tuple, Cell] = {}
    profiles: dict[tuple, Counter] = defaultdict(Counter)
    members: dict[tuple, set] = defaultdict(set)
    for pk, *values in Account.objects.order_by().values_list("pk", *PROFILE_FIELDS).iterator(chunk_size=5000):
        key = moved.get(pk)
        if key is None:
            continue
        cell = cells.get(key)
        if cell is None:
            cell = cells[key] = Cell(labels.get(key[0], "–"), labels.get(key[1], "–"), key[0], key[1])
        cell.accounts += 1
        cell.revenue_12m += revenue.get(pk, ZERO)
        cell.potential += values[1] or ZERO
        profiles[key][profile_key(*values)] += 1
        members[key].add(pk)
    events = account_events_last_year(today, set(moved))
    for key, cell in cells.items():
        cell_events = sum((events[pk] for pk in members[key] if pk in events), Counter())
        cell.before = _workload(key[0], profiles[key], cell_events, today=today)
        cell.after = _workload(key[1], profiles[key], cell_events, today=today)
    return sorted(cells.values(), key=lambda c: (-c.accounts, c.source, c.target))


def rule_change_preview(*, segment: Segment | None, data: dict, rules: list[dict], actor=None,
                        today: date | None = None) -> RulePreview:
    """What `segment_save(segment, data, rules)` followed by the assignment run would change. Nothing is kept.

    Raises SegmentError as the save would (negative bound, unknown field, conflicting rules)."""
    today, _at = _moment(today)
    result: RulePreview | None = None
    try:
        with transaction.atomic():
            pending = len(engine.pending_moves(since=twelve_months_ago(today), until=today))
            last = SegmentChange.objects.aggregate(m=Max("pk"))["m"] or 0
            segment_save(segment=segment, data=data, rules=rules, actor=actor)
            segments_assign_all(today=today, actor=actor)
            changes = list(SegmentChange.objects.filter(pk__gt=last).order_by("pk").values_list(
                "account_id", "from_segment_id", "to_segment_id", "revenue_12m"))
            labels = _labels()
            result = RulePreview(_cells(changes, labels, today=today), labels, pending, today)
            raise _Rollback
    except _Rollback:
        pass
    assert result is not None
    return result
