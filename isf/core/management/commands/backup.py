"""isf backup FILE"""

from django.core.management.base import BaseCommand, CommandError

from isf.core.backup import BackupError, backup_create


class Command(BaseCommand):
    help = ("Write a consistent snapshot of the database and the stored files (uploads, error reports) to FILE, "
            "a tar readable by its owner only, while the app keeps running.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup file to write")

    def handle(self, *args, file, **options):
        try:
            result = backup_create(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"backup written: {result['file']} ({result['bytes']:,} bytes, {result['vendor']}, "
                          f"{result['files']} stored files; readable by its owner only)")
