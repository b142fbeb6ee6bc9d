"""isf restore FILE"""

from django.core.management.base import BaseCommand, CommandError

from isf.core.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = ("Restore a backup made with `isf backup` into an empty database (refused if it holds data) and put "
            "its stored files back.")

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup file to read")

    def handle(self, *args, file, **options):
        try:
            result = backup_restore(file)
        except BackupError as exc:
            raise CommandError(f"{exc}; nothing was changed") from exc
        self.stdout.write(f"restored {result['file']} into the {result['vendor']} database and {result['files']} "
                          "stored files")
