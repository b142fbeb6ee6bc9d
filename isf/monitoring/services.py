"""The monitoring run: read the base, score it, store the model's view, turn new flags into work.

`monitor_run` is idempotent. A flag is *new* when its account has no open flag of that code (and none was
resolved in the last COOLDOWN_DAYS, so one order does not close and reopen the same concern the same night).
Every new flag gets exactly one open task for the responsible inside team (account team, else the segment's
team) with the reason in German and English, and for key accounts (segment KA) a notice task for the owning
field rep; the account's lifecycle phase turns "at risk". When an account orders again, its open flags are
resolved and their open tasks closed with the outcome "ordered_again". A second run on unchanged data writes
no flag, task or phase change. All writes of a run happen in one transaction, in bulk.
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from datetime import time as dtime

import numpy as np
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from isf.core.bulk import bulk_insert_columns
from isf.core.locks import job_lock
from isf.core.rows import insert_dicts
from isf.customers.models import Account
from isf.lifecycle.choices import Phase, PhaseSource
from isf.lifecycle.models import LifecycleRules
from isf.lifecycle.services import lifecycle_set_phase, lifecycle_set_phase_bulk
from isf.monitoring import scoring
from isf.monitoring.calibration import calibration_kinds
from isf.monitoring.choices import OUTCOME_ORDERED_AGAIN, SOURCE, FlagCode, FlagStatus, Resolution
from isf.monitoring.models import AccountScore, Flag, MonitorRun, alert_key, owner_key
from isf.monitoring.reading import group_names, read_order_lines_with_mode
from isf.planning.choices import OPEN_STATUSES, Side, TaskKind
from isf.planning.models import Task
from isf.planning.priority import KEY_ACCOUNT_SEGMENT
from isf.planning.services import tasks_complete_bulk, tasks_insert_bulk

LOCK_NAME = "monitoring"
CHUNK = 5000
COOLDOWN_DAYS = 28
URGENT_SCORE = 0.8
DEFAULT_LOST_DAYS = 365
AT_RISK_FROM = (Phase.NEW, Phase.ACTIVE, Phase.WON_BACK)
# Up to this many accounts a night go through the lifecycle service one by one (with its checks and
# history); beyond it (e.g. the first run on a large base) the phase change is written in bulk.
PHASE_SERVICE_LIMIT = 300
# New alerts are raised only as far as the team's free capacity in the next ALERT_HORIZON_DAYS takes them, the
# highest expected loss first; key accounts are always raised. What is left is raised on a later night, when
# its signal still holds and there is room.
ALERT_HORIZON_DAYS = 10

Progress = Callable[[str], None]


def _chunks(seq, size: int = CHUNK):
    for start in range(0, len(seq), size):
        yield seq[start : start + size]


def _business_day(start: date, n: int) -> date:
    day = start
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


@functools.lru_cache(maxsize=64)
def _due_at(today: date, urgent: bool, zone) -> datetime:
    day = _business_day(today, 1 if urgent else 3)
    return datetime.combine(day, dtime(9, 0), tzinfo=zone)


def _due(today: date, urgent: bool) -> datetime:
    return _due_at(today, urgent, timezone.get_current_timezone())


def _fit(tasks: list[dict], *, today: date, defer: bool, memo: dict | None = None) -> tuple[list[dict], list[dict]]:
    """Spread the alert calls over the days the team has room for; with ``defer`` what finds no room in the next
    ALERT_HORIZON_DAYS is left out (placed, deferred). ``memo`` keeps the teams' free minutes between the probe
    and the real fit of one run."""
    from isf.capacity.schedule import fit

    result = fit(tasks, today=today, end=today + timedelta(days=ALERT_HORIZON_DAYS), defer=defer, memo=memo)
    return result.placed, result.deferred


def lost_days() -> int:
    """The lifecycle's "lost" limit (days without order); accounts beyond it are left to win-back."""
    rules = LifecycleRules.objects.order_by("pk").first()
    return int(rules.lost_days) if rules else DEFAULT_LOST_DAYS


