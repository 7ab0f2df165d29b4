"""The article screen: the permission table, workflow, revisions, lost edits, preview."""

import io
import threading
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.utils import timezone
from PIL import Image as PILImage

from articles import publishing
from articles.editing import StaleVersion, claim_version
from articles.models import Article, ArticleEntity, Author, Entity, Revision
from articles.preview import make_token
from articles.revisions import record_revision
from tests.admin.post_data import change_form_data
from tests.users import staff

AD = "Get up to $30,050 in trading rewards when you join Bybit today"


@pytest.fixture
def users(db):
    return {
        "reporter": staff("rita", "Reporter"),
        "other_reporter": staff("otto", "Reporter"),
        "editor": staff("eddie", "Editor"),
        "adops": staff("ada", "Ad operations"),
    }


def login(client, user):
    client.force_login(user)
    return client


def own_draft(make_article, user, **kw):
    article = make_article("draft", **kw)
    article.created_by = user
    article.save()
    record_revision(article, by=user, message="Created")
    return article


def url(article, suffix="change/"):
    return f"/admin/articles/article/{article.pk}/{suffix}"


# The permission table -------------------------------------------------------------------


def test_reporter_edits_own_drafts_only(client, users, make_article):
    mine = own_draft(make_article, users["reporter"])
    theirs = own_draft(make_article, users["other_reporter"])
    login(client, users["reporter"])
    assert client.get(url(mine)).status_code == 200
    assert client.get(url(theirs)).status_code == 403
    response = client.post(url(theirs), change_form_data(theirs, headline="Hijacked"))
    assert response.status_code == 403
    theirs.refresh_from_db()
    assert theirs.headline != "Hijacked"
    changelist = client.get("/admin/articles/article/").content.decode()
    assert mine.headline in changelist and theirs.headline not in changelist


def test_reporter_cannot_edit_own_article_once_in_review(client, users, make_article):
    mine = own_draft(make_article, users["reporter"])
    publishing.submit_for_review(mine, by=users["reporter"])
    mine.refresh_from_db()
    login(client, users["reporter"])
    response = client.post(url(mine), change_form_data(mine, headline="Changed after review"))
    assert response.status_code == 403
    mine.refresh_from_db()
    assert mine.headline != "Changed after review"


