"""Image validation with Pillow: only real, reasonably sized raster images get in."""

import os
import re
import secrets
import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from PIL import Image as PILImage
from PIL import UnidentifiedImageError

ALLOWED_FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
# The stored file keeps the uploaded name, and whoever serves media picks the content type from
# its extension: a valid GIF with an HTML page appended must not be stored as "page.html"
# (text/html) or "x.pdf", so only the extensions of the formats above are taken. (Django's
# forms.ImageField checks against every extension Pillow knows, .pdf and .eps among them; the
# model field checks none.)
ALLOWED_EXTENSIONS = {".jpg", ".jpeg", ".jpe", ".jfif", ".png", ".webp", ".gif"}


def random_upload_name(instance, filename: str) -> str:
    """Store an upload under a random name, keeping only its (validated) extension.

    The uploaded name is often the story's subject ("ceo-resigns.jpg"): kept in the URL, an
    image of an unpublished article could be found by guessing. 128 random bits cannot be.
    """
    from django.utils import timezone

    extension = os.path.splitext(filename)[1].lower()
    return f"images/{timezone.now():%Y/%m}/{secrets.token_hex(16)}{extension}"


# What random_upload_name() makes: images/YYYY/MM/<32 hex digits>.<extension>.
RANDOM_NAME = re.compile(r"images/\d{4}/\d{2}/[0-9a-f]{32}(\.[a-z0-9]+)?")


def move_to_random_name(image) -> str | None:
    """Move an image stored under its uploaded name to a random one; return the new name.

    For files uploaded before random names (`manage.py rename_images`). Its renditions were
    named after the old file name, so they could be computed from it: they are deleted, and
    made again under the new name on the next page view. Returns None if already random.
    """
    from django.core.files.storage import default_storage

    from articles import renditions

    old = image.file.name
    if RANDOM_NAME.fullmatch(old):
        return None
    old_renditions = {
        renditions.rendition_name(image, width, fmt)
        for side in (image.width, image.height)  # the upright width is one of the two
        for width in renditions.candidate_widths(side)
        for fmt in renditions.FORMATS
    }
    with default_storage.open(old, "rb") as source:
        new = default_storage.save(random_upload_name(image, old), source)
    type(image).objects.filter(pk=image.pk).update(file=new)
    image.file.name = new
    for name in [old, *old_renditions]:
        default_storage.delete(name)  # a no-op for a name not stored
    return new


def validate_image_file(file) -> None:
    """Refuse anything that is not a JPEG/PNG/WebP/GIF within the size and pixel limits."""
    size = getattr(file, "size", None)
    if size == 0:
        raise ValidationError("The file is empty.", code="empty")
    if size is not None and size > settings.IMAGE_MAX_BYTES:
        raise ValidationError(
            "The file is %(size)s MB; the limit is %(limit)s MB.",
            code="too_large",
            params={
                "size": round(size / 1_048_576, 1),
                "limit": round(settings.IMAGE_MAX_BYTES / 1_048_576, 1),
            },
        )
    file.seek(0)
    try:
        with warnings.catch_warnings():
            # Pillow warns (not raises) between 1x and 2x its own bomb limit: treat it as an error.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            with PILImage.open(file) as img:
                width, height = img.size
                image_format = img.format
                if width * height > settings.IMAGE_MAX_PIXELS:
                    raise ValidationError(
                        "The image is %(w)s×%(h)s pixels; the limit is %(limit)s megapixels.",
                        code="too_many_pixels",
                        params={
                            "w": width,
                            "h": height,
                            "limit": settings.IMAGE_MAX_PIXELS // 10**6,
                        },
                    )
                if image_format not in ALLOWED_FORMATS:
                    raise ValidationError(
                        "%(format)s images are not accepted; use JPEG, PNG, WebP or GIF.",
                        code="bad_format",
                        params={"format": image_format},
                    )
                img.verify()
            # verify() leaves the file unusable; a full decode catches truncated data.
            file.seek(0)
            with PILImage.open(file) as img:
                img.load()
        extension = os.path.splitext(getattr(file, "name", "") or "")[1].lower()
        if extension not in ALLOWED_EXTENSIONS:
            raise ValidationError(
                "An image's file name must end in .jpg, .jpeg, .png, .webp or .gif "
                "(this one %(ends)s).",
                code="bad_extension",
                params={"ends": f"ends in “{extension}”" if extension else "has no extension"},
            )
    except ValidationError:
        raise
    except (PILImage.DecompressionBombError, PILImage.DecompressionBombWarning) as exc:
        raise ValidationError(
            "The image has too many pixels to be processed safely.", code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, SyntaxError) as exc:
        raise ValidationError(
            "The file is not an image Pillow can read (JPEG, PNG, WebP or GIF).", code="not_image"
        ) from exc
    except (OSError, ValueError) as exc:
        raise ValidationError(
            "The image file is damaged or truncated: %(error)s",
            code="damaged",
            params={"error": exc},
        ) from exc
    finally:
        file.seek(0)
