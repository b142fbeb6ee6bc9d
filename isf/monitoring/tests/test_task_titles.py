"""Alert tasks carry an English title next to the German one (built from the same labels)."""

import pytest

from isf.monitoring.choices import FlagCode
from isf.monitoring.models import Flag
from isf.monitoring.services import monitor_run
from isf.monitoring.tests.helpers import TODAY, make_base

pytestmark = pytest.mark.django_db


def test_alert_tasks_have_german_and_english_titles():
    base = make_base()
    monitor_run(today=TODAY)

    task = Flag.objects.get(account=base.accounts["overdue"], code=FlagCode.OVERDUE).task
    assert task.title == "Bestellverhalten auffällig: Überfällige Bestellung"
    assert task.title_en == "Order alert: Overdue order"
    notice = Flag.objects.get(account=base.accounts["key"], code=FlagCode.OVERDUE).owner_task
    assert (notice.title, notice.title_en) == ("Key Account auffällig: Überfällige Bestellung",
                                               "Key account alert: Overdue order")
