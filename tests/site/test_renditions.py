"""Responsive renditions: sizes, formats, orientation, caching, the {% picture %} tag, failures."""

import io
import logging
from html.parser import HTMLParser
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.template import Context, Template, TemplateSyntaxError
from PIL import Image as PILImage
from PIL import ImageCms

from articles import renditions
from articles.models import Image
from articles.renditions import (
    WIDTHS,
    candidate_widths,
    picture_context,
    rendition_name,
    rendition_url,
    srcset,
)

ORIENTATION = 0x0112
MAKE = 0x010F
RED, BLUE = (220, 20, 20), (20, 20, 220)


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def encode(img: PILImage.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    img.save(buffer, fmt, **options)
    return buffer.getvalue()


def make_image(data: bytes, name: str, alt: str = "A picture") -> Image:
    return Image.objects.create(file=SimpleUploadedFile(name, data), alt_text=alt)


def photo(size=(1000, 500), fmt="JPEG", name="photo.jpg", **options) -> Image:
    return make_image(encode(PILImage.new("RGB", size, RED), fmt, **options), name)


def path_of(url: str, settings) -> Path:
    """The file behind a media URL (FileSystemStorage under MEDIA_ROOT)."""
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


def parse_srcset(value: str) -> list[tuple[str, int]]:
    entries = []
    for candidate in value.split(", "):
        url, descriptor = candidate.split(" ")
        assert descriptor.endswith("w")
        entries.append((url, int(descriptor[:-1])))
    return entries


def open_rendition(url: str, settings) -> PILImage.Image:
    img = PILImage.open(path_of(url, settings))
    img.load()
    return img


class TagCollector(HTMLParser):
    """Collect start tags and their attributes (values come back unescaped)."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse_tags(html: str) -> list[tuple[str, dict]]:
    collector = TagCollector()
    collector.feed(html)
    return collector.tags


def render(source: str, **context) -> str:
    return Template("{% load images %}" + source).render(Context(context))


# --- sizes and formats ---------------------------------------------------------------------


def test_renditions_have_the_right_sizes_and_formats(db, settings):
    image = photo((1000, 500))
    context = picture_context(image, "100vw")

    webp = parse_srcset(context["webp_srcset"])
    fallback = parse_srcset(context["fallback_srcset"])
    assert [w for _, w in webp] == [w for _, w in fallback] == [320, 640, 960, 1000]
    for url, width in webp:
        img = open_rendition(url, settings)
        assert (img.format, img.size) == ("WEBP", (width, width // 2))
    for url, width in fallback:
        img = open_rendition(url, settings)
        assert (img.format, img.mode, img.size) == ("JPEG", "RGB", (width, width // 2))
        assert img.info.get("progressive") or img.info.get("progression")
    # The plain src is a medium rendition, not the multi-megabyte original.
    assert context["src"] == fallback[2][0]
    assert (context["width"], context["height"]) == (1000, 500)


def test_renditions_are_never_upscaled(db, settings):
    image = photo((200, 150), "PNG", "small.png")
    assert srcset(image, "webp").endswith(" 200w")
    assert len(parse_srcset(srcset(image, "webp"))) == 1
    img = open_rendition(rendition_url(image, 1920, "webp"), settings)
    assert img.size == (200, 150)


def test_opaque_png_falls_back_to_jpeg_transparent_png_to_png(db, settings):
    opaque = photo((400, 300), "PNG", "opaque.png")
    assert parse_srcset(picture_context(opaque, "100vw")["fallback_srcset"])[0][0].endswith(".jpg")

    canvas = PILImage.new("RGBA", (400, 300), (0, 0, 0, 0))
    canvas.paste((*BLUE, 255), (200, 0, 400, 300))
    logo = make_image(encode(canvas, "PNG"), "logo.png")
    context = picture_context(logo, "100vw")
    for key, fmt in (("fallback_srcset", "PNG"), ("webp_srcset", "WEBP")):
        url, width = parse_srcset(context[key])[0]
        img = open_rendition(url, settings).convert("RGBA")
        assert (width, img.size) == (320, (320, 240))
        assert open_rendition(url, settings).format == fmt
        assert img.getpixel((10, 10))[3] == 0  # transparent half stays transparent
        assert img.getpixel((310, 10))[3] == 255


def test_exif_rotated_source_comes_out_upright_and_stripped(db, settings):
    # Stored sideways (200×100: red left, blue right) with "rotate 90° clockwise to show".
    sideways = PILImage.new("RGB", (200, 100), RED)
    sideways.paste(BLUE, (100, 0, 200, 100))
    exif = PILImage.Exif()
    exif[ORIENTATION] = 6
    exif[MAKE] = "SecretCam"
    image = make_image(encode(sideways, "JPEG", exif=exif, quality=95), "phone.jpg")
    assert (image.width, image.height) == (200, 100)  # Django ignores EXIF orientation

    context = picture_context(image, "100vw")
    assert (context["width"], context["height"]) == (100, 200)
    for key in ("webp_srcset", "fallback_srcset"):
        [(url, width)] = parse_srcset(context[key])
        assert width == 100
        img = open_rendition(url, settings)
        assert img.size == (100, 200)
        rgb = img.convert("RGB")
        assert _near(rgb.getpixel((50, 20)), RED)  # the left edge is now the top
        assert _near(rgb.getpixel((50, 180)), BLUE)
        assert not img.getexif()
        assert b"SecretCam" not in path_of(url, settings).read_bytes()


def test_colour_profile_is_kept(db, settings):
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    image = photo((400, 200), "JPEG", "profiled.jpg", icc_profile=icc)
    for fmt in ("webp", "jpeg"):
        img = open_rendition(rendition_url(image, 320, fmt), settings)
        assert img.info.get("icc_profile") == icc


def _near(pixel, colour, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(pixel, colour, strict=True))


# --- widths --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source_width", "expected"),
    [
        (100, [100]),
        (320, [320]),
        (500, [320, 500]),
        (1280, [320, 640, 960, 1280]),
        (1919, [320, 640, 960, 1280, 1919]),
        (1920, list(WIDTHS)),
        (6000, list(WIDTHS)),
    ],
)
def test_candidate_widths_never_exceed_the_source(source_width, expected):
    assert candidate_widths(source_width) == expected


def test_srcset_of_a_large_image_lists_the_standard_widths(db):
    image = photo((3000, 30))
    assert [w for _, w in parse_srcset(srcset(image, "webp"))] == list(WIDTHS)


# --- caching -------------------------------------------------------------------------------


def test_renditions_are_made_once_then_reused(db, settings, monkeypatch):
    image = photo((1000, 500))
    first = picture_context(image, "100vw")
    files = sorted((Path(settings.MEDIA_ROOT) / "renditions").rglob("*"))
    stamps = {f: f.stat().st_mtime_ns for f in files}
    assert len([f for f in files if f.is_file()]) == 8  # 4 widths × (WebP + JPEG)

    def must_not_render(*args, **kwargs):
        raise AssertionError("a stored rendition was rendered again")

    monkeypatch.setattr(renditions, "_encode", must_not_render)
    fresh = Image.objects.get(pk=image.pk)  # a new request: nothing memoised on the instance
    assert picture_context(fresh, "100vw") == first
    assert {f: f.stat().st_mtime_ns for f in files} == stamps


def test_rendition_names_are_deterministic_and_follow_the_source(db):
    image = photo()
    name = rendition_name(image, 640, "webp")
    assert name == rendition_name(image, 640, "webp")
    assert name.startswith(f"renditions/{image.pk}/") and name.endswith(".webp")
    assert name != rendition_name(image, 640, "jpeg") != rendition_name(image, 320, "webp")
    image.file.name = "images/replaced.jpg"
    assert rendition_name(image, 640, "webp") != name


def test_two_workers_saving_the_same_rendition_leave_one_file(db, settings, monkeypatch):
    name = "renditions/7/abc.webp"
    renditions._save(name, b"same bytes")  # the other worker, first
    # Our worker checked before that save landed: its one exists() check is stale.
    real_exists = FileSystemStorage.exists
    checks = []

    def exists(self, n):
        checks.append(n)
        return False if len(checks) == 1 else real_exists(self, n)

    monkeypatch.setattr(FileSystemStorage, "exists", exists)
    renditions._save(name, b"same bytes")
    assert len(checks) > 1  # storage.save() ran, found the name taken and used another
    stored = list((Path(settings.MEDIA_ROOT) / "renditions" / "7").iterdir())
    assert [p.name for p in stored] == ["abc.webp"]  # the suffixed duplicate was removed
    assert stored[0].read_bytes() == b"same bytes"


# --- the template tag ----------------------------------------------------------------------


def test_picture_tag_renders_webp_source_and_img(db):
    alt = 'Toyota\'s "new" plant & <its> line'
    image = make_image(encode(PILImage.new("RGB", (1200, 800), RED), "JPEG"), "plant.jpg", alt)
    html = render(
        '{% picture image sizes="(min-width: 64rem) 42rem, 100vw" class="hero" %}', image=image
    )
    assert 'srcset=""' not in html
    assert "<its>" not in html  # autoescaped
    tags = parse_tags(html)
    assert [tag for tag, _ in tags] == ["picture", "source", "img"]
    source, img = tags[1][1], tags[2][1]
    assert source["type"] == "image/webp"
    assert [w for _, w in parse_srcset(source["srcset"])] == [320, 640, 960, 1200]
    assert source["sizes"] == img["sizes"] == "(min-width: 64rem) 42rem, 100vw"
    assert [w for _, w in parse_srcset(img["srcset"])] == [320, 640, 960, 1200]
    assert img["src"].endswith(".jpg")
    assert (img["width"], img["height"]) == ("1200", "800")
    assert img["alt"] == alt
    assert (img["loading"], img["decoding"], img["class"]) == ("lazy", "async", "hero")
    assert "fetchpriority" not in img


def test_picture_tag_for_a_hero(db):
    html = render('{% picture image loading="eager" fetchpriority="high" %}', image=photo())
    img = parse_tags(html)[-1][1]
    assert (img["loading"], img["fetchpriority"], img["sizes"]) == ("eager", "high", "100vw")
    assert "class" not in img


def test_picture_tag_without_image_renders_nothing(db):
    assert render("{% picture image %}", image=None).strip() == ""


@pytest.mark.parametrize(
    "source", ['{% picture image loading="soon" %}', '{% picture image style="x" %}']
)
def test_picture_tag_refuses_bad_arguments(db, source):
    with pytest.raises(TemplateSyntaxError):
        render(source, image=photo())


# --- failures ------------------------------------------------------------------------------


def _assert_plain_original(image, caplog):
    """The page still shows the original file with its model dimensions, and the log says why."""
    with caplog.at_level(logging.WARNING, logger="articles.renditions"):
        context = picture_context(image, "100vw")
        html = render("{% picture image %}", image=image)
    assert context["src"] == image.file.url
    assert context["webp_srcset"] == context["fallback_srcset"] == ""
    assert f"Image {image.pk}" in caplog.text
    tags = parse_tags(html)
    assert [tag for tag, _ in tags] == ["picture", "img"]
    img = tags[1][1]
    assert img["src"] == image.file.url
    assert "srcset" not in img and "sizes" not in img
    assert (img["width"], img["height"], img["alt"]) == ("1000", "500", image.alt_text)


def test_garbage_source_falls_back_to_the_original(db, settings, caplog):
    image = photo((1000, 500))
    path_of(image.file.url, settings).write_bytes(b"this is not a JPEG any more")
    _assert_plain_original(image, caplog)


def test_truncated_source_falls_back_to_the_original(db, settings, caplog):
    # The header reads fine (so the size is known); decoding the pixels fails.
    image = photo((1000, 500))
    path = path_of(image.file.url, settings)
    path.write_bytes(path.read_bytes()[:400])
    _assert_plain_original(image, caplog)
    assert not list((Path(settings.MEDIA_ROOT) / "renditions").rglob("*.*"))


def test_missing_source_falls_back_to_the_original(db, settings, caplog):
    image = photo((1000, 500))
    path_of(image.file.url, settings).unlink()
    _assert_plain_original(image, caplog)


def test_animated_gif_is_served_as_the_original(db):
    frames = [PILImage.new("RGB", (400, 300), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100)
    image = make_image(data, "anim.gif")
    context = picture_context(image, "100vw")
    assert context["src"] == image.file.url
    assert context["webp_srcset"] == ""


# --- the management command ----------------------------------------------------------------


def test_make_renditions_command(db, settings):
    good = [photo((700, 350)), photo((200, 100), "PNG", "small.png")]
    broken = photo((1000, 500), name="broken.jpg")
    path_of(broken.file.url, settings).write_bytes(b"garbage")
    out, err = StringIO(), StringIO()

    call_command("make_renditions", verbosity=0, stdout=out, stderr=err)

    # 700 px: 320, 640, 700; 200 px: 200 — each in WebP and JPEG.
    assert "Made 8 renditions; 1 image(s) could not be read." in out.getvalue()
    assert f"image {broken.pk} (images/" in err.getvalue()
    for image in good:
        for width in candidate_widths(image.width):
            for fmt in ("webp", "jpeg"):
                name = rendition_name(image, width, fmt)
                assert (Path(settings.MEDIA_ROOT) / name).is_file(), name

    out = StringIO()
    call_command("make_renditions", verbosity=0, stdout=out, stderr=StringIO())
    assert "Made 0 renditions" in out.getvalue()
