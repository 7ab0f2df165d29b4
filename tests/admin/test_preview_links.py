"""Shareable preview links (issue 13, item 8): minted only on request, revocable, refused for
withdrawn stories, and made only by who may edit the article."""

import re
from html import unescape

import pytest

from articles import publishing
from articles.models import Article, AuditEntry
from articles.revisions import record_revision
from tests.users import staff


@pytest.fixture
def people(roles):
    return {"reporter": staff("rita", "Reporter"), "editor": staff("eddie", "Editor")}


def own_draft(make_article, user, **kw) -> Article:
    article = make_article("draft", **kw)
    article.created_by = user
    article.save()
    record_revision(article, by=user, message="Created")
    return article


def admin_url(article, suffix="change/") -> str:
    return f"/admin/articles/article/{article.pk}/{suffix}"


def mint(client, article) -> str:
    """Press "Make a shareable preview link"; return the public link's path."""
    response = client.post(admin_url(article, "preview/link/"))
    assert response.status_code == 200, response.status_code
    assert "no-store" in response["Cache-Control"]
    links = re.findall(r'value="(https?://[^"]+/preview/[^"]+)"', response.content.decode())
    assert len(links) == 1
    return "/" + unescape(links[0]).split("/", 3)[3]


def test_viewing_the_change_page_mints_no_link(client, people, make_article):
    draft = own_draft(make_article, people["editor"], headline="Quiet draft")
    client.force_login(people["editor"])
    page = client.get(admin_url(draft)).content.decode()
    assert "Quiet draft" in page
    assert not re.search(r'href="[^"]*/preview/[^"/]+:[^"]*"|value="[^"]*/preview/', page)
    assert "/preview/link/" in page and "/preview/revoke/" in page  # the two POST buttons
    assert not AuditEntry.objects.filter(action="preview_minted").exists()


def test_a_get_of_the_mint_url_mints_nothing(client, people, make_article):
    draft = own_draft(make_article, people["editor"])
    client.force_login(people["editor"])
    response = client.get(admin_url(draft, "preview/link/"))
    assert response.status_code == 302
    assert not AuditEntry.objects.filter(action="preview_minted").exists()


def test_minting_needs_the_csrf_token(people, make_article):
    from django.test import Client

    draft = own_draft(make_article, people["editor"])
    client = Client(enforce_csrf_checks=True)
    client.force_login(people["editor"])
    assert client.post(admin_url(draft, "preview/link/")).status_code == 403
    assert not AuditEntry.objects.filter(action="preview_minted").exists()


def test_a_minted_link_works_without_an_account_and_is_audited(client, people, make_article):
    draft = own_draft(make_article, people["reporter"], headline="Embargoed scoop")
    client.force_login(people["reporter"])
    link = mint(client, draft)
    entry = AuditEntry.objects.get(action="preview_minted")
    assert entry.article == draft and entry.actor == people["reporter"]
    client.logout()
    response = client.get(link)
    assert response.status_code == 200
    assert "Embargoed scoop" in response.content.decode()


def test_revoking_kills_every_earlier_link(client, people, make_article):
    draft = own_draft(make_article, people["reporter"], headline="Leaky draft")
    client.force_login(people["editor"])
    first, second = mint(client, draft), mint(client, draft)
    response = client.post(admin_url(draft, "preview/revoke/"))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="previews_revoked")
    assert entry.article == draft and entry.actor == people["editor"]
    client.logout()
    for link in (first, second):
        refused = client.get(link)
        assert refused.status_code == 410
        html = refused.content.decode()
        assert "revoked" in html and "Leaky draft" not in html
    client.force_login(people["editor"])
    assert client.get(mint(client, draft)).status_code == 200  # a new link works again


def test_the_writer_may_revoke_once_the_story_is_in_review(client, people, make_article):
    draft = own_draft(make_article, people["reporter"])
    client.force_login(people["reporter"])
    link = mint(client, draft)
    publishing.submit_for_review(draft, by=people["reporter"])
    assert client.post(admin_url(draft, "preview/link/")).status_code == 403  # cannot edit now
    assert client.post(admin_url(draft, "preview/revoke/")).status_code == 302
    assert client.get(link).status_code == 410


def test_a_withdrawn_story_is_refused_even_after_it_returns_to_draft(client, people, make_article):
    story = make_article("published", headline="Pulled story")
    client.force_login(people["editor"])
    link = mint(client, story)
    assert client.get(link).status_code == 200
    publishing.withdraw(story, by=people["editor"], reason="Legal")
    refused = client.get(link)
    assert refused.status_code == 410
    assert (
        "withdrawn" in refused.content.decode() and "Pulled story" not in refused.content.decode()
    )
    assert client.post(admin_url(story, "preview/link/")).status_code == 403
    publishing.return_to_draft(story, by=people["editor"])
    assert client.get(link).status_code == 410


def test_a_reporter_who_may_only_view_cannot_mint_or_revoke(client, people, make_article):
    # Someone else's draft (reporters do not even see it) and their own story in review,
    # which they may view but not edit.
    theirs = own_draft(make_article, people["editor"])
    mine = own_draft(make_article, people["reporter"])
    publishing.submit_for_review(mine, by=people["reporter"])
    client.force_login(people["reporter"])
    assert client.post(admin_url(theirs, "preview/link/")).status_code == 403
    assert client.post(admin_url(theirs, "preview/revoke/")).status_code == 403
    assert client.post(admin_url(mine, "preview/link/")).status_code == 403
    page = client.get(admin_url(mine)).content.decode()
    assert "/preview/link/" not in page
    assert not AuditEntry.objects.filter(action__startswith="preview").exists()
