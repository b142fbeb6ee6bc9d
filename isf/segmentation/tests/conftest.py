import pytest

from isf.segmentation.tests.helpers import TODAY


@pytest.fixture(autouse=True)
def _clock_on_today(today_is):
    """The helpers date orders relative to TODAY; the KPI and portfolio pages read today from the clock."""
    today_is(TODAY)