# --------------------------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------------------------
def monitor_run(*, today: date | None = None, progress: Progress = lambda msg: None) -> dict:
    """Score the whole base as of ``today`` and write scores, flags, tasks and phases. Returns counts and timings.

    Raises ``isf.core.locks.LockBusy`` when another monitoring run is active.
    """
    today = today or timezone.localdate()
    started_at = timezone.now()
    t0 = time.perf_counter()
    timings: dict[str, float] = {}
    with job_lock(LOCK_NAME, timeout_seconds=settings.ISF_NIGHTLY_LOCK_TIMEOUT):
        data, read_mode = read_order_lines_with_mode()
        keep = data.day <= scoring.day_number(today)
        timings["read"] = round(time.perf_counter() - t0, 2)
        progress(f"read {len(data):,} order lines in {timings['read']} s ({read_mode})")

        t1 = time.perf_counter()
        scores = scoring.score_base(data.account[keep], data.day[keep], data.revenue[keep], data.group[keep], today)
        eligible = scores.recency_days <= lost_days()
        profile = scoring.group_profile(data.account[keep], data.day[keep], data.revenue[keep], data.group[keep],
                                        today)
        kinds = calibration_kinds()
        candidates = scoring.flag_candidates(scores, eligible=eligible, group_weights=profile.weights(),
                                             kinds=kinds)
        timings["score"] = round(time.perf_counter() - t1, 2)
        progress(f"scored {len(scores):,} accounts ({scores.method}, horizon {scores.horizon_days} days) "
                 f"in {timings['score']} s; {len(candidates):,} flags above threshold")
        del data

        t2 = time.perf_counter()
        with transaction.atomic():
            written = write_scores(scores)
            resolved = resolve_flags(scores, today=today)
            raised = raise_flags(scores, candidates, today=today)
            phases = mark_at_risk(raised.pop("at_risk_accounts"), today=today)
            result = {
                "date": today.isoformat(),
                "order_lines": int(keep.sum()),
                "read": read_mode,
                "accounts": len(scores),
                "scores_written": written,
                "method": scores.method,
                "horizon_days": scores.horizon_days,
                "params": scores.model_params,
                "loglik": scores.model_loglik,
                "flags_above_threshold": len(candidates),
                "kinds_raised": sorted(kinds),
                **resolved,
                **raised,
                **phases,
                "open_flags": Flag.objects.filter(status=FlagStatus.OPEN).count(),
            }
            timings["write"] = round(time.perf_counter() - t2, 2)
            timings["total"] = round(time.perf_counter() - t0, 2)
            result["seconds"] = timings
            MonitorRun.objects.create(
                as_of=today, started_at=started_at, seconds=timings["total"], order_lines=result["order_lines"],
                accounts=len(scores), flags_raised=result["flags_raised"], flags_resolved=result["flags_resolved"],
                tasks_created=result["tasks_created"] + result["owner_notices"], tasks_closed=result["tasks_closed"],
                result=result,
            )
        progress(f"{result['flags_raised']:,} new flags, {result['tasks_created']:,} tasks, "
                 f"{result['owner_notices']:,} key-account notices, {result['flags_resolved']:,} flags resolved, "
                 f"{result['phase_changes']:,} accounts now at risk ({timings['write']} s)")
    return result


# --------------------------------------------------------------------------------------------------------------
# Scores
# --------------------------------------------------------------------------------------------------------------
def _iso(days: np.ndarray) -> np.ndarray:
    out = np.where(days >= 0, days, 0).astype("datetime64[D]").astype(str).astype(object)
    out[days < 0] = None
    return out


def _nullable(values: np.ndarray, digits: int = 6) -> list:
    return [round(v, digits) if math.isfinite(v) else None for v in np.asarray(values, dtype=float).tolist()]


