"""The synthetic content generator and the demo command."""

from django.contrib.auth.models import User
from django.core.management import call_command

from articles.demo.generator import generate_articles
from articles.models import Article, ArticleAuthor, Block, Entity, Section, SponsoredBlock


def test_generator_counts(db):
    assert generate_articles(40, progress=False) == 40
    assert Article.objects.count() == 40
    assert Section.objects.count() == 8
    for article in Article.objects.prefetch_related("blocks", "article_authors"):
        blocks = list(article.blocks.all())
        assert 8 <= len(blocks) <= 30
        assert [b.position for b in blocks] == list(range(len(blocks)))
        assert 1 <= len(article.article_authors.all()) <= 3
        assert article.entity_links.filter(role="subject").count() == 1
    statuses = set(Article.objects.values_list("status", flat=True))
    assert "published" in statuses
    assert Article.objects.published().count() < 40  # some drafts, scheduled or withdrawn
    assert Block.objects.filter(type="heading").exists()
    assert ArticleAuthor.objects.count() >= 40
    assert Entity.objects.count() > 100
    labels = set(SponsoredBlock.objects.values_list("label", flat=True))
    assert labels and labels <= set(SponsoredBlock.Label.values)


def test_generator_adds_to_an_existing_archive(db):
    generate_articles(5, progress=False)
    generate_articles(7, seed=2, progress=False)
    assert Article.objects.count() == 12


def test_load_demo_creates_accounts_and_prints_passwords(db, capsys):
    call_command("load_demo", articles=10, verbosity=0)
    out = capsys.readouterr().out
    for username, group in [
        ("editor", "Editor"),
        ("reporter", "Reporter"),
        ("adops", "Ad operations"),
    ]:
        user = User.objects.get(username=username)
        assert user.is_staff and user.groups.filter(name=group).exists()
        password = out.split(f"{username}")[1].split("password: ")[1].split()[0]
        assert user.check_password(password)
    assert Article.objects.count() == 11  # the seed plus ten synthetic stories
    assert "/articles/toyota-flips" in out


def test_demo_password_can_come_from_the_environment(db, monkeypatch, capsys):
    monkeypatch.setenv("DEMO_EDITOR_PASSWORD", "from-the-environment")
    call_command("load_demo", articles=0, verbosity=0)
    assert User.objects.get(username="editor").check_password("from-the-environment")


def test_demo_withdrawn_stories_reach_mirrors_as_tombstones(db, client):
    """Bulk-loaded stories skip the publishing functions; the sync still lists the pulled ones."""
    generate_articles(200, progress=False)
    pulled = set(Article.objects.filter(status="withdrawn").values_list("pk", flat=True))
    assert pulled  # the generator makes some
    response = client.get(
        "/api/v1/articles/", {"updated_since": "2000-01-01T00:00:00Z", "page_size": 100}
    )
    seen, url = set(), None
    while True:
        body = response.json()
        seen |= {item["id"] for item in body["results"] if item.get("status") == "withdrawn"}
        url = body.get("next")
        if not url:
            break
        response = client.get(url)
    assert seen == pulled
