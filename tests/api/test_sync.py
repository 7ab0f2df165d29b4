"""The `updated_since` sync: every story that left the public site reaches mirrors as a
tombstone, whatever the route taken in the admin, and the stream pages correctly."""

import base64
from datetime import timedelta
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client
from django.utils import timezone

from articles.models import Article, AuditEntry, Tombstone

SYNC = "/api/v1/articles/"
CHANGELIST = "/admin/articles/article/"


@pytest.fixture
def desk(roles):
    """An editor logged in to the admin, on a client of its own (the test's `client` stays
    anonymous, as a mirror is)."""
    user = User.objects.create_user("eve", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    admin = Client()
    admin.force_login(user)
    return admin


def live(make_article, headline: str, days: int = 2) -> Article:
    """A story readers have seen (published `days` ago)."""
    first = timezone.now() - timedelta(days=days)
    return make_article(headline=headline, publish_at=first, first_published_at=first)


def in_an_hour(hours: int = 1) -> str:
    """A time for the publish form's datetime-local field."""
    return (timezone.now() + timedelta(hours=hours)).strftime("%Y-%m-%dT%H:%M")


def ok(response):
    assert response.status_code == 302, response.content.decode()[:800]


def withdraw(desk, article, reason="Legal review"):
    ok(desk.post(f"{CHANGELIST}{article.pk}/withdraw/", {"reason": reason}))


def publish(desk, article, at: str = ""):
    ok(desk.post(f"{CHANGELIST}{article.pk}/publish/", {"publish_at": at}))


def action(desk, name: str, *articles, **extra):
    ok(
        desk.post(
            CHANGELIST, {"action": name, "_selected_action": [a.pk for a in articles]} | extra
        )
    )


def delete(desk, article):
    ok(desk.post(f"{CHANGELIST}{article.pk}/delete/", {"post": "yes"}))


def sync(client, since, **params) -> list[dict]:
    """Every item of a sync since `since`, following `next` to the end."""
    response = client.get(SYNC, {"updated_since": since.isoformat(), **params})
    items = []
    while True:
        assert response.status_code == 200, response.content
        page = response.json()
        items += page["results"]
        if not page["next"]:
            return items
        response = client.get(page["next"])


def tombstones(items) -> dict[int, str]:
    return {i["id"]: i["reason"] for i in items if i.get("status") == "withdrawn"}


def articles(items) -> list[int]:
    return [i["id"] for i in items if i.get("type") == "article"]


def test_a_story_returned_to_draft_after_publication_is_a_tombstone(client, desk, make_article):
    story = live(make_article, "Fix and republish")
    since = timezone.now()
    withdraw(desk, story)
    action(desk, "return_selected_to_draft", story)
    assert Article.objects.get(pk=story.pk).status == "draft"
    items = sync(client, since)
    assert tombstones(items) == {story.pk: "withdrawn"}  # the first removal is the one
    assert "Fix and republish" not in str(items)


def test_a_draft_that_never_went_public_is_no_tombstone(client, desk, make_article):
    draft = make_article("in_review", headline="Never out")
    since = timezone.now()
    action(desk, "return_selected_to_draft", draft)
    assert sync(client, since) == []


def test_a_live_story_rescheduled_into_the_future_is_a_tombstone(client, desk, make_article):
    story = live(make_article, "Moved to tomorrow")
    since = timezone.now()
    publish(desk, story, at=in_an_hour(24))
    assert client.get(story.get_absolute_url()).status_code == 404
    assert tombstones(sync(client, since)) == {story.pk: "rescheduled"}


def test_a_deleted_story_is_a_tombstone_and_the_deletion_is_on_record(client, desk, make_article):
    story = live(make_article, "Deleted for good")
    story_id = story.pk
    since = timezone.now()
    delete(desk, story)
    assert not Article.objects.filter(pk=story_id).exists()
    assert tombstones(sync(client, since)) == {story_id: "deleted"}
    entry = AuditEntry.objects.get(action="delete")
    assert entry.article is None and entry.data["article_id"] == story_id
    assert entry.data["slug"] == story.slug and "Deleted for good" in entry.message


def test_deleting_in_bulk_buries_each_story_that_was_public(client, desk, make_article):
    first, second = live(make_article, "One"), live(make_article, "Two")
    draft = make_article("draft", headline="Never out")
    since = timezone.now()
    action(desk, "delete_selected", first, second, draft, post="yes")
    assert not Article.objects.filter(pk__in=[first.pk, second.pk, draft.pk]).exists()
    assert tombstones(sync(client, since)) == {first.pk: "deleted", second.pk: "deleted"}
    assert AuditEntry.objects.filter(action="delete").count() == 3


def test_a_story_made_public_again_is_an_article_not_a_tombstone(client, desk, make_article):
    story = live(make_article, "Back again")
    since = timezone.now()
    withdraw(desk, story)
    assert tombstones(sync(client, since)) == {story.pk: "withdrawn"}
    publish(desk, story)
    items = sync(client, since)
    assert tombstones(items) == {} and articles(items) == [story.pk]
    assert not Tombstone.objects.filter(article_id=story.pk).exists()


def test_a_rescheduled_story_pulled_after_its_new_time_came_is_a_new_tombstone(
    client, desk, make_article, monkeypatch
):
    story = live(make_article, "Out again later")
    publish(desk, story, at=in_an_hour())
    real_now = timezone.now
    # Two hours on, it is public again, though no save cleared its tombstone.
    monkeypatch.setattr(timezone, "now", lambda: real_now() + timedelta(hours=2))
    assert client.get(story.get_absolute_url()).status_code == 200
    assert tombstones(sync(client, timezone.now() - timedelta(days=1))) == {}
    since = timezone.now()
    withdraw(desk, story)
    assert tombstones(sync(client, since)) == {story.pk: "withdrawn"}


def test_articles_and_tombstones_page_as_one_ordered_stream(client, desk, make_article):
    stories = [live(make_article, f"Story {n}") for n in range(6)]
    since = timezone.now()
    for n, story in enumerate(stories):  # pulled, edited, pulled, edited ...
        if n % 2 == 0:
            withdraw(desk, story)
        else:
            Article.objects.filter(pk=story.pk).update(updated_at=timezone.now())
    query = {"updated_since": since.isoformat()}
    whole = client.get(SYNC, query | {"page_size": 100}).json()["results"]
    assert [i["id"] for i in whole] == [s.pk for s in stories]
    assert [i.get("type") for i in whole] == [None, "article"] * 3
    assert sync(client, since, page_size=1) == whole
    assert sync(client, since, page_size=4) == whole
    # And back: `previous` from the last page gives the page before it.
    first = client.get(SYNC, query | {"page_size": 4}).json()
    assert first["previous"] is None
    last = client.get(first["next"]).json()
    assert last["results"] == whole[4:] and last["next"] is None
    back = client.get(last["previous"]).json()
    assert back["results"] == whole[:4] and back["previous"] is None


@pytest.mark.parametrize(
    "position", ["2026-01-01T00:00:00+00:00", "soon|3", "9999-12-31T23:59:59-23:00|1", "x|y"]
)
def test_a_hand_made_sync_cursor_is_a_400(client, db, position):
    cursor = base64.b64encode(urlencode({"p": position}).encode()).decode()
    response = client.get(SYNC, {"updated_since": "2000-01-01T00:00:00Z", "cursor": cursor})
    assert response.status_code == 400 and "cursor" in response.json()


def test_next_links_keep_the_sync(client, desk, make_article):
    for n in range(3):
        withdraw(desk, live(make_article, f"Story {n}"))
    since = timezone.now() - timedelta(minutes=1)
    page = client.get(SYNC, {"updated_since": since.isoformat(), "page_size": 2}).json()
    assert len(page["results"]) == 2
    query = parse_qs(urlsplit(page["next"]).query)
    assert query["updated_since"] == [since.isoformat()] and query["page_size"] == ["2"]
