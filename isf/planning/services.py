"""Writes on the work queue. Each status change checks its source state and writes an event.

Claiming is a single conditional UPDATE (status=open and nobody assigned -> claimed by me):
whichever transaction updates the row first wins, the others update zero rows. That is
exact on PostgreSQL (row lock on update) and on SQLite (one writer at a time).
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from isf.core.rows import insert_dicts
from isf.planning.choices import (
    DONE_ELSEWHERE,
    OPEN_STATUSES,
    WORKFLOW_KINDS,
    Side,
    TaskAction,
    TaskKind,
    TaskOutcome,
    TaskStatus,
)
from isf.planning.models import Task, TaskEvent
from isf.planning.priority import priority_fill, task_priorities_refresh


class TaskError(Exception):
    """A task operation that the current state does not allow; the message says why (``field``: which input)."""

    def __init__(self, message, field: str = ""):
        super().__init__(message)
        self.field = field


def _event(task: Task, action: str, actor=None, note: str = "") -> None:
    TaskEvent.objects.create(task=task, action=action, actor=actor, note=note[:500])


@transaction.atomic
def task_create(
    *,
    kind: str,
    title: str,
    due_at: datetime,
    title_en: str = "",
    account=None,
    contact=None,
    team=None,
    assignee=None,
    side: str = Side.INSIDE,
    reason: str = "",
    reason_en: str = "",
    source: str = "",
    source_id: str = "",
    dedupe_key: str = "",
    url: str = "",
    actor=None,
) -> Task | None:
    """Create a task; with a dedupe_key, return None when an open task with that key exists."""
    if kind not in TaskKind.values:
        raise TaskError(f"unknown task kind {kind!r}")
    if dedupe_key and Task.objects.filter(dedupe_key=dedupe_key, status__in=OPEN_STATUSES).exists():
        return None
    task = Task(
        kind=kind,
        title=title[:200],
        title_en=str(title_en or "")[:200],
        due_at=due_at,
        account=account,
        contact=contact,
        team=team,
        assignee=assignee,
        side=side,
        reason=reason[:300],
        reason_en=(reason_en or reason)[:300],
        source=source,
        source_id=str(source_id),
        dedupe_key=dedupe_key,
        url=url,
    )
    spec = {"kind": kind, "due_at": due_at, "team_id": getattr(team, "pk", None),
            "account_id": getattr(account, "pk", None), "source": source, "source_id": str(source_id)}
    priority_fill([spec])
    task.priority, task.priority_reasons, task.priority_until = (
        spec["priority"], spec["priority_reasons"], spec["priority_until"])
    try:
        with transaction.atomic():
            task.save()
    except IntegrityError:
        if dedupe_key:
            return None
        raise
    _event(task, TaskAction.CREATED, actor)
    return task


def tasks_insert_bulk(tasks: list[dict], *, note: str = "") -> list[int | None]:
    """Insert many new tasks at once plus their "created" events; returns their pks in input order.

    Each task is a dict of Task fields by attname (``account_id``, ``team_id``, ...) and needs a
    ``dedupe_key``. Keys that already have an open task are skipped (their entry is None), as `task_create`
    does one by one. The write bypasses the ORM's per-value SQL (`isf.core.rows`): 30,000 alert tasks
    take about a second instead of ten. If another producer takes a key between the check and the
    insert, the batch falls back to `task_create` per task, which loses that race gracefully.
    """
    if not tasks:
        return []
    keys = [t.get("dedupe_key", "") for t in tasks]
    if not all(keys):
        raise TaskError("bulk-created tasks need a dedupe_key")
    if len(set(keys)) != len(keys):
        raise TaskError("duplicate dedupe_key in one bulk insert")
    unknown = {t["kind"] for t in tasks} - set(TaskKind.values)
    if unknown:
        raise TaskError(f"unknown task kind {sorted(unknown)[0]!r}")
    taken = _open_keys(keys)
    fresh = [{**t, "title": t["title"][:200], "title_en": str(t.get("title_en") or "")[:200],
              "reason": t.get("reason", "")[:300],
              "reason_en": (t.get("reason_en") or t.get("reason", ""))[:300]}
             for t in tasks if t["dedupe_key"] not in taken]
    priority_fill(fresh)
    try:
        with transaction.atomic():
            insert_dicts(Task, fresh)
    except IntegrityError:
        created = []
        for spec in fresh:
            t = Task(**spec)
            created.append(task_create(
                kind=t.kind, title=t.title, title_en=t.title_en, due_at=t.due_at, account=t.account, team=t.team, assignee=t.assignee,
                side=t.side, reason=t.reason, reason_en=t.reason_en, source=t.source, source_id=t.source_id,
                dedupe_key=t.dedupe_key,
            ))
        pks = {t.dedupe_key: t.pk for t in created if t is not None}
        return [pks.get(key) for key in keys]
    pks = _open_keys([t["dedupe_key"] for t in fresh])
    insert_dicts(TaskEvent, [{"task_id": pks[t["dedupe_key"]], "action": TaskAction.CREATED, "note": note[:500]}
                             for t in fresh])
    return [None if key in taken else pks[key] for key in keys]


def _open_keys(keys: list[str], chunk: int = 5000) -> dict[str, int]:
    """dedupe_key -> pk of the open task holding it, for those of ``keys`` that have one."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), chunk):
        found.update(
            Task.objects.filter(dedupe_key__in=keys[start : start + chunk], status__in=OPEN_STATUSES)
            .values_list("dedupe_key", "pk")
        )
    return found


