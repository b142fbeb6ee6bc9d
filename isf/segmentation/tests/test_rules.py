"""Rule descriptions, overlaps and conflicts as plain values (no database)."""

from decimal import Decimal

from django.utils import translation

from isf.segmentation.rules import RuleSpec, covers, describe, find_conflicts, overlap, rule_errors


def spec(code, prec, rmin=None, rmax=None, pmin=None, pmax=None, ctype="any", pos=1):
    d = lambda v: None if v is None else Decimal(v)  # noqa: E731
    return RuleSpec(code, prec, d(rmin), d(rmax), d(pmin), d(pmax), ctype, pos)


def test_half_open_ranges_touching_do_not_overlap():
    assert not overlap(spec("A", 1, "1000", "5000"), spec("B", 1, "5000"))
    assert overlap(spec("A", 1, "1000", "5001"), spec("B", 1, "5000"))
    assert not overlap(spec("A", 1, ctype="b2b"), spec("B", 1, ctype="b2c"))
    assert overlap(spec("A", 1, ctype="any"), spec("B", 1, ctype="b2c"))


def test_cover_needs_every_condition():
    assert covers(spec("A", 1, "1000"), spec("B", 2, "5000", "9000", ctype="b2b"))
    assert not covers(spec("A", 1, "1000", ctype="b2b"), spec("B", 2, "5000"))
    assert not covers(spec("A", 1, "1000", "8000"), spec("B", 2, "5000"))


def test_same_precedence_overlap_is_a_named_conflict():
    with translation.override("en"):
        conflicts = find_conflicts([spec("KA", 10, "100000"), spec("MP", 10, "25000", "200000")])
    assert len(conflicts) == 1
    assert "KA" in conflicts[0] and "MP" in conflicts[0] and "precedence 10" in conflicts[0]


def test_same_precedence_disjoint_ranges_are_fine():
    assert find_conflicts([spec("KA", 10, "100000"), spec("MP", 10, "25000", "100000")]) == []


def test_rule_that_can_never_apply_is_refused():
    with translation.override("en"):
        conflicts = find_conflicts([spec("ALL", 1), spec("KA", 10, "100000", ctype="b2b")])
    assert len(conflicts) == 1 and "can never apply" in conflicts[0] and "KA" in conflicts[0]


def test_min_not_below_max_names_the_field():
    with translation.override("en"):
        errors = rule_errors(spec("X", 1, "5000", "1000"))
    assert errors[0][0] == "revenue_max" and "5,000" in errors[0][1]
    assert rule_errors(spec("X", 1, pmin="10", pmax="10"))[0][0] == "potential_max"


def test_description_in_both_languages():
    rule = spec("KA", 10, "100000", None, None, "250000", "b2b")
    with translation.override("en"):
        assert describe(rule) == "revenue 12 months from 100,000 €, potential below 250,000 €, B2B only"
    with translation.override("de"):
        assert describe(rule) == "Umsatz 12 Monate ab 100.000 €, Potenzial unter 250.000 €, nur B2B"