def write_scores(scores: scoring.BaseScores) -> int:
    """Replace the stored model output of every account (one bulk write)."""
    AccountScore.objects.all().delete()
    n = len(scores)
    if n == 0:
        return 0
    columns = ["account_id", "as_of", "n_orders", "first_order", "last_order", "mean_interval_days", "p_alive",
               "expected_orders_90d", "next_order_from", "next_order_to", "revenue_last_12m", "revenue_prev_12m",
               "trend", "risk_score", "overdue", "few_expected", "revenue_drop", "group_dropped"]
    sig = scores.signals
    cols = [
        scores.accounts.tolist(),
        [scores.as_of.isoformat()] * n,
        scores.n_orders.tolist(),
        _iso(scores.first_day).tolist(),
        _iso(scores.last_day).tolist(),
        _nullable(scores.mean_interval, 2),
        _nullable(scores.p_alive),
        _nullable(scores.expected_90d),
        _iso(scores.next_from).tolist(),
        _iso(scores.next_to).tolist(),
        np.round(scores.revenue_last_12m, 2).tolist(),
        np.round(scores.revenue_prev_12m, 2).tolist(),
        scores.trend.tolist(),
        np.round(scores.risk, 6).tolist(),
        *(np.round(sig[k], 4).tolist() for k in ("overdue", "few_expected", "revenue_drop", "group_dropped")),
    ]
    return bulk_insert_columns(AccountScore._meta.db_table, columns, cols)


# --------------------------------------------------------------------------------------------------------------
# Flags and tasks
# --------------------------------------------------------------------------------------------------------------
def _close_tasks(keys: list[str], note: str) -> int:
    """Close the open tasks with these dedupe keys as done, outcome "ordered_again" (bulk tasks_close_by_key)."""
    now = timezone.now()
    closed = 0
    for chunk in _chunks(keys):
        pks = list(Task.objects.filter(dedupe_key__in=chunk, status__in=OPEN_STATUSES).values_list("pk", flat=True))
        closed += len(tasks_complete_bulk(task_ids=pks, outcome=OUTCOME_ORDERED_AGAIN, note=note, completed_at=now))
    return closed


def _open_task_pks(keys: list[str]) -> dict[str, int]:
    """dedupe_key -> pk of the open task holding it."""
    found: dict[str, int] = {}
    for chunk in _chunks(keys):
        found.update(Task.objects.filter(dedupe_key__in=chunk, status__in=OPEN_STATUSES).values_list("dedupe_key", "pk"))
    return found


def resolve_flags(scores: scoring.BaseScores, *, today: date) -> dict:
    """Resolve the open flags of accounts that ordered after the flag was raised; close their tasks."""
    rows = list(Flag.objects.filter(status=FlagStatus.OPEN).values_list("pk", "account_id", "code", "last_order"))
    if not rows:
        return {"flags_resolved": 0, "tasks_closed": 0}
    acc = np.array([r[1] for r in rows], dtype=np.int64)
    raised_last = np.array([scoring.day_number(r[3]) if r[3] else -1 for r in rows], dtype=np.int64)
    idx = scores.index_of(acc)
    current_last = np.where(idx >= 0, scores.last_day[np.maximum(idx, 0)], -1)
    done = np.flatnonzero((idx >= 0) & (current_last > raised_last))
    pks = [rows[i][0] for i in done.tolist()]
    for chunk in _chunks(pks):
        Flag.objects.filter(pk__in=chunk, status=FlagStatus.OPEN).update(
            status=FlagStatus.RESOLVED, resolved_on=today, resolution=Resolution.ORDERED_AGAIN
        )
    keys = []
    for i in done.tolist():
        keys += [alert_key(rows[i][1], rows[i][2]), owner_key(rows[i][1], rows[i][2])]
    with translation.override("de"):
        note = _("The account ordered again; closed by order-behaviour monitoring.")
    return {"flags_resolved": len(pks), "tasks_closed": _close_tasks(keys, note)}


