"""Uploads: a bad image gets a clear error and leaves nothing behind — no Image row, no file
under MEDIA_ROOT — through every write path: the admin's Image add form, the article screen's
hero upload, and the model's full_clean().

On the two admin paths Django's forms.ImageField opens the file with Pillow before our
validator (articles/images.py) runs, so for a file Pillow cannot open at all its own message
("Upload a valid image…") is what the editor sees; each case lists the messages that count as
clear for it.

An image polyglot (a real GIF with HTML appended) is a valid image to Pillow and is accepted.
It is stored as uploaded (not re-encoded): what keeps it harmless is that its name must end in
an image extension, so it is served as image/*, with `X-Content-Type-Options: nosniff`; the
renditions pages use are re-encoded by Pillow and carry none of the appended bytes.
"""

import io
import os
import re
import struct
import zlib
from dataclasses import dataclass, field

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path, re_path
from django.views.static import serve
from PIL import Image as PILImage

from articles.models import Image, Revision
from articles.renditions import picture_context
from tests.admin.post_data import change_form_data

DJANGO_NOT_AN_IMAGE = (
    "Upload a valid image. The file you uploaded was either not an image or a corrupted image."
)
NOT_AN_IMAGE = "The file is not an image Pillow can read (JPEG, PNG, WebP or GIF)."
TOO_MANY_PIXELS = "The image has too many pixels to be processed safely."
BAD_EXTENSION = "An image's file name must end in .jpg, .jpeg, .png, .webp or .gif"
SCRIPT = b"<html><body><script>alert(document.domain)</script></body></html>"


# --- Bad files ------------------------------------------------------------------------------


def encoded(image: PILImage.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, fmt, **options)
    return buffer.getvalue()


def noise_jpeg(width: int, height: int, quality: int = 90) -> bytes:
    """A photo-like JPEG (random pixels compress badly, so the file is big for its size)."""
    pixels = PILImage.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    return encoded(pixels, "JPEG", quality=quality)


