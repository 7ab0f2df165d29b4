"""Restore a newsroom backup into a freshly migrated database."""

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, import_newsroom


class Command(BaseCommand):
    help = "Load a backup written by export_newsroom into a new, migrated database."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory: str, **options):
        try:
            counts = import_newsroom(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored {counts['objects']} objects and {counts['files']} files from {directory}"
            )
        )
