from datetime import date, timedelta

import pytest
from django.utils import timezone

from isf.campaigns.models import Lead
from isf.campaigns.retention import leads_erase_expired
from isf.customers.tests.factories import AccountFactory

pytestmark = pytest.mark.django_db


def test_unconverted_leads_are_erased_after_the_retention_period_with_their_history():
    old = Lead.objects.create(company="Alt GmbH", contact_name="Erika Alt", email="erika@alt.de")
    converted = Lead.objects.create(company="Kunde GmbH", contact_name="Max Kunde", email="max@kunde.de",
                                    status="converted", converted_account=AccountFactory())
    fresh = Lead.objects.create(company="Neu GmbH", contact_name="Nina Neu", email="nina@neu.de")
    long_ago = timezone.now() - timedelta(days=800)
    Lead.objects.filter(pk__in=[old.pk, converted.pk]).update(created_at=long_ago)
    result = leads_erase_expired(today=date.today(), months=24)
    assert result["leads_erased"] == 1
    assert set(Lead.objects.values_list("pk", flat=True)) == {converted.pk, fresh.pk}
    assert not Lead.history.filter(id=old.pk).exists()


def test_the_erased_leads_tasks_stay_without_the_persons_data():
    from isf.planning.models import Task
    from isf.planning.services import task_create

    old = Lead.objects.create(company="Alt GmbH", contact_name="Erika Alt", email="erika@alt.de")
    Lead.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=800))
    task = task_create(kind="lead_followup", title="Lead nachfassen: Alt GmbH", title_en="Contact the lead: Alt GmbH",
                       reason="Erika Alt bat um Rückruf", due_at=timezone.now(), dedupe_key=f"lead:{old.pk}:followup")
    leads_erase_expired(today=date.today(), months=24)
    task.refresh_from_db()
    texts = [task.title, task.title_en, task.reason, task.reason_en]
    texts += [h.title + h.title_en + h.reason for h in Task.history.filter(id=task.pk)]
    assert task.title.startswith("Lead nachfassen:") and not any("Alt" in t for t in texts)
