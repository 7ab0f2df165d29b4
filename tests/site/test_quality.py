"""Quality bars of the public pages: valid HTML (current Nu checker), structured data,
and no sponsored text where reporting is."""

import json
import shutil
import subprocess
from pathlib import Path

import extruct
import pytest

from tests.site.pages import AD_TEXT, build_newsroom, page_urls

ROOT = Path(__file__).resolve().parents[2]
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


@pytest.fixture
def seed(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_newsroom()


def test_pages_are_valid_html(seed, client, tmp_path):
    """The current Nu HTML Checker (npm vnu-jar, installed by scripts/test.sh) finds no error."""
    java = shutil.which("java")
    assert java and VNU.exists(), "run scripts/test.sh: it installs Java and npm's vnu-jar"
    files = []
    for name, url in page_urls(seed).items():
        response = client.get(url)
        assert response.status_code == (404 if name == "404" else 200), url
        path = tmp_path / f"{name}.html"
        path.write_bytes(response.content)
        files.append(str(path))
    result = subprocess.run(
        [java, "-jar", str(VNU), "--errors-only", "--format", "json", "--stdout", *files],
        capture_output=True,
        text=True,
        timeout=180,
    )
    messages = json.loads(result.stdout or "{}").get("messages", [])
    errors = [f"{Path(m['url']).name}:{m.get('lastLine')}: {m['message']}" for m in messages]
    assert errors == [], "\n".join(errors)


def test_article_json_ld_is_a_complete_news_article(seed, client):
    html = client.get(seed.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    article = next(d for d in data if d["@type"] == "NewsArticle")
    for key in [
        "headline", "image", "datePublished", "dateModified", "author", "publisher",
        "mainEntityOfPage", "about", "mentions", "correction",
    ]:  # fmt: skip
        assert article.get(key), key
    assert article["headline"] == seed.headline[:110]
    assert article["author"][0]["name"] == "Newswire" and article["author"][0]["url"]
    assert article["publisher"]["logo"]["url"].endswith("logo.png")
    about = {thing["name"]: thing for thing in article["about"]}
    assert about["Toyota"]["sameAs"] == "https://www.wikidata.org/wiki/Q53268"
    assert about["Toyota"]["@type"] == "Organization"
    assert article["correction"][0]["@type"] == "CorrectionComment"
    assert "Bybit" not in json.dumps(data)


def test_open_graph_and_canonical(seed, client):
    html = client.get(seed.get_absolute_url()).content.decode()
    data = extruct.extract(html, base_url="http://testserver/", syntaxes=["opengraph"])
    properties = dict(data["opengraph"][0]["properties"])
    assert properties["og:type"] == "article"
    assert properties["og:title"] == seed.headline
    assert properties["og:image"].startswith("http")
    assert f'<link rel="canonical" href="http://127.0.0.1:8000{seed.get_absolute_url()}">' in html


def test_no_sponsored_text_in_the_article_body_markup(seed, client):
    html = client.get(seed.get_absolute_url()).content.decode()
    body = html.split('<div class="article__body">')[1].split("</div>")[0]
    assert "Bybit" not in body and "30,050" not in body and "Harbourline" not in body
    # The advert is on the page, but only inside a labelled aside.
    asides = [a.split("</aside>")[0] for a in html.split('<aside class="sponsored')[1:]]
    assert any(AD_TEXT in aside for aside in asides)
    for aside in asides:
        assert "sponsored__label" in aside
        if "href" in aside:
            assert 'rel="sponsored noopener"' in aside


def test_search_never_returns_sponsored_text(seed, client):
    html = client.get("/search/?q=Bybit").content.decode()
    assert "No articles match" in html
    results = client.get("/search/?q=trading+rewards").content.decode()
    assert "30,050" not in results.split('<main id="main"')[1].split("</main>")[0]