def task_claim(*, task_id: int, user) -> Task:
    """Claim an open, unassigned task (or one assigned to me). Exactly one claimer wins. A key-account task is
    claimed only by an agent approved for key accounts (``isf.planning.routing``)."""
    from isf.planning import routing

    now = timezone.now()
    barred = routing.not_for(user)
    if barred and Task.objects.filter(barred, pk=task_id, assignee__isnull=True).exists():
        raise TaskError(_("Key-account work goes to agents approved for key accounts."))
    with transaction.atomic():
        updated = Task.objects.filter(pk=task_id, status=TaskStatus.OPEN, assignee__isnull=True).update(
            status=TaskStatus.CLAIMED, assignee=user, claimed_at=now
        )
        if not updated:
            updated = Task.objects.filter(pk=task_id, status=TaskStatus.OPEN, assignee=user).update(
                status=TaskStatus.CLAIMED, claimed_at=now
            )
        if not updated:
            task = Task.objects.filter(pk=task_id).first()
            if task is None:
                raise TaskError("task does not exist")
            if task.status == TaskStatus.CLAIMED:
                raise TaskError(f"already claimed by {task.assignee}")
            raise TaskError(f"task is {task.get_status_display()}")
        task = Task.objects.get(pk=task_id)
        _event(task, TaskAction.CLAIMED, user)
    return task


def task_claim_next(*, user) -> Task | None:
    """Claim the highest-ranked unclaimed task of the user's team (``selectors.RANKED``); None when there is none.

    Goes down the ranking until a claim succeeds, so two agents taking next at once get two different tasks.
    """
    from isf.planning import routing
    from isf.planning.selectors import RANKED

    if not user.team_id:
        return None
    candidates = Task.objects.filter(team_id=user.team_id, status=TaskStatus.OPEN, assignee__isnull=True)
    barred = routing.not_for(user)  # key accounts only to agents approved for them
    if barred:
        candidates = candidates.exclude(barred)
    for _round in range(10):  # others may win the first candidates; never loop for ever
        rows = list(candidates.order_by(*RANKED).values_list("pk", "account_id")[:routing.WINDOW])
        ids = routing.by_skill(user, rows)  # the work he has the skill for first
        if not ids:
            return None
        for pk in ids:
            try:
                return task_claim(task_id=pk, user=user)
            except TaskError:
                continue
    return None


@transaction.atomic
def kind_weights_set(*, team, weights: dict[str, int], user=None) -> int:
    """Store a team's weights per kind of work (0-100; a default weight is not stored) and re-rank its open
    tasks; returns how many tasks changed rank. Raises TaskError naming the kind for a bad value."""
    from isf.planning.models import KindWeight
    from isf.planning.models.weights import MAX_KIND_WEIGHT
    from isf.planning.priority import DEFAULT_KIND_WEIGHTS

    for kind, weight in weights.items():
        if kind not in TaskKind.values:
            raise TaskError(_("unknown kind of work %(kind)s") % {"kind": kind}, field=str(kind)[:40])
        if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= MAX_KIND_WEIGHT:
            raise TaskError(_("%(kind)s: the weight must be a whole number from 0 to 100")
                            % {"kind": TaskKind(kind).label}, field=kind)
    for kind, weight in weights.items():
        if weight == DEFAULT_KIND_WEIGHTS[kind]:
            KindWeight.objects.filter(team=team, kind=kind).delete()
        else:
            KindWeight.objects.update_or_create(team=team, kind=kind, defaults={"weight": weight})
    return task_priorities_refresh(team_ids=[team.pk])


