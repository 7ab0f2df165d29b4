"""Responsive image renditions: resized JPEG/PNG and WebP copies of an Image, made by Pillow.

A rendition is identified by a deterministic storage name derived from the source file's name,
the width, the format and RENDITION_VERSION, so:

- "does it exist?" is one cheap `storage.exists()` call, no database, no bookkeeping;
- a replaced source file (new name) gets new URLs, so renditions can be cached forever by
  browsers and CDNs;
- two workers rendering the same rendition at once produce the same bytes under the same name:
  the first save wins and the loser's duplicate is deleted (no lock needed).

Renditions are made lazily on the first page view that needs them, and `manage.py
make_renditions` pre-generates them for every image. Everything goes through Django's default
storage, so moving media to S3-compatible storage needs no change here.

Public API: `rendition_url()`, `srcset()`, `picture_context()` (the safe one for templates, which
never raises for a bad source) and `generate_renditions()` (for the command or an upload hook).
"""

import hashlib
import io
import logging
import mimetypes
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import ExifTags, ImageOps
from PIL import Image as PILImage

logger = logging.getLogger(__name__)

# Target widths in CSS pixels × density; covers phones at 1x up to wide screens at 2x.
WIDTHS = (320, 640, 960, 1280, 1920)

# Bump when the encoding below changes: every rendition then gets a new name (and URL).
RENDITION_VERSION = 1

WEBP_QUALITY = 80
JPEG_QUALITY = 85

# The fallback <img src> for browsers that ignore srcset: a medium size, not the largest.
DEFAULT_SRC_WIDTH = 960

# fmt name → (Pillow format, file extension, MIME type)
FORMATS = {
    "webp": ("WEBP", "webp", "image/webp"),
    "jpeg": ("JPEG", "jpg", "image/jpeg"),
    "png": ("PNG", "png", "image/png"),
}

# What a damaged, truncated, missing or unreadable source raises while being opened or decoded.
SOURCE_ERRORS = (OSError, ValueError, SyntaxError, EOFError, PILImage.DecompressionBombError)

# EXIF orientations that turn the picture by 90° (width and height swap when shown upright).
_QUARTER_TURNS = {5, 6, 7, 8}


@dataclass(frozen=True)
class SourceInfo:
    """What renditions need to know about a source file, read from its header only."""

    width: int  # upright, i.e. after the EXIF orientation is applied
    height: int
    fallback: str  # "png" when the source may have transparency, otherwise "jpeg"
    animated: bool  # animated GIF/WebP/APNG: renditions would keep only the first frame


def source_info(image) -> SourceInfo:
    """Read the source's upright size, transparency and animation from its header.

    The model's width/height come from Django, which ignores EXIF orientation, so a phone photo
    taken upright would be described sideways; Pillow's header read is cheap (no pixel decode).
    Memoised on the instance so one page render opens each source once.
    """
    cached = getattr(image, "_rendition_source_info", None)
    if cached is not None and cached[0] == image.file.name:
        return cached[1]
    with default_storage.open(image.file.name, "rb") as fh, PILImage.open(fh) as img:
        width, height = img.size
        if img.getexif().get(ExifTags.Base.Orientation) in _QUARTER_TURNS:
            width, height = height, width
        info = SourceInfo(
            width=width,
            height=height,
            fallback="png" if img.has_transparency_data else "jpeg",
            animated=bool(getattr(img, "is_animated", False)),
        )
    image._rendition_source_info = (image.file.name, info)
    return info


def candidate_widths(source_width: int) -> list[int]:
    """Widths worth offering for a source this wide: never wider than the source.

    The source's own width is added (capped at the largest standard width) when it falls
    between two standard widths, so a 1000 px original is offered at 1000, not only at 960,
    and a 200 px original still gets a (re-encoded, stripped) 200 px rendition.
    """
    widths = [w for w in WIDTHS if w <= source_width]
    if source_width < WIDTHS[-1] and source_width not in widths:
        widths.append(source_width)
    return widths


