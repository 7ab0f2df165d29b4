"""Uploads are stored under random names (issue 13, item 9): the name an image was uploaded
under ("ceo-resigns.jpg") never appears in a stored file's name or in any media URL."""

import io
import re

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from PIL import Image as PILImage

from articles import publishing, renditions
from articles.models import Image, Sponsor
from tests.admin.post_data import change_form_data
from tests.users import staff

SECRET_NAME = "ceo-resigns-tomorrow"
RANDOM_NAME = re.compile(r"^images/\d{4}/\d{2}/[0-9a-f]{32}\.jpg$")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def jpeg(name: str = f"{SECRET_NAME}.JPG") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (1400, 700), "navy").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def upload_through_image_admin(client, alt: str) -> Image:
    response = client.post(
        "/admin/articles/image/add/", {"file": jpeg(), "alt_text": alt, "caption": "", "credit": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return Image.objects.get(alt_text=alt)


def test_image_admin_stores_an_upload_under_a_random_name(client, roles, media):
    client.force_login(staff("eddie", "Editor"))
    first = upload_through_image_admin(client, "First upload")
    second = upload_through_image_admin(client, "Second upload")
    for image in (first, second):
        assert RANDOM_NAME.match(image.file.name), image.file.name
        assert SECRET_NAME not in image.file.url
        assert (media / image.file.name).exists()
    # Random, not derived from the upload: the same name twice gives two unrelated names.
    assert first.file.name != second.file.name
    assert not list(media.rglob(f"*{SECRET_NAME}*"))


def test_hero_upload_and_its_renditions_never_show_the_uploaded_name(
    client, roles, make_article, media
):
    editor = staff("eddie", "Editor")
    article = make_article("draft", headline="Succession story")
    client.force_login(editor)
    data = change_form_data(article, hero_upload=jpeg(), hero_alt_text="The chief executive")
    assert client.post(f"/admin/articles/article/{article.pk}/change/", data).status_code == 302
    article.refresh_from_db()
    assert RANDOM_NAME.match(article.hero_image.file.name), article.hero_image.file.name
    publishing.publish(article, by=editor)
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    media_urls = re.findall(r"/media/[^\"' ,]+", html)
    assert any("/renditions/" in u for u in media_urls), media_urls  # the page uses renditions
    assert not [u for u in media_urls if SECRET_NAME in u]
    assert not list(media.rglob(f"*{SECRET_NAME}*"))  # nor any file on disk


def test_sponsor_logos_are_images_stored_under_random_names(client, roles, media):
    # Ad operations upload logos through the same Image screen: same random names.
    client.force_login(staff("ada", "Ad operations"))
    logo = upload_through_image_admin(client, "Acme logo")
    assert RANDOM_NAME.match(logo.file.name)
    assert Sponsor._meta.get_field("logo").related_model is Image


def test_images_uploaded_before_random_names_are_moved_by_rename_images(
    client, roles, make_article, media
):
    # As stored before random names: the uploaded name in the path, renditions made from it.
    legacy_name = default_storage.save(
        f"images/2026/03/{SECRET_NAME}.jpg", ContentFile(jpeg().read())
    )
    legacy = Image.objects.create(file=legacy_name, alt_text="Legacy hero")
    renditions.generate_renditions(legacy)
    old_renditions = sorted(p.name for p in (media / "renditions" / str(legacy.pk)).iterdir())
    assert old_renditions
    article = make_article("published", hero_image=legacy)

    call_command("rename_images", verbosity=0)

    legacy.refresh_from_db()
    assert RANDOM_NAME.match(legacy.file.name), legacy.file.name
    assert not list(media.rglob(f"*{SECRET_NAME}*"))
    html = client.get(article.get_absolute_url()).content.decode()
    media_urls = re.findall(r"/media/[^\"' ,]+", html)
    assert any(legacy.file.name in u or "/renditions/" in u for u in media_urls), media_urls
    assert not [u for u in media_urls if SECRET_NAME in u]
    # Renditions named after the guessable name are gone; new ones follow the random name.
    now = sorted(p.name for p in (media / "renditions" / str(legacy.pk)).iterdir())
    assert now and not set(now) & set(old_renditions)
    # Running it again moves nothing.
    call_command("rename_images", verbosity=0)
    before = legacy.file.name
    legacy.refresh_from_db()
    assert legacy.file.name == before