@transaction.atomic
def task_release(*, task: Task, user) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status != TaskStatus.CLAIMED or task.assignee_id != user.pk:
        raise TaskError("only the user who claimed the task can release it")
    task.status = TaskStatus.OPEN
    task.assignee = None if task.team_id else user
    task.claimed_at = None
    task.save(update_fields=["status", "assignee", "claimed_at"])
    _event(task, TaskAction.RELEASED, user)
    return task


@transaction.atomic
def task_complete(*, task: Task, user, outcome: str = "", note: str = "", by_workflow: bool = False) -> Task:
    """Complete an open task. A task of a ``WORKFLOW_KINDS`` kind is completed only by its workflow
    (``by_workflow``, the service order or the approval), so the order's status and its task never part."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status not in OPEN_STATUSES:
        raise TaskError(f"task is already {task.get_status_display()}")
    if task.kind in WORKFLOW_KINDS and not by_workflow:
        raise TaskError(str(WORKFLOW_KINDS[task.kind]))
    if task.status == TaskStatus.CLAIMED and task.assignee_id not in (None, user.pk) and not user.is_lead:
        raise TaskError(f"task is claimed by {task.assignee}")
    task.status = TaskStatus.DONE
    task.assignee = task.assignee or user
    task.completed_at = timezone.now()
    task.outcome = outcome[:30]
    task.note = note
    task.save(update_fields=["status", "assignee", "completed_at", "outcome", "note"])
    _event(task, TaskAction.COMPLETED, user, outcome)
    return task


@transaction.atomic
def tasks_complete_done_elsewhere(*, task_ids, user, outcome: str, by: str, ref, note: str = "") -> list[int]:
    """Complete the open tasks ``task_ids`` because the work was done elsewhere: ``by`` a logged call or a visit
    report (``DONE_ELSEWHERE``), ``ref`` its id.

    Unlike ``task_complete`` a claim by someone else does not stop it: the customer was reached, whoever held the
    task. Each completed task gets its outcome, note and a "completed" event whose note names what did it.
    Tasks that are no longer open are skipped; returns the ids of those completed, in ascending order.
    """
    if outcome not in TaskOutcome.values:
        raise TaskError(f"unknown outcome {outcome!r}", field="outcome")
    if by not in DONE_ELSEWHERE:
        raise TaskError(f"unknown source {by!r}", field="by")
    now = timezone.now()
    done = []
    for task in Task.objects.select_for_update().filter(pk__in=list(task_ids), status__in=OPEN_STATUSES).order_by("pk"):
        task.status = TaskStatus.DONE
        task.assignee = task.assignee or user
        task.completed_at = now
        task.outcome = outcome
        task.note = note
        task.save(update_fields=["status", "assignee", "completed_at", "outcome", "note"])
        _event(task, TaskAction.COMPLETED, user, f"{by} {ref}")
        done.append(task.pk)
    return done


@transaction.atomic
def task_reschedule(*, task: Task, user, due_at: datetime, reason: str) -> Task:
    if not reason.strip():
        raise TaskError(_("A reason is required to reschedule."), field="reason")
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status not in OPEN_STATUSES:
        raise TaskError(f"task is already {task.get_status_display()}")
    if due_at < timezone.now():
        raise TaskError(_("The new due date must not be in the past."), field="due_at")
    old = task.due_at
    task.due_at = due_at
    task.save(update_fields=["due_at"])
    task_priorities_refresh(task_ids=[task.pk])
    # both in the local time zone: the stored value comes back in UTC, the form's in local time
    old_local, new_local = timezone.localtime(old), timezone.localtime(due_at)
    _event(task, TaskAction.RESCHEDULED, user, f"{old_local:%Y-%m-%d %H:%M} → {new_local:%Y-%m-%d %H:%M}: {reason}")
    return task


@transaction.atomic
def task_cancel(*, task: Task, reason: str, user=None) -> Task:
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status not in OPEN_STATUSES:
        return task
    task.status = TaskStatus.CANCELLED
    task.cancel_reason = reason[:300]
    task.save(update_fields=["status", "cancel_reason"])
    _event(task, TaskAction.CANCELLED, user, reason)
    return task


def tasks_close_by_key(*, dedupe_key: str, outcome: str, note: str = "") -> int:
    """Close the open task of a producer key automatically (e.g. the account ordered again)."""
    ids = list(Task.objects.filter(dedupe_key=dedupe_key, status__in=OPEN_STATUSES).values_list("pk", flat=True))
    return len(tasks_complete_bulk(task_ids=ids, outcome=outcome, note=note))


# --------------------------------------------------------------------------------------------------------------
# Bulk transitions and the workflows' own changes: the same event and history rows a single change writes
# --------------------------------------------------------------------------------------------------------------
_HISTORY_OWN = ("history_id", "history_date", "history_change_reason", "history_type", "history_user_id")


def _history_copy(task_ids: list[int], *, user_id=None, at=None, chunk: int = 2000) -> int:
    """A history row ("changed") for each task as it is now, as django-simple-history writes on ``save()``."""
    model = Task.history.model
    fields = [f.attname for f in model._meta.concrete_fields if f.attname not in _HISTORY_OWN]
    at = at or timezone.now()
    written = 0
    for start in range(0, len(task_ids), chunk):
        rows = Task.objects.filter(pk__in=task_ids[start:start + chunk]).values(*fields)
        written += insert_dicts(model, [{**row, "history_date": at, "history_type": "~", "history_user_id": user_id}
                                        for row in rows])
    return written


@transaction.atomic
def tasks_complete_bulk(*, task_ids, outcome: str, note: str | None = "", event_note: str | None = None, actor_id=None,
                        assignee_id=None, completed_at: datetime | None = None, chunk: int = 5000) -> list[int]:
    """Complete the open tasks among ``task_ids`` at once (producers closing their own tasks, e.g. "ordered again";
    the demo's worked days): one conditional UPDATE per chunk, then a "completed" event (``event_note``, else
    the note or the outcome) and a history row per task, as ``task_complete`` writes them one by one.
    ``assignee_id`` sets who did the work (else it stays as it is). Returns the ids completed, ascending."""
    at = completed_at or timezone.now()
    values = {"status": TaskStatus.DONE, "completed_at": at, "outcome": outcome[:30]}
    if note is not None:  # None: the tasks keep their notes
        values["note"] = note
    if assignee_id is not None:
        values["assignee_id"] = assignee_id
    ids = sorted(set(task_ids))
    done: list[int] = []
    for start in range(0, len(ids), chunk):
        part = list(Task.objects.filter(pk__in=ids[start:start + chunk], status__in=OPEN_STATUSES)
                    .values_list("pk", flat=True))
        if not part:
            continue
        Task.objects.filter(pk__in=part, status__in=OPEN_STATUSES).update(**values)
        done += part
    text = ((note or outcome) if event_note is None else event_note)[:500]
    insert_dicts(TaskEvent, [{"task_id": pk, "action": TaskAction.COMPLETED, "actor_id": actor_id, "note": text}
                             for pk in done])
    _history_copy(done, user_id=actor_id, at=at)
    return sorted(done)


@transaction.atomic
def task_assign_by_workflow(*, task: Task, assignee, claimed_at: datetime, actor=None) -> Task:
    """The workflow behind the task (a service order) gave it to ``assignee``: its claim wins over a claim in the
    queue. An "assigned" event names the new holder."""
    task = Task.objects.select_for_update().get(pk=task.pk)
    if task.status not in OPEN_STATUSES:
        raise TaskError(f"task is already {task.get_status_display()}")
    task.status, task.assignee, task.claimed_at = TaskStatus.CLAIMED, assignee, claimed_at
    task._history_user = actor
    task.save(update_fields=["status", "assignee", "claimed_at"])
    _event(task, TaskAction.ASSIGNED, actor, str(assignee))
    return task


def task_due_by_workflow(*, task: Task, due_at: datetime) -> Task:
    """The workflow's clock moved the due time (a service order paused and resumed): no reason asked, as the
    order's own events say why."""
    task.due_at = due_at
    task.save(update_fields=["due_at"])
    task_priorities_refresh(task_ids=[task.pk])
    return task


def task_texts_erase(*, task: Task, values: dict) -> int:
    """Replace a task's texts (title, reason, note) in the task and in all its history rows (GDPR erasure);
    returns 1 when the task was changed."""
    allowed = {"title", "title_en", "reason", "reason_en", "note"}
    if set(values) - allowed:
        raise TaskError(f"not a text of a task: {sorted(set(values) - allowed)[0]}")
    changed = Task.objects.filter(pk=task.pk).update(**values)
    Task.history.filter(id=task.pk).update(**values)
    return changed


def tasks_notes_erase(*, contact_id: int) -> int:
    """Empty the notes of a contact's tasks (the contact is erased; the tasks stay as work records)."""
    return Task.objects.filter(contact_id=contact_id).update(note="")
