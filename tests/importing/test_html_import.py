"""HTML and URL import: a saved page or a fetched URL becomes a draft, through the admin and
`manage.py import_article`; bad input and unsafe URLs get a clear error and save nothing.

The pages here are written for these tests (no publisher's page is copied). URL imports run
against a local HTTP server; loopback is blocked by design, so those tests allow 127.0.0.1
through `IMPORT_URL_ALLOWED_NETWORKS`, and one test checks that by default it is refused.
"""

import contextlib
import json
import shutil
import socket
import ssl
import subprocess
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from articles.demo.generator import ensure_sections
from articles.models import Article, ArticleAuthor, Author, Block, Section, SponsoredBlock
from tests.users import staff

IMPORT_URL = "/admin/articles/article/import/"
HEADLINE = "Harbour Council Approves Tidal Barrier Plan"
DEK = (
    "Councillors voted nine to four for a movable barrier across the estuary mouth after two "
    "winters of flooding."
)
NEWSLETTER = "Our best local reporting in your inbox every weekday."

PAGE = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{HEADLINE} | The Riverside Ledger</title>
<meta property="og:title" content="{HEADLINE}">
<meta property="og:site_name" content="The Riverside Ledger">
<meta name="author" content="Mara Quillfeather, Tobias Renwick">
<meta property="article:published_time" content="2026-03-14T09:30:00Z">
<link rel="canonical" href="https://ledger.example/news/tidal-barrier-plan">
</head>
<body>
<header class="site-header"><a href="/">The Riverside Ledger</a>
<nav><ul><li><a href="/news">News</a></li><li><a href="/sport">Sport</a></li>
<li><a href="/opinion">Opinion</a></li></ul></nav>
</header>
<main>
<article>
<h1>{HEADLINE}</h1>
<p class="byline">By Mara Quillfeather and Tobias Renwick</p>
<p class="standfirst">{DEK}</p>
<p>The vote on Thursday evening ended a debate that has divided the harbour town since the
storm surge of last January put the lower quay under a metre of water for three days.</p>
<p>Engineers told the council the barrier would close about twelve times a year, mostly during
spring tides that coincide with <a href="/news/westerly-winds">strong westerly winds</a>.</p>
<h2>What the plan includes</h2>
<p>The approved design has three parts, each to be built in a separate phase over six years:</p>
<ul>
<li>a pair of steel gates hinged on the seabed</li>
<li>a raised walkway linking both banks</li>
<li>a pumping station beside the old ferry slip</li>
</ul>
<figure>
<img src="/img/barrier.jpg" alt="A drawing of two grey gates across a river mouth">
<figcaption>The barrier as drawn by the council's consultants.</figcaption>
</figure>
<h2>Opposition from fishermen</h2>
<p>Fishing crews argued that the gates would narrow the channel and make the entrance
dangerous at low water, and several spoke against the plan during the public session.</p>
<blockquote><p>We have worked this channel for four generations and nobody asked us where the
sandbanks move.</p></blockquote>
<p>The council said a navigation study would be published before construction begins, and
that crews would be consulted on the position of the gates.</p>
<aside class="newsletter-box">
<h3>Get the Ledger Morning Brief</h3>
<p>{NEWSLETTER}</p>
<form action="/subscribe"><label>Email address</label><input type="email" name="email">
<button>Sign up</button></form>
<p>By signing up you agree to receive offers from our partners.</p>
</aside>
<p>Work on the first phase is expected to start next spring, subject to a final funding
decision by the regional authority.</p>
</article>
</main>
<footer><p>© 2026 The Riverside Ledger. All rights reserved.</p>
<a href="/privacy">Privacy</a> <a href="/terms">Terms</a></footer>
</body>
</html>
"""
HEADINGS = ["What the plan includes", "Opposition from fishermen"]
NO_ARTICLE = (
    "<html><head><title>Ledger</title></head><body><nav><a href='/'>Home</a>"
    "<a href='/news'>News</a></nav><footer>© Ledger</footer></body></html>"
)
LATIN1_PAGE = (
    "<html><head><meta charset='windows-1252'><title>Café owners protest rent rise</title>"
    "</head><body><article><h1>Café owners protest rent rise</h1><p>Owners of the café on "
    "the square said the new rent would force them to close before the summer season, and "
    "asked the council to delay the increase by a year.</p><p>The council will reply next "
    "week after a meeting of its property committee.</p></article></body></html>"
).encode("cp1252")
HUGE = b"<html><body>" + b"<p>x</p>" * (5 * 1024 * 1024 // 8 + 1) + b"</body></html>"


@pytest.fixture
def newsroom(db):
    ensure_sections()
    return Section.objects.get(slug="world")


@pytest.fixture
def editor_client(newsroom, client):
    client.force_login(staff("ed", "Editor"))
    return client


def post_import(client, section, **data):
    return client.post(IMPORT_URL, {"format": "auto", "section": section.pk} | data, follow=True)


def run(*args) -> str:
    out = StringIO()
    call_command("import_article", *args, stdout=out)
    return out.getvalue()


def assert_the_story(article: Article, base: str = "https://ledger.example") -> None:
    """The page's article, and nothing of its header, nav, newsletter box or footer.

    Relative links resolve against the page's address: its canonical URL for a saved file,
    the address it was fetched from for a URL.
    """
    assert article.headline == HEADLINE
    assert article.dek == DEK
    blocks = list(article.blocks.order_by("position"))
    assert [b.text for b in blocks if b.type == "heading"] == HEADINGS
    assert [b.type for b in blocks] == [
        "paragraph", "paragraph", "heading", "paragraph", "list", "heading", "paragraph",
        "quote", "paragraph", "paragraph",
    ]  # fmt: skip
    body = " ".join(b.text for b in blocks)
    for boilerplate in (NEWSLETTER, "Sign up", "All rights reserved", "Opinion", "By Mara"):
        assert boilerplate not in body
    assert "consultants" not in body  # the caption is metadata, not reporting
    assert f'href="{base}/news/westerly-winds"' in blocks[1].text
    assert blocks[1].text.endswith(">strong westerly winds</a>.")
    assert blocks[4].text.split("\n")[0] == "a pair of steel gates hinged on the seabed"
    assert blocks[7].text.startswith("We have worked this channel")


# Parsing through the command ----------------------------------------------------------------


def test_dry_run_json_reports_blocks_and_page_metadata(newsroom, tmp_path):
    Author.objects.create(name="Mara Quillfeather", slug="mara-quillfeather")
    page = tmp_path / "barrier.html"
    page.write_text(PAGE, encoding="utf-8")
    report = json.loads(run(str(page), "--dry-run", "--json"))
    # The text/Markdown shape, plus "source".
    assert set(report) == {
        "headline", "dek", "blocks", "sponsored", "set_apart", "kept_out", "entities",
        "candidates", "warnings", "source"
    }  # fmt: skip
    assert (report["headline"], report["dek"]) == (HEADLINE, DEK)
    assert [b["text"] for b in report["blocks"] if b["type"] == "heading"] == HEADINGS
    assert [b["type"] for b in report["blocks"]].count("list") == 1
    assert report["sponsored"] == []
    assert report["source"] == {
        "title": HEADLINE,
        "byline": [
            {"name": "Mara Quillfeather", "author": "mara-quillfeather"},
            {"name": "Tobias Renwick", "author": None},
        ],
        "date": "2026-03-14",
        "site_name": "The Riverside Ledger",
        "canonical_url": "https://ledger.example/news/tidal-barrier-plan",
        "images": [
            {
                "src": "https://ledger.example/img/barrier.jpg",
                "alt": "A drawing of two grey gates across a river mouth",
                "caption": "The barrier as drawn by the council's consultants.",
            }
        ],
    }
    assert not Article.objects.exists() and Author.objects.count() == 1


def test_blocks_keep_the_page_structure_as_hints(newsroom):
    from articles.importing import parse

    parsed = parse(PAGE, "html")
    linked = next(b for b in parsed.blocks if "westerly winds" in b.text)
    assert linked.hints["tag"] == "p" and 0 < linked.hints["link_density"] < 0.5
    heading = next(b for b in parsed.blocks if b.type == "heading")
    assert heading.hints["tag"] == "h2" and "aside" not in heading.hints["landmarks"]
    # The detector's own view of a page block (the segmenter the corpus was cut with).
    assert set(heading.hints) == {"tag", "landmarks", "tokens", "link_density"}
    json.dumps([b.hints for b in parsed.blocks])


def test_command_saves_an_html_page_with_its_matching_byline(newsroom, tmp_path):
    Author.objects.create(name="Mara Quillfeather", slug="mara-quillfeather")
    page = tmp_path / "barrier.htm"
    page.write_bytes(PAGE.encode())
    output = run(str(page), "--section", "world")
    article = Article.objects.get()
    assert "Imported as draft" in output
    assert "Tobias Renwick (no such author, not created)" in output
    assert_the_story(article)
    assert [a.slug for a in article.byline] == ["mara-quillfeather"]
    assert Author.objects.count() == 1  # the unknown name was reported, not created


def test_a_page_in_its_declared_charset_imports(newsroom, tmp_path):
    page = tmp_path / "cafe.html"
    page.write_bytes(LATIN1_PAGE)
    report = json.loads(run(str(page), "--dry-run", "--json"))
    assert report["headline"] == "Café owners protest rent rise"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"   \n", "empty"),
        ("<html><body><p>Caf\xe9 au lait</p></body></html>".encode("latin-1"), "not valid UTF-8"),
        (NO_ARTICLE.encode(), "No article text found"),
        (HUGE, "over 5 MB"),
    ],
    ids=["binary", "empty", "wrong-encoding", "no-article", "huge"],
)
def test_command_refuses_bad_html_and_saves_nothing(newsroom, tmp_path, content, message):
    page = tmp_path / "bad.html"
    page.write_bytes(content)
    with pytest.raises(CommandError, match=message):
        run(str(page), "--section", "world")
    assert not Article.objects.exists() and not Block.objects.exists()


# The admin import screen ----------------------------------------------------------------------


def test_admin_imports_an_uploaded_html_page(editor_client, newsroom):
    Author.objects.create(name="Mara Quillfeather", slug="mara-quillfeather")
    upload = SimpleUploadedFile("barrier.html", PAGE.encode(), content_type="text/html")
    response = post_import(editor_client, newsroom, file=upload)
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/articles/article/{article.pk}/change/"
    assert_the_story(article)
    assert article.status == "draft"
    assert [a.slug for a in article.byline] == ["mara-quillfeather"]
    text = response.content.decode()
    assert "no author in the newsroom" in text and "Tobias Renwick" in text
    assert Author.objects.count() == 1 and not SponsoredBlock.objects.exists()


def test_chosen_authors_win_over_the_page_byline(editor_client, newsroom):
    Author.objects.create(name="Mara Quillfeather", slug="mara-quillfeather")
    desk = Author.objects.create(name="City desk", slug="city-desk")
    upload = SimpleUploadedFile("barrier.html", PAGE.encode())
    post_import(editor_client, newsroom, file=upload, authors=[desk.pk])
    assert list(ArticleAuthor.objects.values_list("author__slug", flat=True)) == ["city-desk"]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("page.html", b"\x00\x01\x02binary", "binary file"),
        ("page.html", b"\n\n", "empty"),
        ("page.html", "<p>Caf\xe9</p>".encode("latin-1"), "not valid UTF-8"),
        ("page.html", NO_ARTICLE.encode(), "No article text found"),
        ("page.html", HUGE, "over 5 MB"),
    ],
    ids=["binary", "empty", "wrong-encoding", "no-article", "huge"],
)
def test_admin_refuses_bad_html_uploads(editor_client, newsroom, name, content, message):
    response = post_import(editor_client, newsroom, file=SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Article.objects.exists()


def test_admin_refuses_two_sources_at_once(editor_client, newsroom):
    upload = SimpleUploadedFile("barrier.html", PAGE.encode())
    response = post_import(editor_client, newsroom, file=upload, url="https://ledger.example/")
    assert "only one" in response.content.decode()
    assert not Article.objects.exists()


# Import by URL --------------------------------------------------------------------------------


class Pages(BaseHTTPRequestHandler):
    """The local test site: an article, redirects, a loop, wrong types, a slow and a huge page."""

    def do_GET(self):
        routes = {
            "/story": lambda: self.send(PAGE.encode(), "text/html; charset=utf-8"),
            "/cafe": lambda: self.send(LATIN1_PAGE, "text/html; charset=windows-1252"),
            "/plain": lambda: self.send(
                b"A plain headline\n\nA dek line.\n\nThe body of the story.", "text/plain"
            ),
            "/moved": lambda: self.redirect("/story"),
            "/loop": lambda: self.redirect("/loop"),
            "/to-metadata": lambda: self.redirect("http://169.254.169.254/latest/meta-data/"),
            "/image": lambda: self.send(b"\x89PNG\r\n\x1a\n", "image/png"),
            "/empty-page": lambda: self.send(NO_ARTICLE.encode(), "text/html"),
            "/huge": self.huge,
            "/slow": self.slow,
        }
        if self.path in routes:
            routes[self.path]()
        else:
            self.send(b"not here", "text/plain", status=404)

    def send(self, body: bytes, content_type: str, status: int = 200):
        Pages.hosts.append(self.headers.get("Host"))
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        # Refused by its headers, a page's body goes unread and the importer hangs up.
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(body)

    def redirect(self, location: str):
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def huge(self):
        # No Content-Length: the limit must hold while streaming.
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for _ in range(6 * 16):
                self.wfile.write(b"<p>" + b"x" * (64 * 1024 - 7) + b"</p>")
        except (BrokenPipeError, ConnectionResetError):
            pass  # the importer hung up at the limit, as it should

    def slow(self):
        time.sleep(2)
        self.send(PAGE.encode(), "text/html")

    def log_message(self, *args):
        pass

    hosts: list[str] = []  # the Host header of each request answered


def serve(settings, wrap=None):
    """Start the local site (TLS if `wrap` is given), 127.0.0.1 alone exempt from the check."""
    settings.IMPORT_URL_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    settings.IMPORT_URL_TIMEOUT = 0.5
    server = ThreadingHTTPServer(("127.0.0.1", 0), Pages)
    server.daemon_threads = True
    if wrap:
        server.socket = wrap(server.socket)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    Pages.hosts = []
    return server


@pytest.fixture
def site(settings):
    """Base URL of a local HTTP server."""
    server = serve(settings)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_admin_imports_a_page_by_url_following_a_redirect(editor_client, newsroom, site):
    response = post_import(editor_client, newsroom, url=f"{site}/moved")
    article = Article.objects.get()
    assert response.redirect_chain[-1][0] == f"/admin/articles/article/{article.pk}/change/"
    assert_the_story(article, base=site)


def test_command_imports_by_url(newsroom, site):
    report = json.loads(run(f"{site}/story", "--dry-run", "--json"))
    assert report["headline"] == HEADLINE and report["source"]["site_name"] == (
        "The Riverside Ledger"
    )
    report = json.loads(run(f"{site}/cafe", "--dry-run", "--json"))
    assert report["headline"] == "Café owners protest rent rise"
    report = json.loads(run(f"{site}/plain", "--dry-run", "--json"))
    assert report["headline"] == "A plain headline" and "source" not in report
    run(f"{site}/story", "--section", "world")
    assert_the_story(Article.objects.get(), base=site)


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/image", "image/png, not an HTML page"),
        ("/loop", "Too many redirects"),
        ("/to-metadata", "169.254.169.254, a link-local address"),
        ("/huge", "over 5 MB"),
        ("/slow", "Timed out"),
        ("/empty-page", "No article text found"),
        ("/missing", "HTTP 404"),
    ],
)
def test_bad_urls_are_refused_with_a_reason(editor_client, newsroom, site, path, message):
    response = post_import(editor_client, newsroom, url=site + path)
    assert response.status_code == 200
    assert message in response.content.decode()
    with pytest.raises(CommandError, match=message):
        run(site + path, "--section", "world")
    assert not Article.objects.exists()


def test_an_unreachable_url_is_refused(editor_client, newsroom, site):
    url = f"http://127.0.0.1:{closed_port()}/story"
    response = post_import(editor_client, newsroom, url=url)
    assert "Cannot reach" in response.content.decode()
    with pytest.raises(CommandError, match="Cannot reach"):
        run(url, "--dry-run")
    assert not Article.objects.exists()


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://127.0.0.1/", "127.0.0.1, a loopback address"),
        ("http://localhost:8000/admin/", "a loopback address"),
        ("http://10.1.2.3/story", "10.1.2.3, a private address"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254, a link-local address"),
        ("http://[::1]/", "::1, a loopback address"),
        ("http://0.0.0.0/", "0.0.0.0, a"),
        ("http://[::ffff:10.0.0.1]/", "a private address"),
        ("ftp://ledger.example/story.html", "Only http:// and https://"),
        ("file:///etc/passwd", "Only http:// and https://"),
    ],
)
def test_by_default_private_addresses_are_refused(editor_client, newsroom, url, message):
    response = post_import(editor_client, newsroom, url=url)
    assert message in response.content.decode()
    with pytest.raises(CommandError, match=message.replace("[", r"\[").replace(".", r"\.")):
        run(url, "--dry-run")
    assert not Article.objects.exists()


def test_the_connection_goes_to_the_checked_address_under_the_real_name(
    newsroom, site, monkeypatch
):
    """DNS is asked once; the request goes to that address, naming the host it asked for."""
    port = site.rsplit(":", 1)[1]
    real = socket.getaddrinfo
    asked = []

    def resolve(host, *args, **kwargs):
        asked.append(host)
        return real("127.0.0.1" if host == "ledger.example" else host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    report = json.loads(run(f"http://ledger.example:{port}/story", "--dry-run", "--json"))
    assert report["headline"] == HEADLINE
    # The name was resolved once; the connection itself only used the checked address.
    assert asked == ["ledger.example", "127.0.0.1"]
    assert Pages.hosts == [f"ledger.example:{port}"]


@pytest.mark.skipif(not shutil.which("openssl"), reason="needs openssl to make a certificate")
def test_https_checks_the_certificate(newsroom, settings, tmp_path):
    key, cert = tmp_path / "key.pem", tmp_path / "cert.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=ledger.example", "-keyout", key, "-out", cert],
        check=True, capture_output=True,
    )  # fmt: skip
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server = serve(settings, wrap=lambda sock: context.wrap_socket(sock, server_side=True))
    try:
        with pytest.raises(CommandError, match="TLS certificate could not be verified"):
            run(f"https://127.0.0.1:{server.server_address[1]}/story", "--dry-run")
    finally:
        server.shutdown()
        server.server_close()
