"""isf token create USERNAME [--name LABEL] [--expires-days N] | list [USERNAME] | revoke PREFIX"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from isf.org.models import ApiToken, User
from isf.org.services import api_token_create, api_token_revoke


class Command(BaseCommand):
    help = "Create, list and revoke API tokens. `create` prints the new token as its last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="create a token for USERNAME")
        create.add_argument("username")
        create.add_argument("--name", default="", help="a label to recognise the token")
        create.add_argument("--expires-days", type=int, default=None, help="expire after N days (default: never)")
        listing = sub.add_parser("list", help="list tokens")
        listing.add_argument("username", nargs="?")
        revoke = sub.add_parser("revoke", help="revoke the token with this prefix")
        revoke.add_argument("prefix")

    def handle(self, *args, action, **options):
        if action == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(f"no user named {options['username']!r}")
            expires = None
            if options["expires_days"] is not None:
                if options["expires_days"] <= 0:
                    raise CommandError("--expires-days must be positive")
                expires = timezone.now() + timedelta(days=options["expires_days"])
            token, raw = api_token_create(user=user, name=options["name"], expires_at=expires)
            self.stderr.write(f"Token {token.prefix}… for {user.username} created; it is shown only once:")
            self.stdout.write(raw)
        elif action == "list":
            qs = ApiToken.objects.select_related("user")
            if options.get("username"):
                qs = qs.filter(user__username=options["username"])
            for t in qs:
                state = "revoked" if t.revoked_at else ("expired" if not t.is_usable() else "active")
                self.stdout.write(f"{t.prefix}\t{t.user.username}\t{t.name}\t{state}\tlast used {t.last_used_at or '-'}")
        elif action == "revoke":
            tokens = list(ApiToken.objects.filter(prefix=options["prefix"]))
            if not tokens:
                raise CommandError(f"no token with prefix {options['prefix']!r}")
            for t in tokens:
                api_token_revoke(token=t)
            self.stdout.write(f"revoked {len(tokens)} token(s)")
