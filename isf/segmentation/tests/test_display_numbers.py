"""Shown numbers: percentages and amounts are rounded (not truncated), shares add up to 100 %,
and a negative care budget is refused at its field in both languages."""

from decimal import ROUND_HALF_UP, Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from isf.core.numbers import largest_remainder
from isf.org.choices import Role
from isf.org.tests.factories import TeamFactory, UserFactory
from isf.segmentation.abc import abc_propose
from isf.segmentation.models import Segment
from isf.segmentation.selectors import segment_kpis
from isf.segmentation.services import segments_assign_all, segments_create_defaults
from isf.segmentation.templatetags.segmentation_tags import eur, pct
from isf.segmentation.tests.helpers import account_with_revenue
from isf.segmentation.tests.test_views import edit_payload


@pytest.mark.parametrize(("lang", "expected"), [("de", "41,6 %"), ("en", "41.6 %")])
def test_pct_rounds_half_up_instead_of_truncating(lang, expected):
    with translation.override(lang):
        assert pct(0.41585) == expected
        assert pct(0.99999) == ("100,0 %" if lang == "de" else "100.0 %")
        assert pct(0.12344) == ("12,3 %" if lang == "de" else "12.3 %")


@pytest.mark.parametrize(("lang", "expected"), [("de", "1.027 €"), ("en", "1,027 €")])
def test_eur_rounds_and_groups_by_language(lang, expected):
    with translation.override(lang):
        assert eur(Decimal("1026.50")) == expected
        assert eur(1026.38, 2) == ("1.026,38 €" if lang == "de" else "1,026.38 €")
        assert eur(None) == "–"


def test_largest_remainder_makes_shares_add_up_where_plain_rounding_does_not():
    shares = [0.41585, 0.29165, 0.2925]
    plain = [(Decimal(str(s)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for s in shares]
    assert sum(plain) != Decimal("100.0")  # the case the issue is about

    shown = largest_remainder(shares)

    assert shown == [Decimal("41.6"), Decimal("29.2"), Decimal("29.2")]
    assert sum(shown) == Decimal("100.0")
    thirds = largest_remainder([1 / 3, 1 / 3, 1 / 3])
    assert thirds == [Decimal("33.4"), Decimal("33.3"), Decimal("33.3")] and sum(thirds) == 100
    assert largest_remainder([0.5, None, 0.5]) == [Decimal("50.0"), None, Decimal("50.0")]


def test_abc_shown_shares_add_up_to_100():
    proposal = abc_propose([100, 100, 100, 1, 1, 1, 1])  # classes with shares 1/3-ish that do not round to 100

    rows = proposal.display_rows

    assert sum(r[1] for r in rows) == Decimal("100.0")
    assert sum(r[2] for r in rows) == Decimal("100.0")


@pytest.mark.django_db
def test_kpi_page_shows_rounded_shares_that_add_up(client):
    segments_create_defaults(teams={c: TeamFactory(code=c) for c in ("KA", "MP", "SMB", "CDP")})
    # revenue shares 41.585 % (KA), 29.165 % (MP), 29.25 % (C) of 10,000: plain rounding adds up to 100.1 %
    account_with_revenue("4158.50", potential="300000")
    account_with_revenue("2916.50", potential="70000")
    account_with_revenue("2925.00", potential="1000")
    segments_assign_all()
    data = segment_kpis()
    shown = {r.code: r.shown["revenue_share"] for r in data.rows}
    assert (shown["KA"], shown["MP"], shown["C"]) == (Decimal("41.6"), Decimal("29.2"), Decimal("29.2"))
    assert sum(r.shown["revenue_share"] for r in data.rows) == Decimal("100.0")
    assert data.total.shown["revenue_share"] == Decimal("100.0")
    client.force_login(UserFactory(role=Role.SALES_LEAD))

    html = client.get(reverse("segmentation:kpis"), HTTP_ACCEPT_LANGUAGE="de").content.decode()

    assert "41,6 %" in html and "29,2 %" in html and "41,5 %" not in html and "29,3 %" not in html
    assert "100,0 %" in html


@pytest.mark.django_db
@pytest.mark.parametrize(("lang", "message"), [
    ("de", "Das Betreuungsbudget pro Kunde und Jahr darf nicht negativ sein."),
    ("en", "The care budget per account and year must not be negative."),
])
def test_negative_care_budget_is_a_field_error_and_nothing_is_saved(client, lang, message):
    segments_create_defaults(teams={c: TeamFactory(code=c) for c in ("KA", "MP", "SMB", "CDP")})
    client.force_login(UserFactory(role=Role.SALES_LEAD))
    mp = Segment.objects.get(code="MP")
    before = (mp.care_budget, mp.history.count())

    response = client.post(reverse("segmentation:segment-edit", args=["MP"]),
                           edit_payload(mp, [("30000", "", "", "", "b2b")], care_budget="-5"),
                           HTTP_ACCEPT_LANGUAGE=lang)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html
    assert "segment_budget_not_negative" not in html
    mp.refresh_from_db()
    assert (mp.care_budget, mp.history.count()) == before
