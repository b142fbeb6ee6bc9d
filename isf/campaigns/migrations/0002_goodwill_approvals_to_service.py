"""Complaints waiting for the owner's goodwill approval get the service firm's approval request.

Until now campaigns kept its own approval task (``complaint:<pk>:approval``); the owner now answers in the
service firm's approval flow (``service.Decision`` with ``source="complaint"``). For each waiting complaint
without such a request, one pending request is created and the open task is handed over to it.
"""

from django.db import migrations
from django.utils import timezone

OPEN = ("open", "claimed")


def forwards(apps, schema_editor):
    Complaint = apps.get_model("campaigns", "Complaint")
    Decision = apps.get_model("service", "Decision")
    ServiceContract = apps.get_model("service", "ServiceContract")
    Task = apps.get_model("planning", "Task")
    User = apps.get_model("org", "User")
    today = timezone.localdate()
    contract = (
        ServiceContract.objects.filter(valid_from__lte=today, valid_to__gte=today, accepted_by_vl__isnull=False,
                                       accepted_by_idl__isnull=False)
        .order_by("-version", "-pk")
        .first()
    )
    lead = User.objects.filter(role="vl", is_active=True).order_by("pk").first()
    for complaint in Complaint.objects.filter(status="awaiting_approval").select_related("account__owner"):
        if Decision.objects.filter(source="complaint", source_id=str(complaint.pk)).exists():
            continue
        owner = complaint.account.owner
        approver = owner if owner is not None and owner.is_active else lead
        if approver is None:
            continue
        task = Task.objects.filter(dedupe_key=f"complaint:{complaint.pk}:approval", status__in=OPEN).first()
        decision = Decision.objects.create(
            account_id=complaint.account_id, contract=contract, kind="goodwill", value=complaint.goodwill_eur,
            limit=complaint.goodwill_limit_eur, status="pending",
            reason=f"{complaint.description} → {complaint.resolution}"[:500],
            requested_by_id=complaint.created_by_id, approver=approver, source="complaint",
            source_id=str(complaint.pk), created_at=task.created_at if task else complaint.created_at,
        )
        if task is not None:
            Task.objects.filter(pk=task.pk).update(
                dedupe_key=f"approval:{decision.pk}", source="service", source_id=f"decision:{decision.pk}",
                url=f"/service/approvals/{decision.pk}/", assignee=approver,
            )


class Migration(migrations.Migration):
    dependencies = [
        ("campaigns", "0001_initial"),
        ("service", "0002_default_catalog"),
        ("planning", "0003_carematrix_historicalcareactivity_and_more"),
        ("org", "0002_history"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