def rendition_name(image, width: int, fmt: str) -> str:
    """Deterministic storage name of one rendition, e.g. renditions/42/3f…c1.webp."""
    if image.pk is None:
        raise ValueError("Renditions need a saved Image (they are stored under its id).")
    if fmt not in FORMATS:
        raise ValueError(f"Unknown rendition format {fmt!r}; use one of {sorted(FORMATS)}.")
    key = f"{image.file.name}|{width}|{fmt}|v{RENDITION_VERSION}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:20]
    return f"renditions/{image.pk}/{digest}.{FORMATS[fmt][1]}"


def rendition_url(image, width: int, fmt: str) -> str:
    """URL of the image at `width` (clamped to the source's width) in `fmt`, made if missing.

    Raises one of SOURCE_ERRORS if the source cannot be read; templates use picture_context().
    """
    info = source_info(image)
    width = min(width, info.width)
    names = _ensure(image, info, [(width, fmt)])
    return default_storage.url(names[(width, fmt)])


def srcset(image, fmt: str) -> str:
    """A srcset value ("url 320w, url 640w, …") in `fmt`, making missing renditions.

    Raises one of SOURCE_ERRORS if the source cannot be read; templates use picture_context().
    """
    info = source_info(image)
    wanted = [(w, fmt) for w in candidate_widths(info.width)]
    names = _ensure(image, info, wanted)
    return _srcset_value(names, wanted)


def picture_context(image, sizes: str) -> dict:
    """Everything templates/articles/includes/picture.html needs to show `image`.

    Keys: webp_srcset, fallback_srcset, src, width, height, alt, sizes. The srcsets are empty
    when there is nothing responsive to offer (animated or unreadable source): the template
    then shows the original file alone. Never raises for a bad source file: a public page must
    not fail because one upload is damaged; the problem is logged instead.
    Returns {} when there is no image (or no file) at all.
    """
    if image is None or not image.file:
        return {}
    context = {
        "webp_srcset": "",
        "fallback_srcset": "",
        "src": image.file.url,
        "width": image.width,
        "height": image.height,
        "alt": image.alt_text,
        "sizes": sizes,
    }
    try:
        info = source_info(image)
        context.update(width=info.width, height=info.height)
        if info.animated:
            # A still rendition would silently drop the animation: serve the original.
            return context
        widths = candidate_widths(info.width)
        webp = [(w, "webp") for w in widths]
        fallback = [(w, info.fallback) for w in widths]
        names = _ensure(image, info, webp + fallback)
    except SOURCE_ERRORS:
        logger.warning(
            "Image %s (%s): cannot make renditions, showing the original file.",
            image.pk,
            image.file.name,
            exc_info=True,
        )
        return context
    src_width = max([w for w in widths if w <= DEFAULT_SRC_WIDTH], default=widths[0])
    context.update(
        webp_srcset=_srcset_value(names, webp),
        fallback_srcset=_srcset_value(names, fallback),
        src=default_storage.url(names[(src_width, info.fallback)]),
    )
    return context


@dataclass(frozen=True)
class StoredFile:
    """One stored file of an image: what a feed enclosure says about it."""

    url: str  # as storage gives it (relative to the site for local media)
    length: int  # in bytes
    mime_type: str


def medium_rendition(image) -> StoredFile | None:
    """The image's JPEG/PNG rendition at the page's fallback width (DEFAULT_SRC_WIDTH, or the
    source's width if narrower), made if missing; the original for an animated source.

    For feed enclosures, which need a size in bytes and a type. Never raises for a bad source
    (None, logged), as a feed must not fail because one upload is damaged.
    """
    if image is None or not image.file:
        return None
    try:
        info = source_info(image)
        if info.animated:
            name = image.file.name
            mime_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
        else:
            width = min(DEFAULT_SRC_WIDTH, info.width)
            name = _ensure(image, info, [(width, info.fallback)])[(width, info.fallback)]
            mime_type = FORMATS[info.fallback][2]
        return StoredFile(default_storage.url(name), default_storage.size(name), mime_type)
    except SOURCE_ERRORS:
        logger.warning("Image %s (%s): no rendition for a feed.", image.pk, image.file.name)
        return None


