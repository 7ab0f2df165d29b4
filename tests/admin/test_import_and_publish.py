"""The admin's import screen and publish/withdraw screens, through the real views."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from articles.demo.generator import ensure_sections
from articles.demo.seed import SEED_ARTICLE, load_gazetteer
from articles.models import Article, AuditEntry, Section, SponsoredBlock
from tests.admin.post_data import change_form_data
from tests.users import staff

AD = "Get up to $30,050 in trading rewards when you join Bybit today"


@pytest.fixture
def editor_client(db, client):
    ensure_sections()
    load_gazetteer()
    client.force_login(staff("ed", "Editor"))
    return client


def test_import_by_upload_creates_a_draft_and_reports_the_advert(editor_client):
    upload = SimpleUploadedFile("seed.txt", SEED_ARTICLE.read_bytes(), content_type="text/plain")
    section = Section.objects.get(slug="business")
    response = editor_client.post(
        "/admin/articles/article/import/",
        {"file": upload, "format": "auto", "section": section.pk},
        follow=True,
    )
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/articles/article/{article.pk}/change/"
    text = response.content.decode()
    assert "Set apart as advertising" in text and "Bybit" in text
    # The copy desk's warnings are not shown on import, only its success.
    assert article.status == "draft"
    assert SponsoredBlock.objects.get().active is False


def test_import_by_paste(editor_client):
    section = Section.objects.get(slug="world")
    editor_client.post(
        "/admin/articles/article/import/",
        {
            "text": "A pasted headline\n\nA dek.\n\nBody text.",
            "format": "auto",
            "section": section.pk,
        },
    )
    assert Article.objects.get().headline == "A pasted headline"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Upload a file or paste"),
        ({"text": "Headline only"}, "No body text"),
        ({"file": SimpleUploadedFile("x.txt", b"\x00\x01")}, "binary file"),
    ],
)
def test_bad_imports_show_a_form_error_and_save_nothing(editor_client, data, message):
    section = Section.objects.get(slug="world")
    response = editor_client.post(
        "/admin/articles/article/import/", {"format": "auto", "section": section.pk} | data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_ad_operations_cannot_import(db, client):
    client.force_login(staff("ads", "Ad operations"))
    assert client.get("/admin/articles/article/import/").status_code == 403


@pytest.fixture
def promo_draft(make_article):
    return make_article("draft", paragraphs=["Toyota said exports rose.", AD])


def test_publish_refused_in_the_admin_names_the_block(editor_client, promo_draft):
    response = editor_client.post(f"/admin/articles/article/{promo_draft.pk}/publish/", {})
    text = response.content.decode()
    assert response.status_code == 200
    assert "Block 2 reads as advertising" in text
    promo_draft.refresh_from_db()
    assert promo_draft.status == "draft"


def test_override_with_reason_publishes_and_is_logged(editor_client, promo_draft):
    response = editor_client.post(
        f"/admin/articles/article/{promo_draft.pk}/publish/",
        {"override_reason": "The line is quoted evidence in a court report."},
    )
    assert response.status_code == 302
    promo_draft.refresh_from_db()
    assert promo_draft.status == "published"
    entry = AuditEntry.objects.get(action="ad_check_override")
    assert entry.message == "The line is quoted evidence in a court report."


def test_schedule_from_the_admin(editor_client, make_article):
    article = make_article("draft")
    when = (timezone.now() + timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    editor_client.post(f"/admin/articles/article/{article.pk}/publish/", {"publish_at": when})
    article.refresh_from_db()
    assert article.status == "published" and article.publish_at > timezone.now()
    assert not Article.objects.published().filter(pk=article.pk).exists()


def test_reporter_cannot_publish(db, client, make_article):
    article = make_article("draft")
    client.force_login(staff("rep", "Reporter"))
    assert client.post(f"/admin/articles/article/{article.pk}/publish/", {}).status_code == 403


def test_withdraw_needs_a_reason(editor_client, make_article):
    article = make_article()
    response = editor_client.post(f"/admin/articles/article/{article.pk}/withdraw/", {"reason": ""})
    assert "This field is required" in response.content.decode()
    editor_client.post(f"/admin/articles/article/{article.pk}/withdraw/", {"reason": "Legal"})
    article.refresh_from_db()
    assert article.status == "withdrawn"


def test_saving_records_a_revision_and_shows_copy_desk_warnings(editor_client, make_article):
    article = make_article("draft", paragraphs=["That change WOULD allow it."])
    response = editor_client.post(
        f"/admin/articles/article/{article.pk}/change/",
        change_form_data(article, dek="A dek that says former President Trump"),
        follow=True,
    )
    text = response.content.decode()
    assert "Copy desk (block 1)" in text and "WOULD" in text
    article.refresh_from_db()
    assert article.dek == "A dek that says former President Trump"
    assert article.version == 2 and article.revisions.filter(version=2).exists()
