"""Back up the whole newsroom into a directory."""

from django.core.management.base import BaseCommand, CommandError

from articles.backup import BackupError, export_newsroom


class Command(BaseCommand):
    help = "Write users, roles, every newsroom object and the media files to DIR."

    def add_arguments(self, parser):
        parser.add_argument("directory", metavar="DIR")

    def handle(self, *args, directory: str, **options):
        try:
            counts = export_newsroom(directory)
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Backed up {counts['objects']} objects and {counts['files']} files to {directory}"
            )
        )
