"""The anonymous page cache: fast repeats, and never a stale page after a change."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles import publishing
from articles.revisions import record_revision


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    """Run purges registered with transaction.on_commit, as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_a_repeat_request_is_served_from_the_cache(make_article, client):
    article = make_article()
    first = client.get(article.get_absolute_url())
    with CaptureQueriesContext(connection) as queries:
        second = client.get(article.get_absolute_url())
    assert second.status_code == 200 and second.content == first.content
    assert len(queries) == 0


def test_headers_for_browsers_and_cdns(make_article, client):
    response = client.get(make_article().get_absolute_url())
    assert "public" in response["Cache-Control"] and "s-maxage=" in response["Cache-Control"]
    assert response["ETag"] and response["Last-Modified"]


def test_conditional_get_gives_304(make_article, client):
    url = make_article().get_absolute_url()
    first = client.get(url)
    assert client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


def test_an_edit_is_visible_on_the_next_request(make_article, client, editor, on_commit):
    article = make_article(headline="Before the edit")
    assert "Before the edit" in client.get("/").content.decode()
    with on_commit():
        article.headline = "After the edit"
        article.save()
        record_revision(article, by=editor, message="Edited")
    html = client.get("/").content.decode()
    assert "After the edit" in html and "Before the edit" not in html


def test_a_withdrawn_article_is_gone_at_once(make_article, client, editor, on_commit):
    article = make_article(headline="Soon withdrawn")
    assert client.get(article.get_absolute_url()).status_code == 200
    assert "Soon withdrawn" in client.get(article.section.get_absolute_url()).content.decode()
    with on_commit():
        publishing.withdraw(article, by=editor, reason="Legal")
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Soon withdrawn" not in client.get(article.section.get_absolute_url()).content.decode()
    assert "Soon withdrawn" not in client.get("/").content.decode()


def test_a_scheduled_article_appears_when_its_time_comes_even_with_a_warm_cache(
    make_article, client, editor, on_commit, monkeypatch
):
    make_article(headline="Already out")
    article = make_article("draft", headline="Embargoed until noon")
    with on_commit():
        publishing.publish(article, by=editor, at=timezone.now() + timedelta(minutes=5))
    assert "Embargoed until noon" not in client.get("/").content.decode()  # cached now

    later = timezone.now() + timedelta(minutes=6)
    monkeypatch.setattr(timezone, "now", lambda: later)
    assert "Embargoed until noon" in client.get("/").content.decode()
    assert client.get(article.get_absolute_url()).status_code == 200


def test_logged_in_staff_are_not_served_cached_pages(make_article, client, editor):
    url = make_article().get_absolute_url()
    client.get(url)
    client.force_login(editor)
    response = client.get(url)
    assert "private" in response["Cache-Control"]


def test_a_change_made_by_another_worker_is_seen_within_the_version_ttl(
    make_article, client, settings, monkeypatch
):
    """Another process purges through the shared cache only; this one must notice soon."""
    from articles import caching

    settings.CONTENT_VERSION_TTL = 1
    clock = [1000.0]
    monkeypatch.setattr(caching.time, "monotonic", lambda: clock[0])
    article = make_article(headline="Before the other worker's edit")
    url = article.get_absolute_url()
    client.get(url)  # cached, and this process has read the version
    type(article).objects.filter(pk=article.pk).update(headline="After the other worker's edit")
    # What purge() does in the other process: a new version in the shared cache.
    versions = caches["versions"]
    versions.set(caching.VERSION_KEY, versions.get(caching.VERSION_KEY) + 1, None)

    clock[0] += 0.5  # within the TTL: the cached page may still be served
    assert "Before" in client.get(url).content.decode()
    clock[0] += 0.6  # past it: the new version is read and the page rebuilt
    assert "After the other worker's edit" in client.get(url).content.decode()


@pytest.mark.parametrize("how", ["one", "bulk"])
def test_a_deleted_article_is_gone_at_once(make_article, client, editor, on_commit, how):
    """Deleting through the admin (the delete page, or "delete selected") purges the cache."""
    from django.test import Client

    article = make_article(headline="Soon deleted")
    pages = ["/", article.section.get_absolute_url(), article.get_absolute_url()]
    for url in pages:  # cached now
        assert "Soon deleted" in client.get(url).content.decode()
    desk = Client()
    desk.force_login(editor)
    with on_commit():
        if how == "one":
            response = desk.post(f"/admin/articles/article/{article.pk}/delete/", {"post": "yes"})
        else:
            response = desk.post(
                "/admin/articles/article/",
                {"action": "delete_selected", "_selected_action": [article.pk], "post": "yes"},
            )
    assert response.status_code == 302
    assert client.get(article.get_absolute_url()).status_code == 404
    for url in pages[:2]:
        assert "Soon deleted" not in client.get(url).content.decode(), url
