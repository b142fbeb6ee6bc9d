"""isf access doc [--write]"""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from isf.core.access_doc import permissions_markdown


class Command(BaseCommand):
    help = "The access declaration: `doc` prints docs/permissions.md as generated from the apps' access.py."

    def add_arguments(self, parser):
        parser.add_argument("what", choices=["doc"], help="doc: the permissions document (Markdown)")
        parser.add_argument("--write", action="store_true", help="write docs/permissions.md instead of printing")

    def handle(self, *args, what, write, **options):
        text = permissions_markdown()
        if not write:
            self.stdout.write(text, ending="")
            return
        target = Path(settings.BASE_DIR) / "docs" / "permissions.md"
        if not target.parent.is_dir():
            raise CommandError(f"no docs folder at {target.parent}")
        target.write_text(text, encoding="utf-8")
        self.stderr.write(f"written: {target}")
