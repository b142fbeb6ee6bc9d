"""isf gdpr export|erase contact|account ID [--reason TEXT]"""

import json

from django.core.management.base import BaseCommand, CommandError

from isf.customers import gdpr
from isf.customers.models import Account, Contact


class Command(BaseCommand):
    help = "Export (JSON) or erase (anonymise) the personal data of a contact or a private customer."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["export", "erase"], help="export prints JSON; erase anonymises")
        parser.add_argument("kind", choices=["contact", "account"], help="a contact, or a private (B2C) account")
        parser.add_argument("id", type=int, help="database id")
        parser.add_argument("--reason", default="", help="why (recorded with an erasure)")

    def handle(self, *args, action, kind, id, reason, **options):
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
