"""Nightly step: SLA escalation (also worth running every few minutes from cron: `isf sla escalate`)."""

from isf.service.escalation import sla_escalate


def run(*, today, progress) -> dict:
    progress("SLA escalation …")
    return sla_escalate()