def png_claiming(width: int, height: int) -> bytes:
    """A PNG header claiming width×height 1-bit pixels, with one compressed row of data: a few
    hundred bytes that would decode to width×height/8 bytes of memory."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    row = zlib.compress(b"\x00" * (1 + (width + 7) // 8), 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", row) + chunk(b"IEND", b"")


def gif() -> bytes:
    return encoded(PILImage.new("P", (24, 16), 3), "GIF")


def truncated_jpeg() -> bytes:
    data = noise_jpeg(320, 240)
    return data[: len(data) // 2]  # headers intact, scan data cut off


SVG = (
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">'
    b"<script>alert(document.cookie)</script></svg>"
)


@dataclass
class Case:
    filename: str
    data: object  # bytes, or a function making them
    # Acceptable messages (exact, or a prefix ending in "…") on the model path and the admin.
    model: list[str]
    admin: list[str]
    settings: dict = field(default_factory=dict)

    def upload(self) -> SimpleUploadedFile:
        data = self.data() if callable(self.data) else self.data
        return SimpleUploadedFile(self.filename, data, content_type="image/jpeg")


CASES = {
    "truncated-jpeg": Case(
        "cut.jpg",
        truncated_jpeg,
        model=["The image file is damaged or truncated: …"],
        admin=["The image file is damaged or truncated: …", DJANGO_NOT_AN_IMAGE],
    ),
    # 50,000 × 50,000 = 2.5 gigapixels in a few hundred bytes: Pillow's own bomb error.
    "decompression-bomb": Case(
        "bomb.png",
        png_claiming(50_000, 50_000),
        model=[TOO_MANY_PIXELS],
        admin=[TOO_MANY_PIXELS, DJANGO_NOT_AN_IMAGE],
    ),
    # 100 megapixels: only a warning to Pillow, an error to us.
    "decompression-bomb-warning": Case(
        "bomb.png",
        png_claiming(10_000, 10_000),
        model=[TOO_MANY_PIXELS],
        admin=[TOO_MANY_PIXELS, DJANGO_NOT_AN_IMAGE],
    ),
    # Under Pillow's limits, over ours (IMAGE_MAX_PIXELS, 40 megapixels).
    "over-the-pixel-limit": Case(
        "wide.png",
        png_claiming(8_000, 6_000),
        model=["The image is 8000×6000 pixels; the limit is 40 megapixels."],
        admin=["The image is 8000×6000 pixels; the limit is 40 megapixels."],
    ),
    "svg-with-script": Case(
        "drawing.svg", SVG, model=[NOT_AN_IMAGE], admin=[NOT_AN_IMAGE, DJANGO_NOT_AN_IMAGE]
    ),
    "non-image-named-jpg": Case(
        "photo.jpg", SCRIPT, model=[NOT_AN_IMAGE], admin=[NOT_AN_IMAGE, DJANGO_NOT_AN_IMAGE]
    ),
    "polyglot-named-html": Case(
        "page.html",
        lambda: gif() + SCRIPT,
        model=[BAD_EXTENSION + "…"],
        admin=[BAD_EXTENSION + "…", "File extension “html” is not allowed. …"],
    ),
    # .pdf is one of Pillow's extensions, so Django's own extension check lets it through.
    "polyglot-named-pdf": Case(
        "document.pdf",
        lambda: gif() + SCRIPT,
        model=[BAD_EXTENSION + "…"],
        admin=[BAD_EXTENSION + "…"],
    ),
    "huge-file": Case(
        "huge.jpg",
        lambda: noise_jpeg(1000, 800, quality=100),
        model=["The file is … MB; the limit is 1.0 MB."],
        admin=["The file is … MB; the limit is 1.0 MB."],
        settings={"IMAGE_MAX_BYTES": 1024 * 1024},
    ),
    "zero-bytes": Case(
        "empty.jpg",
        b"",
        model=["The file is empty."],
        admin=["The file is empty.", "The submitted file is empty."],
    ),
}


def matches(messages: list[str], expected: list[str]) -> bool:
    """Whether one of `messages` is one of `expected` ("…" in an expected message: any text)."""
    patterns = [re.escape(e).replace("…", ".*") for e in expected]
    return any(re.fullmatch(p, m, re.S) for p in patterns for m in messages)


# --- Where uploads go -----------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def files_in(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


@pytest.fixture
def editor_client(client, roles):
    # No password: force_login needs none, and hashing one costs half a second a test.
    editor = User.objects.create_user("uploading-editor", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editor"))
    client.force_login(editor)
    client.raise_request_exception = False  # a crash must show as a 500, not pass as an error
    return client


def upload_through(way: str, case: Case, client, make_article) -> tuple[int, list[str], dict]:
    """Send `case`'s file along one write path; return the HTTP status (0 for the model), the
    messages shown for the file and what must not have changed."""
    if way == "model":
        try:
            # Assigning the file makes Django read its dimensions (width_field/height_field).
            image = Image(file=case.upload(), alt_text="A picture")
            image.full_clean()
        except ValidationError as error:
            return 0, error.message_dict.get("file", []), {}
        except Exception as error:  # what a view calling this would turn into a 500
            pytest.fail(f"crashed before validation could refuse it: {error!r}")
        image.save()
        return 0, [], {}
    if way == "image-admin":
        data = {"file": case.upload(), "alt_text": "A picture", "caption": "", "credit": ""}
        response = client.post("/admin/articles/image/add/", data)
        errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
        return response.status_code, errors.get("file", []), {}
    article = make_article()
    revisions = Revision.objects.filter(article=article).count()
    data = change_form_data(article, hero_upload=case.upload(), hero_alt_text="A picture")
    response = client.post(f"/admin/articles/article/{article.pk}/change/", data)
    errors = response.context["adminform"].form.errors if response.status_code == 200 else {}
    article.refresh_from_db()
    after = {
        "hero image": (article.hero_image_id, None),
        "version": (article.version, data["expected_version"]),
        "revisions": (Revision.objects.filter(article=article).count(), revisions),
    }
    return response.status_code, errors.get("hero_upload", []), after


WAYS = ["model", "image-admin", "hero-upload"]


@pytest.mark.django_db
@pytest.mark.parametrize("way", WAYS)
@pytest.mark.parametrize("name", CASES)
def test_a_bad_upload_is_refused_clearly_and_nothing_is_stored(
    name, way, media, settings, editor_client, make_article
):
    case = CASES[name]
    for setting, value in case.settings.items():
        setattr(settings, setting, value)
    images, files = Image.objects.count(), files_in(media)

    status, messages, unchanged = upload_through(way, case, editor_client, make_article)

    assert status in (0, 200), f"HTTP {status}: the upload was stored or crashed"
    expected = case.model if way == "model" else case.admin
    assert matches(messages, expected), f"messages {messages}, expected one of {expected}"
    assert Image.objects.count() == images, "an Image row was stored"
    assert files_in(media) == files, "a file was left under MEDIA_ROOT"
    for what, (now, before) in unchanged.items():
        assert now == before, f"the article's {what} changed"


# --- A polyglot that is a real image -----------------------------------------------------------


def serve_media(request, path):
    """Media as `manage.py runserver` serves it in development (newsroom/urls.py, DEBUG)."""
    return serve(request, path, document_root=django_settings.MEDIA_ROOT)


urlpatterns = [
    re_path(r"^media/(?P<path>.+)$", serve_media),
    path("", include("newsroom.urls")),
]


@pytest.mark.django_db
@pytest.mark.urls(__name__)
def test_an_image_polyglot_is_accepted_but_only_ever_served_as_an_image(media, editor_client):
    """A GIF with an HTML page appended is a valid GIF. It may be stored, but never as
    something a browser would render as HTML: an image extension, an image/* content type,
    nosniff; and the renditions pages actually show are re-encoded without the HTML."""
    upload = SimpleUploadedFile("poly.gif", gif() + SCRIPT, content_type="image/gif")
    response = editor_client.post(
        "/admin/articles/image/add/", {"file": upload, "alt_text": "A square"}
    )
    assert response.status_code == 302, response.content[:500]
    image = Image.objects.get()
    assert image.file.name.endswith(".gif")

    served = editor_client.get(image.file.url)
    assert served.status_code == 200
    assert served["Content-Type"] == "image/gif"
    assert served["X-Content-Type-Options"] == "nosniff"

    # What we do today: the original is kept byte for byte (not re-encoded).
    assert SCRIPT in (media / image.file.name).read_bytes()
    # Pages use renditions; Pillow writes them afresh, without the appended page.
    picture_context(image, "100vw")
    renditions = [f for f in files_in(media) if f != image.file.name]
    assert renditions, "no renditions were made"
    assert not [f for f in renditions if b"<script" in (media / f).read_bytes()]
