"""Pre-generate the responsive renditions of every image, so no reader waits for one."""

from django.core.management.base import BaseCommand
from tqdm import tqdm

from articles.models import Image
from articles.renditions import SOURCE_ERRORS, generate_renditions


class Command(BaseCommand):
    help = (
        "Make the missing WebP and JPEG/PNG renditions of every image (existing ones are kept; "
        "safe to run again, e.g. after changing WIDTHS or RENDITION_VERSION)."
    )

    def handle(self, *args, **options):
        images = Image.objects.order_by("pk")
        created = 0
        failed: list[str] = []
        bar = tqdm(
            images.iterator(chunk_size=200),
            total=images.count(),
            unit="image",
            desc="Renditions",
            disable=options["verbosity"] == 0,
        )
        for image in bar:
            try:
                created += generate_renditions(image)
            except SOURCE_ERRORS as exc:
                # One damaged upload must not stop the others; list it for an editor to replace.
                failed.append(f"image {image.pk} ({image.file.name}): {exc}")
        for line in failed:
            self.stderr.write(f"Could not make renditions for {line}")
        summary = f"Made {created} renditions; {len(failed)} image(s) could not be read."
        self.stdout.write(self.style.WARNING(summary) if failed else self.style.SUCCESS(summary))
