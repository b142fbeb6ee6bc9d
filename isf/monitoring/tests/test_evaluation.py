"""The monitoring evaluation on a built history whose truth is known, the calibration it leads to, and the
trend and weight rules that keep a growing account with one small lapsed group off the alert list."""

import json
from datetime import date, timedelta
from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command

from isf.monitoring import scoring
from isf.monitoring.calibration import calibration_kinds, calibration_save
from isf.monitoring.evaluation import calibrate, evaluate_arrays
from isf.monitoring.reading import OrderArrays

CUTOFF = date(2026, 6, 1)
START = CUTOFF - timedelta(days=720)
END = CUTOFF + timedelta(days=90)
TOOLS, TONER = 1, 2


class History:
    """Order lines built account by account: (account id, day, revenue, group)."""

    def __init__(self):
        self.rows = []
        self.next_id = 1

    def account(self, lines) -> int:
        pk = self.next_id
        self.next_id += 1
        self.rows += [(pk, scoring.day_number(d), rev, grp) for d, rev, grp in lines]
        return pk

    def arrays(self) -> OrderArrays:
        a = np.array(self.rows, dtype=np.float64)
        return OrderArrays(a[:, 0].astype(np.int64), a[:, 1].astype(np.int64), a[:, 2].copy(),
                           a[:, 3].astype(np.int64))


def every(days: int, start: date, end: date, jitter=(0, 1, -1, 2, -2, 0, 1)) -> list[date]:
    out, d, k = [], start, 0
    while d <= end:
        out.append(d + timedelta(days=jitter[k % len(jitter)]))
        d += timedelta(days=days)
        k += 1
    return [x for x in out if x <= end]


def lines(days, revenue, group=TOOLS):
    return [(d, revenue, group) for d in days]


@pytest.fixture
def history():
    h = History()
    ids = {"regular": [], "stopped": [], "returned": [], "group_gone": [], "group_back": [], "growing": []}
    for i in range(200):  # order every 12-20 days before and after the cutoff
        gap = 12 + i % 9
        ids["regular"].append(h.account(lines(every(gap, START + timedelta(days=i % 11), END), 150 + i % 7 * 10)))
    for _ in range(30):  # every 10 days, silent from 80 days before the cutoff on, and never again
        ids["stopped"].append(h.account(lines(every(10, START, CUTOFF - timedelta(days=80)), 200)))
    for _ in range(10):  # the same pause, but back 20 days after the cutoff
        ids["returned"].append(h.account(lines(every(10, START, CUTOFF - timedelta(days=80)), 200)
                                         + lines(every(10, CUTOFF + timedelta(days=20), END), 200)))
    for k in range(20):  # tools every 14 days throughout; toner (a fifth of the revenue) stopped 200 days ago
        toner_back = k < 5  # five of them buy toner again within the window
        toner = lines(every(28, START, CUTOFF - timedelta(days=200)), 150, TONER)
        if toner_back:
            toner += lines([CUTOFF + timedelta(days=30)], 150, TONER)
        pk = h.account(lines(every(14, START, END), 200) + toner)
        ids["group_back" if toner_back else "group_gone"].append(pk)
    for _ in range(5):  # growing fast, and one small group (toner, 40 €) lapsed: not an alert
        tools = [(d, 100 if d < CUTOFF - timedelta(days=365) else 300, TOOLS) for d in every(14, START, END)]
        ids["growing"].append(h.account(tools + lines(every(28, START, CUTOFF - timedelta(days=200)), 40, TONER)))
    return h, ids


def test_precision_and_base_rate_match_an_independent_count(history):
    h, ids = history
    result = evaluate_arrays(h.arrays(), cutoff=CUTOFF, eligible_days=365)
    items = {item["flag"]: item for item in result["items"]}
    scored = 200 + 30 + 10 + 20 + 5
    assert result["accounts_scored"] == scored
    assert (result["cutoff"], result["observed_until"]) == ("2026-06-01", "2026-08-30")

    overdue = items["overdue"]
    # flagged: the 30 that stopped and the 10 that came back; only the 30 showed "no order"
    assert overdue["flagged"] == 40
    assert overdue["precision"] == round(30 / 40, 4)
    assert overdue["base_rate"] == round(30 / scored, 4)
    assert overdue["flagged_share"] == round(40 / scored, 4)

    group = items["group_dropped"]
    # the 20 with toner as a fifth of their revenue; the growing accounts' small toner is not flagged
    assert group["flagged"] == 20
    assert group["precision"] == round(15 / 20, 4)
    # regular pairs: every account's tools (all bought again except the 40 that paused) and 25 toner pairs
    # (5 bought again); the stopped and returned accounts' tools are not bought in the window by 30
    pairs = scored + 25
    not_bought = 30 + 20
    assert group["base_rate"] == round(not_bought / pairs, 4)

    total = result["total"]
    assert total["flagged"] >= 60 and total["precision"] is not None
    assert result["raised"]["overdue"] is True and result["raised"]["group_dropped"] is True


def test_a_kind_that_does_not_beat_its_base_rate_is_not_raised():
    items = [
        {"flag": "overdue", "flagged": 200, "precision": 0.62, "base_rate": 0.20},
        {"flag": "few_expected", "flagged": 300, "precision": 0.22, "base_rate": 0.20},  # no better than chance
        {"flag": "revenue_drop", "flagged": 5, "precision": 0.0, "base_rate": 0.30},  # too few to tell
        {"flag": "group_dropped", "flagged": 80, "precision": 0.26, "base_rate": 0.20},  # +6 points but ratio 1.3
    ]
    assert calibrate(items) == {"overdue": True, "few_expected": False, "revenue_drop": True, "group_dropped": True}


@pytest.mark.django_db
def test_the_nightly_run_raises_only_the_calibrated_kinds(today_is):
    assert calibration_kinds() == {"overdue", "few_expected", "revenue_drop", "group_dropped"}
    calibration_save(result={"cutoff": "2026-06-01", "raised": {"overdue": True, "few_expected": False,
                                                                "revenue_drop": True, "group_dropped": True}},
                     today=date(2026, 12, 1))
    assert calibration_kinds() == {"overdue", "revenue_drop", "group_dropped"}


@pytest.mark.django_db
def test_the_command_prints_items_per_flag_kind_and_refuses_an_empty_base():
    with pytest.raises(Exception, match="no orders"):
        call_command("eval", "monitoring", "--json", stdout=StringIO())
    with pytest.raises(Exception, match="--cutoff"):
        call_command("eval", "monitoring", "--cutoff", "1.6.2026", stdout=StringIO())


@pytest.mark.django_db
def test_the_command_on_the_database(today_is):
    from isf.monitoring.tests.helpers import TODAY, make_base

    today_is(TODAY)
    make_base()
    out = StringIO()
    call_command("eval", "monitoring", "--json", "--cutoff", (TODAY - timedelta(days=120)).isoformat(), stdout=out)
    result = json.loads(out.getvalue())
    assert [item["flag"] for item in result["items"]] == ["overdue", "revenue_drop", "group_dropped", "few_expected"]
    for item in result["items"] + [result["total"]]:
        assert set(item) == {"flag", "flagged", "flagged_share", "precision", "base_rate"}
    assert result["total"]["flag"] == "total"
