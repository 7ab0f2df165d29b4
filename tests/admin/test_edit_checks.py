"""Editing a published or scheduled article passes the same advertising check as publishing.

Through the real change form, history restore and publish screen, as the demo roles use them.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles import publishing
from articles.models import AuditEntry, Revision
from articles.revisions import record_revision
from tests.admin.post_data import change_form_data
from tests.users import staff

AD = "Join Bybit today and sign up with code NEWS50 for a $50 bonus."
REASON = "The line is quoted evidence in a court report on the exchange."


@pytest.fixture
def editor_client(client, roles):
    client.force_login(staff("eddie", "Editor"))
    return client


def change_url(article, suffix="change/") -> str:
    return f"/admin/articles/article/{article.pk}/{suffix}"


def with_added_paragraph(article, text: str, **overrides) -> dict:
    """The change form's POST with one paragraph added at the end of the body."""
    data = change_form_data(article, **overrides)
    n = data["blocks-TOTAL_FORMS"]
    data["blocks-TOTAL_FORMS"] = n + 1
    data |= {
        f"blocks-{n}-id": "",
        f"blocks-{n}-article": article.pk,
        f"blocks-{n}-position": n,
        f"blocks-{n}-type": "paragraph",
        f"blocks-{n}-text": text,
        f"blocks-{n}-attribution": "",
    }
    return data


def public_story(make_article, state: str):
    """A live or a scheduled story, with its history started as an editor's save would."""
    when = timezone.now() + (timedelta(days=1) if state == "scheduled" else -timedelta(hours=2))
    article = make_article("published", publish_at=when, paragraphs=["Prices rose sharply."])
    article.first_published_at = when
    article.save()
    record_revision(article, message="Published")
    return article


def body(article) -> list[str]:
    return list(article.blocks.order_by("position").values_list("text", flat=True))


@pytest.mark.parametrize("state", ["live", "scheduled"])
def test_adding_an_ad_to_a_public_story_is_refused_and_changes_nothing(
    editor_client, make_article, state
):
    article = public_story(make_article, state)
    revisions = Revision.objects.filter(article=article).count()

    response = editor_client.post(
        change_url(article), with_added_paragraph(article, AD, headline="A new headline")
    )

    assert response.status_code == 200
    text = response.content.decode()
    assert "Block 2 reads as advertising" in text
    assert "NEWS50" in text and "A new headline" in text  # the editor's input is kept
    article.refresh_from_db()
    assert article.version == 1 and article.headline != "A new headline"
    assert body(article) == ["Prices rose sharply."]
    assert Revision.objects.filter(article=article).count() == revisions
    assert not AuditEntry.objects.filter(article=article).exists()
    if state == "live":
        page = editor_client.get(article.get_absolute_url()).content.decode()
        api = editor_client.get(f"/api/v1/articles/{article.pk}/").content.decode()
        for output in (page, api):
            assert "Prices rose sharply." in output and "NEWS50" not in output


@pytest.mark.parametrize("state", ["live", "scheduled"])
def test_an_editor_saves_over_the_check_with_a_reason_kept_in_the_audit_log(
    editor_client, make_article, state
):
    article = public_story(make_article, state)
    form = editor_client.get(change_url(article)).content.decode()
    assert 'name="override_reason"' in form

    data = with_added_paragraph(article, AD, override_reason=REASON)
    assert editor_client.post(change_url(article), data).status_code == 302

    article.refresh_from_db()
    assert body(article) == ["Prices rose sharply.", AD]
    assert article.version == 2 and article.status == "published"
    entry = AuditEntry.objects.get(article=article, action="ad_check_override")
    assert entry.message == REASON and entry.actor.username == "eddie"
    assert entry.data["blocks"][0]["position"] == 1
    assert AuditEntry.objects.filter(article=article, action="edit").exists()
    assert Revision.objects.filter(article=article, version=2).exists()
    # The block now passed the check: later edits of the story are not asked about it again.
    again = change_form_data(article, headline="A corrected headline")
    assert editor_client.post(change_url(article), again).status_code == 302
    assert AuditEntry.objects.filter(action="ad_check_override").count() == 1


def test_a_draft_may_hold_the_ad_until_it_is_published(editor_client, make_article):
    draft = make_article("draft", paragraphs=["Prices rose sharply."])
    record_revision(draft, message="Created")
    form = editor_client.get(change_url(draft)).content.decode()
    assert 'name="override_reason"' not in form  # nothing to override on a draft

    assert editor_client.post(change_url(draft), with_added_paragraph(draft, AD)).status_code == 302
    assert body(draft) == ["Prices rose sharply.", AD]
    response = editor_client.post(change_url(draft, "publish/"), {})
    assert "reads as advertising" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_restoring_a_version_with_the_ad_into_a_live_story_is_refused(
    editor_client, make_article, editor
):
    article = make_article("draft", paragraphs=["Prices rose sharply.", AD])
    record_revision(article, message="Draft with the ad")  # version 1
    data = change_form_data(article)
    data["blocks-1-DELETE"] = "on"
    assert editor_client.post(change_url(article), data).status_code == 302
    publishing.publish(article, by=editor)
    article.refresh_from_db()
    revisions = Revision.objects.filter(article=article).count()

    response = editor_client.post(change_url(article, "history/1/restore/"), follow=True)

    text = response.content.decode()
    assert "Version 1 was not restored" in text and "Block 2 reads as advertising" in text
    article.refresh_from_db()
    assert body(article) == ["Prices rose sharply."]
    assert Revision.objects.filter(article=article).count() == revisions
    page = editor_client.get(article.get_absolute_url()).content.decode()
    assert "Prices rose sharply." in page and "NEWS50" not in page
