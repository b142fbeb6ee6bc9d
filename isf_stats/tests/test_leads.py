"""Golden tests of lead scoring on hand-made leads."""

from datetime import UTC, datetime, timedelta

import pytest

from isf_stats.leads import Activity, LeadFacts, engagement_score, fit_score, qualify

NOW = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_fit_of_a_large_manufacturer_in_a_served_region_is_exact():
    fit, reasons = fit_score(LeadFacts(industry="C", employee_band="250-999", potential=300_000, in_served_region=True))
    assert fit == 25 + 26 + 30 + 15
    assert [r.code for r in reasons] == ["industry:C", "size:250-999", "potential", "region:served"]


def test_fit_of_an_unknown_private_person_is_zero():
    fit, reasons = fit_score(LeadFacts())
    assert fit == 0
    assert {r.code for r in reasons} == {"industry:unknown", "size:unknown", "potential", "region:outside"}


def test_engagement_halves_after_one_half_life():
    fresh, _ = engagement_score([Activity("request", NOW)], now=NOW)
    old, _ = engagement_score([Activity("request", NOW - timedelta(days=30))], now=NOW)
    assert fresh == 25.0
    assert old == pytest.approx(12.5)


def test_engagement_sums_kinds_and_caps_at_100():
    acts = [Activity("contact", NOW), Activity("answer", NOW), Activity("request", NOW)]
    score, reasons = engagement_score(acts, now=NOW)
    assert score == 50.0
    assert [r.code for r in reasons] == ["engagement:contact", "engagement:answer", "engagement:request"]
    many = [Activity("request", NOW)] * 10
    assert engagement_score(many, now=NOW)[0] == 100.0


def test_future_activity_counts_as_now_and_unknown_kind_is_refused():
    assert engagement_score([Activity("answer", NOW + timedelta(days=2))], now=NOW)[0] == 15.0
    with pytest.raises(ValueError, match="activity kind"):
        engagement_score([Activity("like", NOW)], now=NOW)


def test_potential_key_account():
    q = qualify(
        LeadFacts(
            industry="F",
            employee_band="50-249",
            potential=80_000,
            in_served_region=True,
            activities=(Activity("request", NOW - timedelta(days=1)),),
        ),
        now=NOW,
    )
    # fit 25 + 20 + 22 + 15 = 82; engagement 25 * 0.5**(1/30)
    assert q.fit == 82.0
    assert q.engagement == pytest.approx(24.4, abs=0.05)
    assert q.score == pytest.approx(round(0.6 * 82 + 0.4 * 25 * 0.5 ** (1 / 30), 1))
    assert q.qualification_class == "potential_key_account"
    assert q.reasons[0].code == "class:key_account"


def test_big_company_without_engagement_is_smb_not_key_account():
    q = qualify(LeadFacts(industry="C", employee_band="1000+", potential=500_000, in_served_region=True), now=NOW)
    assert q.fit == 100.0
    assert q.engagement == 0.0
    assert q.score == 60.0
    assert q.qualification_class == "smb"


def test_small_trade_business_is_smb():
    q = qualify(
        LeadFacts(
            industry="F",
            employee_band="10-49",
            potential=20_000,
            in_served_region=False,
            activities=(Activity("request", NOW),),
        ),
        now=NOW,
    )
    assert q.fit == 25 + 12 + 14
    assert q.score == round(0.6 * 51 + 0.4 * 25, 1)
    assert q.qualification_class == "smb"


def test_brochure_collector_low_fit():
    q = qualify(
        LeadFacts(industry="R", employee_band="1-9", potential=0, activities=(Activity("request", NOW),)), now=NOW
    )
    assert q.fit == 4 + 5
    assert q.qualification_class == "brochure_collector"
    assert q.reasons[0].code == "class:low_fit"


def test_brochure_collector_some_fit_but_no_interest_for_a_year():
    q = qualify(
        LeadFacts(
            industry="C",
            employee_band="10-49",
            potential=0,
            activities=(Activity("request", NOW - timedelta(days=365)),),
        ),
        now=NOW,
    )
    assert q.fit == 25 + 12
    assert q.score < 30
    assert q.qualification_class == "brochure_collector"
    assert q.reasons[0].code == "class:low_score"


def test_negative_potential_is_refused():
    with pytest.raises(ValueError, match="potential"):
        qualify(LeadFacts(potential=-1), now=NOW)


def test_a_stated_yearly_need_counts_as_potential_when_it_is_larger():
    stated = fit_score(LeadFacts(industry="F", employee_band="250-999", potential=0, stated_need=300_000))
    estimated = fit_score(LeadFacts(industry="F", employee_band="250-999", potential=300_000, stated_need=20_000))
    assert stated[0] == estimated[0] == 25 + 26 + 30
    assert [r.code for r in stated[1]][2] == "potential:stated"
    assert [r.code for r in estimated[1]][2] == "potential"
    with pytest.raises(ValueError, match="stated_need"):
        fit_score(LeadFacts(stated_need=-1))
