"""isf gdpr export|erase|consent|objection contact|account|lead ID [--reason TEXT]"""

import json

from django.core.management.base import BaseCommand, CommandError

from isf.customers import gdpr
from isf.customers.models import Account, Contact, PrivacyEvent


class Command(BaseCommand):
    help = (
        "Export (JSON) or erase (anonymise) the personal data of a contact, a private customer or a lead; "
        "for a lead also record the person's consent or objection. Every action is written to the privacy log."
    )

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase", "consent", "objection"],
                            help="export prints JSON; erase anonymises; consent/objection record it (leads)")
        parser.add_argument("kind", choices=["contact", "account", "lead"],
                            help="a contact, a private (B2C) account, or a lead (Interessent)")
        parser.add_argument("id", type=int, help="database id")
        parser.add_argument("--reason", default="",
                            help="why (recorded with an erasure); for consent/objection: how and when it was given")

    def handle(self, *args, action, kind, id, reason, **options):
        if kind == "lead":
            return self._lead(action, id, reason)
        if action not in ("export", "erase"):
            raise CommandError(f"{action} is recorded for leads; for a {kind} use export or erase")
        model = Contact if kind == "contact" else Account
        obj = model.objects.filter(pk=id).first()
        if obj is None:
            raise CommandError(f"no {kind} with id {id}")
        try:
            if action == "export":
                data = gdpr.contact_export(contact=obj) if kind == "contact" else gdpr.private_account_export(account=obj)
                self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            else:
                if kind == "contact":
                    gdpr.contact_erase(contact=obj, reason=reason)
                else:
                    gdpr.private_account_erase(account=obj, reason=reason)
                self.stdout.write(f"{kind} {id} erased (anonymised); business records kept")
        except gdpr.GdprError as exc:
            raise CommandError(str(exc)) from exc

    def _lead(self, action: str, id: int, reason: str) -> None:
        from isf.campaigns import gdpr as lead_gdpr
        from isf.campaigns.models import Lead

        lead = Lead.objects.filter(pk=id).first()
        if lead is None:
            raise CommandError(f"no lead with id {id}")
        try:
            if action == "export":
                self.stdout.write(json.dumps(lead_gdpr.lead_export(lead=lead), ensure_ascii=False, indent=2))
            elif action == "erase":
                lead_gdpr.lead_erase(lead=lead, reason=reason)
                self.stdout.write(f"lead {id} erased (anonymised); business records kept")
            else:
                kind = PrivacyEvent.Action.CONSENT if action == "consent" else PrivacyEvent.Action.OBJECTION
                lead_gdpr.lead_privacy_record(lead=lead, action=kind, note=reason)
                self.stdout.write(f"lead {id}: {action} recorded")
        except gdpr.GdprError as exc:
            raise CommandError(str(exc)) from exc