def test_reporter_creates_an_article_and_owns_it(client, users, section):
    author = Author.objects.create(name="Rita Reporter", slug="rita", user=users["reporter"])
    login(client, users["reporter"])
    data = {
        "headline": "A new story",
        "slug": "a-new-story",
        "dek": "",
        "section": section.pk,
        "genre": "news",
        "_save": "Save",
    }
    for prefix in ["article_authors", "entity_links", "corrections"]:
        data |= {f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0}
    data |= {"blocks-TOTAL_FORMS": 1, "blocks-INITIAL_FORMS": 0}
    data |= {"blocks-0-position": 0, "blocks-0-type": "paragraph", "blocks-0-text": "Body."}
    response = client.post("/admin/articles/article/add/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    article = Article.objects.get(slug="a-new-story")
    assert article.created_by == users["reporter"] and article.status == "draft"
    assert article.byline == [author]
    assert article.revisions.count() == 1


@pytest.mark.parametrize("suffix", ["publish/", "withdraw/"])
def test_reporter_cannot_publish_or_withdraw(client, users, make_article, suffix):
    mine = own_draft(make_article, users["reporter"])
    login(client, users["reporter"])
    assert client.get(url(mine, suffix)).status_code == 403
    assert client.post(url(mine, suffix), {"reason": "x"}).status_code == 403
    mine.refresh_from_db()
    assert mine.status == "draft"


def test_reporter_publish_action_is_not_offered(client, users, make_article):
    mine = own_draft(make_article, users["reporter"])
    login(client, users["reporter"])
    page = client.get("/admin/articles/article/").content.decode()
    assert "publish_selected" not in page and "submit_selected" in page
    client.post(
        "/admin/articles/article/", {"action": "publish_selected", "_selected_action": [mine.pk]}
    )
    mine.refresh_from_db()
    assert mine.status == "draft"


def test_reporter_submits_own_draft_for_review(client, users, make_article):
    mine = own_draft(make_article, users["reporter"])
    login(client, users["reporter"])
    client.post(
        "/admin/articles/article/", {"action": "submit_selected", "_selected_action": [mine.pk]}
    )
    mine.refresh_from_db()
    assert mine.status == "in_review"


@pytest.mark.parametrize(
    "path",
    ["", "add/", "import/", "{pk}/change/", "{pk}/publish/", "{pk}/history/", "{pk}/preview/"],
)
def test_ad_operations_cannot_open_any_article_screen(client, users, make_article, path):
    article = make_article()
    login(client, users["adops"])
    response = client.get("/admin/articles/article/" + path.format(pk=article.pk))
    assert response.status_code == 403


def test_ad_operations_post_to_an_article_is_refused(client, users, make_article):
    article = make_article()
    login(client, users["adops"])
    response = client.post(url(article), change_form_data(article, headline="Advertorial"))
    assert response.status_code == 403
    article.refresh_from_db()
    assert article.headline != "Advertorial"


def test_editor_edits_any_article_and_runs_the_workflow(client, users, make_article):
    theirs = own_draft(make_article, users["reporter"])
    login(client, users["editor"])
    response = client.post(url(theirs), change_form_data(theirs, headline="Edited by the desk"))
    assert response.status_code == 302
    theirs.refresh_from_db()
    assert theirs.headline == "Edited by the desk"
    for action, status in [
        ("submit_selected", "in_review"),
        ("return_selected_to_draft", "draft"),
        ("publish_selected", "published"),
    ]:
        client.post("/admin/articles/article/", {"action": action, "_selected_action": [theirs.pk]})
        theirs.refresh_from_db()
        assert theirs.status == status, action


def test_bulk_publish_reports_each_refusal(client, users, make_article):
    clean = make_article("draft")
    promotional = make_article("draft", paragraphs=[AD])
    login(client, users["editor"])
    response = client.post(
        "/admin/articles/article/",
        {"action": "publish_selected", "_selected_action": [clean.pk, promotional.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "1 article(s) published" in text and "reads as advertising" in text
    promotional.refresh_from_db()
    assert promotional.status == "draft"


# Block editing --------------------------------------------------------------------------


def test_blocks_can_be_reordered_by_their_numbers(client, users, make_article):
    article = make_article("draft", paragraphs=["First.", "Second.", "Third."])
    login(client, users["editor"])
    data = change_form_data(article)
    data |= {"blocks-0-position": 2, "blocks-2-position": 0}  # swap first and third
    assert client.post(url(article), data).status_code == 302
    texts = list(article.blocks.order_by("position").values_list("text", flat=True))
    assert texts == ["Third.", "Second.", "First."]
    assert list(article.blocks.values_list("position", flat=True).order_by("position")) == [0, 1, 2]


def test_duplicate_positions_get_a_form_error(client, users, make_article):
    article = make_article("draft", paragraphs=["First.", "Second."])
    login(client, users["editor"])
    data = change_form_data(article) | {"blocks-1-position": 0}
    response = client.post(url(article), data)
    assert response.status_code == 200 and "share position 0" in response.content.decode()


def test_block_type_rules_are_form_errors(client, users, make_article):
    article = make_article("draft", paragraphs=["First."])
    login(client, users["editor"])
    data = change_form_data(article) | {"blocks-0-attribution": "Someone"}
    response = client.post(url(article), data)
    assert "Only quotes have an attribution" in response.content.decode()


def test_hero_upload_needs_alt_text(client, users, make_article, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    article = make_article("draft")
    login(client, users["editor"])
    buffer = io.BytesIO()
    PILImage.new("RGB", (80, 60), "navy").save(buffer, "JPEG")
    photo = SimpleUploadedFile("hero.jpg", buffer.getvalue(), content_type="image/jpeg")
    response = client.post(url(article), change_form_data(article, hero_upload=photo))
    assert "alt text is required" in response.content.decode()
    photo.seek(0)
    data = change_form_data(article, hero_upload=photo, hero_alt_text="A navy rectangle")
    assert client.post(url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.hero_image.alt_text == "A navy rectangle"
    assert (article.hero_image.width, article.hero_image.height) == (80, 60)


def test_linker_suggestions_can_be_accepted(client, users, make_article):
    article = make_article("draft", paragraphs=["Officials in Tokyo said so."])
    tokyo = Entity.objects.create(kind="place", name="Tokyo", slug="tokyo", wikidata_id="Q1490")
    login(client, users["editor"])
    page = client.get(url(article)).content.decode()
    assert "Tokyo (place" in page
    data = change_form_data(article, accept_suggestions=[str(tokyo.pk)])
    assert client.post(url(article), data).status_code == 302
    link = ArticleEntity.objects.get(article=article)
    assert (link.entity, link.confirmed) == (tokyo, True)


# Revisions ------------------------------------------------------------------------------


def test_history_compare_and_restore(client, users, make_article):
    article = own_draft(make_article, users["editor"], paragraphs=["Prices rose sharply."])
    login(client, users["editor"])
    data = change_form_data(article, change_message="Tightened the lede")
    data["blocks-0-text"] = "Prices rose very sharply."
    assert client.post(url(article), data).status_code == 302
    history = client.get(url(article, "history/")).content.decode()
    assert "Tightened the lede" in history and "eddie" in history
    diff = client.get(url(article, "history/compare/") + "?a=1&b=2").content.decode()
    assert "<ins>very </ins>" in diff or "<ins>very</ins>" in diff
    response = client.post(url(article, "history/1/restore/"))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.version == 3
    assert article.blocks.get().text == "Prices rose sharply."
    assert list(Revision.objects.filter(article=article).values_list("version", flat=True)) == [
        3,
        2,
        1,
    ]


def test_compare_with_bad_versions_is_a_message_not_an_error(client, users, make_article):
    article = own_draft(make_article, users["editor"])
    login(client, users["editor"])
    response = client.get(url(article, "history/compare/") + "?a=x&b=1")
    assert response.status_code == 302
    assert client.get(url(article, "history/compare/") + "?a=1&b=99").status_code == 404


# No lost edits --------------------------------------------------------------------------


def test_stale_save_is_refused_and_keeps_the_text(client, users, make_article):
    article = own_draft(make_article, users["reporter"], paragraphs=["Original text."])
    opened = change_form_data(article)  # both editors open version 1
    first = User.objects.get(username="eddie")
    login(client, first)
    mine = dict(opened, headline="First editor's headline")
    assert client.post(url(article), mine).status_code == 302

    second = staff("sam", "Editor")
    login(client, second)
    theirs = dict(opened, headline="Second editor's headline")
    theirs["blocks-0-text"] = "Second editor's careful rewrite."
    response = client.post(url(article), theirs)
    text = response.content.decode()
    assert response.status_code == 200
    assert "eddie saved this article" in text
    assert "Second editor&#x27;s careful rewrite." in text  # their text is kept in the form
    assert "Second editor&#x27;s headline" in text
    assert "<ins>" in text  # and they see what changed
    article.refresh_from_db()
    assert article.headline == "First editor's headline" and article.version == 2
    # Having seen the changes, saving again is a deliberate choice and goes through.
    again = dict(theirs, expected_version=2)
    assert client.post(url(article), again).status_code == 302


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database cannot hold concurrent transactions; "
    "the suite's PostgreSQL run covers this",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_saves_from_one_version_let_exactly_one_through(section):
    """Real concurrent transactions (threads with their own connections)."""
    article = Article.objects.create(headline="Race", slug="race", section=section)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def save_from_version_1(n: int) -> None:
        try:
            barrier.wait()
            with transaction.atomic():
                claim_version(article.pk, 1)
                Article.objects.filter(pk=article.pk).update(headline=f"Saved by {n}")
                from articles.revisions import bump_version

                bump_version(Article.objects.get(pk=article.pk))
            outcomes.append("saved")
        except StaleVersion:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=save_from_version_1, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict"] * 7 + ["saved"]
    article.refresh_from_db()
    assert article.version == 2


# Preview --------------------------------------------------------------------------------


def test_signed_preview_link_shows_a_draft_without_an_account(client, make_article):
    draft = make_article("draft", headline="Embargoed scoop")
    assert client.get(draft.get_absolute_url()).status_code == 404
    response = client.get(f"/preview/{make_token(draft)}/")
    assert response.status_code == 200
    assert "Embargoed scoop" in response.content.decode()
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("token", ["1:forged", "abc", "1:1tamper:deadbeef"])
def test_forged_preview_links_are_refused(client, make_article, token):
    make_article("draft")
    assert client.get(f"/preview/{token}/").status_code == 404


def test_preview_links_expire(client, make_article, settings):
    draft = make_article("draft")
    token = make_token(draft)
    settings.PREVIEW_MAX_AGE = 48 * 3600
    assert client.get(f"/preview/{token}/").status_code == 200
    settings.PREVIEW_MAX_AGE = -1  # as if 48 hours had passed
    assert client.get(f"/preview/{token}/").status_code == 404


def test_a_token_for_one_article_does_not_open_another(client, make_article):
    first, second = make_article("draft", headline="First"), make_article("draft", headline="Two")
    html = client.get(f"/preview/{make_token(first)}/").content.decode()
    assert "First" in html and "Two" not in html
    assert str(second.pk) not in make_token(first).split(":")[0] or first.pk == second.pk


def test_staff_preview_and_change_page_offer_the_link(client, users, make_article):
    draft = own_draft(make_article, users["editor"], headline="Desk draft")
    login(client, users["editor"])
    assert "Desk draft" in client.get(url(draft, "preview/")).content.decode()
    # The change page offers to make a shareable link (a POST), not a ready-made one.
    page = client.get(url(draft)).content.decode()
    assert url(draft, "preview/link/") in page and 'href="/preview/' not in page


# Dashboard ------------------------------------------------------------------------------


def test_dashboard_panels(client, users, make_article):
    mine = own_draft(make_article, users["reporter"], headline="Rita's draft")
    review = own_draft(make_article, users["other_reporter"], headline="Otto's review piece")
    publishing.submit_for_review(review, by=users["other_reporter"])
    soon = make_article("draft", headline="Tomorrow's scheduled story")
    publishing.publish(soon, by=users["editor"], at=timezone.now() + timedelta(days=1))
    make_article(headline="Yesterday's published story")

    editor_page = login(client, users["editor"]).get("/admin/").content.decode()
    for text in ["Waiting for review", "Otto&#x27;s review piece", "Tomorrow&#x27;s scheduled",
                 "Yesterday&#x27;s published", "Sponsored: running now"]:  # fmt: skip
        assert text in editor_page, text
    reporter_page = login(client, users["reporter"]).get("/admin/").content.decode()
    assert "Rita&#x27;s draft" in reporter_page and "Otto&#x27;s review piece" not in reporter_page
    assert "Sponsored: running now" not in reporter_page
    assert mine.pk