def generate_renditions(image) -> int:
    """Make every rendition picture_context() would use; return how many were new.

    For `manage.py make_renditions`, or to call right after an Image is created (see the
    module docstring). Raises one of SOURCE_ERRORS if the source cannot be read.
    """
    info = source_info(image)
    if info.animated:
        return 0
    widths = candidate_widths(info.width)
    wanted = [(w, "webp") for w in widths] + [(w, info.fallback) for w in widths]
    missing = [pair for pair in wanted if not default_storage.exists(rendition_name(image, *pair))]
    _ensure(image, info, missing)
    return len(missing)


def _srcset_value(names: dict, wanted: list[tuple[int, str]]) -> str:
    """Join rendition URLs with their width descriptors, in the order given."""
    return ", ".join(f"{default_storage.url(names[(w, fmt)])} {w}w" for w, fmt in wanted)


def _ensure(image, info: SourceInfo, wanted: list[tuple[int, str]]) -> dict:
    """Return {(width, fmt): storage name}, rendering only the renditions not stored yet.

    The source is decoded at most once, and only when something is missing: a warm page
    costs one exists() call per rendition.
    """
    names = {pair: rendition_name(image, *pair) for pair in wanted}
    missing = [pair for pair, name in names.items() if not default_storage.exists(name)]
    if not missing:
        return names
    with default_storage.open(image.file.name, "rb") as fh, PILImage.open(fh) as img:
        # exif_transpose returns an upright, fully decoded copy (a corrupt file fails here).
        upright = ImageOps.exif_transpose(img)
        icc_profile = img.info.get("icc_profile")
    for width, fmt in missing:
        data = _encode(upright, width, fmt, icc_profile)
        _save(names[(width, fmt)], data)
    return names


def _encode(upright: PILImage.Image, width: int, fmt: str, icc_profile: bytes | None) -> bytes:
    """Resize (never up) and encode one rendition; only the colour profile is kept."""
    pil_format = FORMATS[fmt][0]
    has_alpha = upright.has_transparency_data and fmt != "jpeg"
    # Resample in RGB(A): palette and CMYK images cannot be resized smoothly, JPEG has no alpha.
    mode = "RGBA" if has_alpha else "RGB"
    if upright.mode == mode:
        img = upright
    elif upright.has_transparency_data and mode == "RGB":
        # Flatten transparency onto white, as a page background would show it.
        rgba = upright.convert("RGBA")
        img = PILImage.new("RGB", rgba.size, (255, 255, 255))
        img.paste(rgba, mask=rgba.getchannel("A"))
    else:
        img = upright.convert(mode)
    width = min(width, img.width)
    if width != img.width:
        height = max(1, round(img.height * width / img.width))
        # reducing_gap: a fast box pre-shrink, then Lanczos; no visible loss at these ratios.
        img = img.resize((width, height), PILImage.Resampling.LANCZOS, reducing_gap=3.0)
    else:
        img = img.copy()
    # Drop EXIF (camera, GPS), XMP, comments: resize/convert copy them along in .info.
    img.info = {}
    options: dict = {"icc_profile": icc_profile} if icc_profile else {}
    if pil_format == "WEBP":
        options.update(quality=WEBP_QUALITY, method=4)
    elif pil_format == "JPEG":
        options.update(quality=JPEG_QUALITY, progressive=True, optimize=True)
    # PNG: default zlib level; optimize=True is several times slower for a few percent.
    buffer = io.BytesIO()
    img.save(buffer, pil_format, **options)
    return buffer.getvalue()


def _save(name: str, data: bytes) -> None:
    """Store a rendition under its exact name, tolerating a concurrent worker doing the same.

    Storages never overwrite: if another worker saved `name` first, ours lands under a
    suffixed name, which is deleted (both files hold the same bytes).
    """
    if default_storage.exists(name):
        return  # another worker finished it while we were decoding the source
    saved = default_storage.save(name, ContentFile(data))
    if saved != name:
        default_storage.delete(saved)
