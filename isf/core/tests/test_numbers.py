"""Display numbers round half up and follow the active language (Django's number_format truncates)."""

from decimal import Decimal

import pytest
from django.utils import translation

from isf.core.numbers import format_eur, format_number, format_percent


@pytest.mark.parametrize("lang, expected", [("de", "1.026,38 €"), ("en", "1,026.38 €")])
def test_amounts_round_half_up_and_group_by_language(lang, expected):
    with translation.override(lang):
        assert format_eur(Decimal("1026.375"), 2) == expected
        assert format_eur(None, 2) == "–"


def test_rounding_is_not_truncation():
    with translation.override("de"):
        assert format_number(Decimal("243.605"), 2) == "243,61"
        assert format_number(-0.04, 1) == "0,0"
        assert format_percent(0.41585) == "41,6 %"