def _account_facts(account_ids: list[int]) -> dict[int, tuple]:
    """pk -> (team id or the segment's team id, segment id, segment code, owner id, phase)."""
    from isf.segmentation.models import Segment

    segments = {pk: (code, team) for pk, code, team in Segment.objects.values_list("pk", "code", "team_id")}
    facts = {}
    for chunk in _chunks(account_ids):
        for pk, team, seg, owner, phase in Account.objects.filter(pk__in=chunk).values_list(
            "pk", "team_id", "segment_id", "owner_id", "phase"
        ).order_by():
            code, seg_team = segments.get(seg, ("", None))
            facts[pk] = (team or seg_team, seg, code, owner, phase)
    return facts


def raise_flags(scores: scoring.BaseScores, candidates: list[scoring.FlagCandidate], *, today: date) -> dict:
    """Store the new flags and give each one task (plus a notice to the owner of a key account)."""
    open_pairs = set(Flag.objects.filter(status=FlagStatus.OPEN).values_list("account_id", "code"))
    cooling = set(
        Flag.objects.filter(status=FlagStatus.RESOLVED, resolved_on__gte=today - timedelta(days=COOLDOWN_DAYS))
        .values_list("account_id", "code")
    )
    new = []
    for c in sorted(candidates, key=lambda c: -c.expected_loss):
        pair = (int(scores.accounts[c.index]), c.code)
        if pair not in open_pairs and pair not in cooling:
            new.append(c)
            open_pairs.add(pair)
    result = {"flags_raised": 0, "tasks_created": 0, "owner_notices": 0, "tasks_linked": 0,
              "deferred_for_capacity": 0, "raised_by_code": {code: 0 for code in FlagCode.values},
              "at_risk_accounts": {}}
    if not new:
        return result
    facts = _account_facts(sorted({int(scores.accounts[c.index]) for c in new}))
    memo: dict = {}  # the teams' free minutes, shared by the probe and the real fit (nothing is written between)
    new, result["deferred_for_capacity"] = _within_capacity(new, scores, facts, today=today, memo=memo)
    result["flags_raised"] = len(new)
    names = group_names()
    labels, labels_en = {}, {}
    with translation.override("de"):
        for code in FlagCode:
            labels[code.value] = (str(code.label), _("Order alert"), _("Key account alert"))
    with translation.override("en"):
        for code in FlagCode:
            labels_en[code.value] = (str(code.label), _("Order alert"), _("Key account alert"))
    flags, team_tasks, owner_tasks = [], [], []
    for c in new:
        acc = int(scores.accounts[c.index])
        team, seg, seg_code, owner, phase = facts.get(acc, (None, None, "", None, ""))
        reason_de, reason_en = scoring.reason_texts(c, names)
        params = dict(c.params)
        if "group" in params:
            params["group_name"] = names.get(params["group"], ("", ""))[0]
        flag = {"account_id": acc, "code": c.code, "score": round(c.score, 4),
                "risk_score": round(float(scores.risk[c.index]), 4), "reason": reason_de[:300],
                "reason_en": reason_en[:300], "params": params, "raised_on": today,
                "last_order": scoring.from_day(scores.last_day[c.index]), "segment_id": seg, "team_id": team,
                "task_id": None, "owner_task_id": None}
        key_account = seg_code == KEY_ACCOUNT_SEGMENT
        label, title, ka_title = labels[c.code]
        label_en, title_en, ka_title_en = labels_en[c.code]
        due = _due(today, urgent=key_account or c.score >= URGENT_SCORE)
        common = {"kind": TaskKind.ALERT, "reason": reason_de[:300], "reason_en": reason_en[:300], "account_id": acc,
                  "due_at": due, "source": SOURCE, "source_id": f"{acc}:{c.code}"}
        team_tasks.append({**common, "title": f"{title}: {label}"[:200], "title_en": f"{title_en}: {label_en}"[:200],
                           "side": Side.INSIDE, "team_id": team,
                           "dedupe_key": alert_key(acc, c.code)})
        if key_account and owner:
            owner_tasks.append((flag, {**common, "title": f"{ka_title}: {label}"[:200],
                                       "title_en": f"{ka_title_en}: {label_en}"[:200], "side": Side.FIELD,
                                       "assignee_id": owner, "dedupe_key": owner_key(acc, c.code)}))
        flags.append(flag)
        result["raised_by_code"][c.code] += 1
        if phase in AT_RISK_FROM and c.code != FlagCode.GROUP_DROPPED:  # a lapsed group is a sales chance,
            # not an account at risk
            result["at_risk_accounts"].setdefault(acc, (reason_de, reason_en))

    # A task that is already open under the flag's key (e.g. from a flag resolved and raised again while
    # its task stayed open) is linked, not duplicated. The calls are spread over the days the team has room for.
    team_tasks, _none = _fit(team_tasks, today=today, defer=False, memo=memo)
    saved = tasks_insert_bulk(team_tasks, note=SOURCE)
    saved_owner = tasks_insert_bulk([t for _f, t in owner_tasks], note=SOURCE)
    held = _open_task_pks([t["dedupe_key"] for t, pk in zip(team_tasks, saved, strict=True) if pk is None]
                          + [t["dedupe_key"] for (_f, t), pk in zip(owner_tasks, saved_owner, strict=True) if pk is None])
    for flag, task, pk in zip(flags, team_tasks, saved, strict=True):
        flag["task_id"] = pk or held.get(task["dedupe_key"])
    for (flag, task), pk in zip(owner_tasks, saved_owner, strict=True):
        flag["owner_task_id"] = pk or held.get(task["dedupe_key"])
    insert_dicts(Flag, flags)
    result["tasks_created"] = sum(1 for t in saved if t)
    result["owner_notices"] = sum(1 for t in saved_owner if t)
    result["tasks_linked"] = sum(1 for pk in saved if pk is None)
    return result


