"""Search and keyset-paginated lists: results, junk input, and clear 400s."""

import pytest

from articles.pagination import encode_cursor


def test_search_finds_published_articles_by_body_text(make_article, client):
    make_article(headline="Harbour vote", paragraphs=["The flood wall will cost millions."])
    make_article("draft", headline="Secret harbour plan", paragraphs=["flood wall drafts"])
    html = client.get("/search/?q=flood+wall").content.decode()
    assert "Harbour vote" in html and "Secret harbour plan" not in html
    assert "<mark>" in html


def test_search_escapes_what_it_highlights(make_article, client):
    make_article(headline="Tags", paragraphs=["A &lt;b&gt; tag and <em>emphasis</em> here."])
    html = client.get("/search/?q=emphasis").content.decode()
    assert "<em>emphasis</em>" not in html.split('<ol class="results">')[1]


@pytest.mark.parametrize("junk", ["", "   ", "!!!", "***", "%", "'; DROP TABLE x; --", "\u200b"])
def test_junk_queries_are_handled(make_article, client, junk):
    make_article()
    response = client.get("/search/", {"q": junk})
    assert response.status_code == 200


def test_over_long_query_is_a_400_with_a_message(client, db):
    response = client.get("/search/", {"q": "x" * 201})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


def test_section_pages_follow_the_cursor(make_article, client, section):
    articles = [make_article(headline=f"Story {n:02}") for n in range(25)]
    first = client.get(section.get_absolute_url())
    html = first.content.decode()
    assert html.count('<article class="teaser') == 20 and 'rel="next"' in html
    cursor = html.split('href="?before=')[1].split('"')[0]
    second = client.get(section.get_absolute_url(), {"before": cursor}).content.decode()
    assert second.count('<article class="teaser') == 5 and 'rel="next"' not in second
    shown = {a.headline for a in articles if a.headline in html or a.headline in second}
    assert len(shown) == 25


@pytest.mark.parametrize("cursor", ["garbage", "MjAyNi0xMS0yNw", "!!", encode_cursor.__name__])
def test_forged_cursor_is_a_400(make_article, client, section, cursor):
    make_article()
    response = client.get(section.get_absolute_url(), {"before": cursor})
    assert response.status_code == 400
    assert "not valid" in response.content.decode()


def test_unknown_pages_are_404(client, db):
    for url in ["/sections/nope/", "/entities/person/nobody/", "/authors/ghost/", "/x/"]:
        assert client.get(url).status_code == 404


def test_entity_kind_in_the_url_must_match(make_article, client):
    from articles.models import ArticleEntity, Entity

    article = make_article()
    entity = Entity.objects.create(kind="place", name="Tokyo", slug="tokyo")
    ArticleEntity.objects.create(article=article, entity=entity)
    assert client.get("/entities/place/tokyo/").status_code == 200
    assert client.get("/entities/person/tokyo/").status_code == 404
    assert client.get("/entities/galaxy/tokyo/").status_code == 404


def test_corrections_page_lists_only_published_articles(make_article, client):
    from django.utils import timezone

    from articles.models import Correction

    public, draft = make_article(headline="Public story"), make_article("draft", headline="Draft")
    Correction.objects.create(article=public, corrected_at=timezone.now(), text="Fixed a name.")
    Correction.objects.create(article=draft, corrected_at=timezone.now(), text="Secret fix.")
    html = client.get("/corrections/").content.decode()
    assert "Fixed a name." in html and "Secret fix." not in html
