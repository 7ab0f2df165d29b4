"""Move images uploaded before random names to random ones (issue 13: guessable media URLs)."""

from django.core.management.base import BaseCommand

from articles.caching import purge
from articles.images import move_to_random_name
from articles.models import Image


class Command(BaseCommand):
    help = (
        "Store every image still under its uploaded name (images/2026/03/ceo-resigns.jpg) "
        "under a random one, and delete its renditions, which were named after the old name. "
        "Safe to run again: images already under random names are left alone."
    )

    def handle(self, *args, **options):
        moved = 0
        for image in Image.objects.order_by("pk").iterator(chunk_size=200):
            new = move_to_random_name(image)
            if new:
                moved += 1
                if options["verbosity"] > 1:
                    self.stdout.write(f"image {image.pk}: {new}")
        if moved:
            purge()  # cached pages still point at the old file and rendition URLs
        self.stdout.write(self.style.SUCCESS(f"Moved {moved} image(s) to random names."))