def _within_capacity(new: list, scores: scoring.BaseScores, facts: dict, *, today: date,
                     memo: dict | None = None) -> tuple[list, int]:
    """The new flags the teams can call in the next days, highest expected loss first (key accounts always)."""
    probes = []
    for c in new:
        acc = int(scores.accounts[c.index])
        team, _seg, seg_code, _owner, _phase = facts.get(acc, (None, None, "", None, ""))
        if seg_code != KEY_ACCOUNT_SEGMENT:
            probes.append({"kind": TaskKind.ALERT, "account_id": acc, "team_id": team, "due_at": _due(today, False),
                           "rank": (-c.expected_loss,), "probe": id(c)})
    _placed, deferred = _fit(probes, today=today, defer=True, memo=memo)
    left_out = {t["probe"] for t in deferred}
    return [c for c in new if id(c) not in left_out], len(left_out)


# --------------------------------------------------------------------------------------------------------------
# Lifecycle phase
# --------------------------------------------------------------------------------------------------------------
def mark_at_risk(accounts: dict[int, tuple[str, str]], *, today: date) -> dict:
    """Turn the phase of newly flagged accounts (new, active, won back) to "at risk", with the flag's reason."""
    if not accounts:
        return {"phase_changes": 0, "phase_path": "none"}
    with translation.override("de"):
        prefix_de = pgettext("reason of a phase change", "Order-behaviour monitoring")
    reasons = {pk: (f"{prefix_de}: {de}"[:300], f"Order-behaviour monitoring: {en}"[:300])
               for pk, (de, en) in accounts.items()}
    if len(accounts) <= PHASE_SERVICE_LIMIT:
        changed = 0
        for pk, (reason_de, reason_en) in sorted(reasons.items()):
            if Account.objects.filter(pk=pk, phase__in=AT_RISK_FROM).exists():
                changed += lifecycle_set_phase(account=Account(pk=pk), phase=Phase.AT_RISK, reason=reason_de,
                                               reason_en=reason_en, actor=None, source=SOURCE) is not None
        return {"phase_changes": changed, "phase_path": "lifecycle_set_phase"}
    changed = lifecycle_set_phase_bulk(reasons=reasons, phase=Phase.AT_RISK, source=PhaseSource.MONITORING,
                                       only_from=AT_RISK_FROM, today=today)
    return {"phase_changes": changed, "phase_path": "bulk"}
