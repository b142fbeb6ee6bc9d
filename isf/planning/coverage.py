"""Coverage of the contact plans: planned vs done contacts, and accounts without contact for too long.

Planned = planned tasks (source "plan") due in the period, not cancelled; done = those completed.
"Too long" = more days since the last documented contact than the matrix allows: 365 divided by the
contacts a year the account's matrix plans for its phase and potential class (calls and visits; a
call counts as a visit where the matrix says so). Without any contact, the clock starts at the
account's first planned contact.
"""

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from isf.core import language
from isf.core.language import in_language
from isf.customers.models import Account
from isf.lifecycle.choices import Phase
from isf.planning.choices import CONTACT_KINDS, PLAN_SOURCE, Side, TaskKind, TaskStatus
from isf.planning.models import CareActivity, CareMatrix, Task


def _period(today, days):
    tz = timezone.get_current_timezone()
    end = datetime.combine(today + timedelta(days=1), time(0, 0), tzinfo=tz)
    return end - timedelta(days=days + 1), end


def planned_vs_done(*, today=None, days: int = 90, group: str = "segment") -> list[dict]:
    """Rows of planned, done and open-overdue planned contacts per segment, team or field rep."""
    today = today or timezone.localdate()
    start, end = _period(today, days)
    english = language.english()
    fields = {
        "segment": ("account__segment__code", "account__segment__name_en" if english else "account__segment__name_de"),
        "team": ("team__code", "team__name"),
        "rep": ("assignee__username", "assignee__last_name"),
    }[group]
    qs = Task.objects.filter(source=PLAN_SOURCE, due_at__gte=start, due_at__lt=end).exclude(status=TaskStatus.CANCELLED)
    if group == "team":
        qs = qs.filter(side=Side.INSIDE)
    if group == "rep":
        qs = qs.filter(side=Side.FIELD)
    rows = (
        qs.values(*fields)
        .annotate(
            planned=Count("pk"),
            done=Count("pk", filter=Q(status=TaskStatus.DONE)),
            visits_planned=Count("pk", filter=Q(kind=TaskKind.VISIT)),
            visits_done=Count("pk", filter=Q(kind=TaskKind.VISIT, status=TaskStatus.DONE)),
        )
        .order_by(*fields)
    )
    result = []
    for row in rows:
        key, label = row[fields[0]], row[fields[1]]
        result.append({
            "key": key or "–", "label": label or "", "planned": row["planned"], "done": row["done"],
            "rate": row["done"] / row["planned"] if row["planned"] else 0.0,
            "open": row["planned"] - row["done"],
            "visits_planned": row["visits_planned"], "visits_done": row["visits_done"],
        })
    return result


@dataclass
class Overdue:
    account_id: int
    name: str
    segment: str
    phase: str
    last_contact: datetime | None
    days_since: int
    allowed_days: int

    segment_name_de: str = ""
    segment_name_en: str = ""

    @property
    def days_over(self) -> int:
        return self.days_since - self.allowed_days

    @property
    def segment_name(self) -> str:
        """The segment's name in the active language."""
        return in_language(self.segment_name_de, self.segment_name_en)

    @property
    def phase_label(self) -> str:
        return str(Phase(self.phase).label) if self.phase in Phase.values else self.phase


def allowed_days_table() -> dict[tuple[int, str, str], int]:
    """(segment id, phase, potential class) → longest allowed gap in days (absent: no regular contact)."""
    table: dict[tuple[int, str, str], int] = {}
    per_year: dict[tuple[int, str, str], int] = {}
    matrices = {m.pk: m for m in CareMatrix.objects.all()}
    for act in CareActivity.objects.filter(trigger_event="", side__in=[Side.INSIDE, Side.FIELD]).exclude(
        activity=TaskKind.MAILING
    ):
        matrix = matrices[act.matrix_id]
        classes = [c for c, _m in matrix.potential_classes] or [""]
        for phase in act.phase_list:
            for pclass in classes:
                key = (matrix.segment_id, phase, pclass)
                per_year[key] = per_year.get(key, 0) + act.per_year_for(pclass)
    for key, n in per_year.items():
        if n > 0:
            table[key] = max(1, round(365 / n))
    return table


def overdue_accounts(*, today=None, limit: int | None = None) -> tuple[int, list[Overdue], dict[str, int]]:
    """(count, the most overdue first (all, or the first `limit`), count per segment code) of accounts without
    contact for too long."""
    today = today or timezone.localdate()
    table = allowed_days_table()
    if not table:
        return 0, [], {}
    matrices = {m.segment_id: m for m in CareMatrix.objects.select_related("segment")}
    last_contact = dict(
        Task.objects.filter(status=TaskStatus.DONE, kind__in=CONTACT_KINDS)
        .values("account_id").annotate(at=Max("completed_at")).order_by().values_list("account_id", "at")
    )
    first_planned = dict(
        Task.objects.filter(source=PLAN_SOURCE).values("account_id").annotate(at=Min("due_at")).order_by()
        .values_list("account_id", "at")
    )
    now = timezone.now()
    found: list[Overdue] = []
    per_segment: dict[str, int] = {}
    rows = Account.objects.filter(segment_id__in=list(matrices)).values_list("pk", "name", "segment_id", "phase",
                                                                             "potential")
    for pk, name, seg, phase, potential in rows.iterator(chunk_size=5000):
        matrix = matrices[seg]
        allowed = table.get((seg, phase, matrix.class_for(potential) if matrix.potential_classes else ""))
        if allowed is None:
            continue
        last = last_contact.get(pk)
        since = last or first_planned.get(pk)
        if since is None or since > now:
            continue
        days = (now - since).days
        if days > allowed:
            found.append(Overdue(pk, name, matrix.segment.code, phase, last, days, allowed,
                                 matrix.segment.name_de, matrix.segment.name_en))
            per_segment[matrix.segment.code] = per_segment.get(matrix.segment.code, 0) + 1
    found.sort(key=lambda o: (-o.days_over, o.name, o.account_id))
    return len(found), found if limit is None else found[:limit], per_segment
