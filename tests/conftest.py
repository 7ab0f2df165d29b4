"""Fixtures shared by every test: a small newsroom built in the database."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone

from articles.models import Article, ArticleAuthor, Author, Block, Section
from articles.search import refresh_document
from tests.caches import clear_all_caches
from tests.users import ensure_roles


@pytest.fixture
def section(db) -> Section:
    return Section.objects.get_or_create(slug="business", defaults={"name": "Business"})[0]


@pytest.fixture
def author(db) -> Author:
    return Author.objects.create(name="Ada Reporter", slug="ada-reporter")


@pytest.fixture
def roles(db):
    """The role groups, created again if a transactional test flushed them."""
    ensure_roles()


@pytest.fixture
def editor(roles) -> User:
    user = User.objects.create_user("editor", password="x-editor-pass", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


@pytest.fixture
def make_article(db, section, author):
    """Build an article in a given state with a few paragraphs."""
    counter = iter(range(1, 10_000))

    def make(
        status: str = "published",
        *,
        publish_at=None,
        headline: str | None = None,
        paragraphs: list[str] | None = None,
        **fields,
    ) -> Article:
        n = next(counter)
        if status == "published" and publish_at is None:
            publish_at = timezone.now() - timedelta(hours=n)
        article = Article.objects.create(
            headline=headline or f"Headline number {n}",
            slug=f"headline-number-{n}",
            section=fields.pop("section", section),
            status=status,
            publish_at=publish_at,
            **fields,
        )
        ArticleAuthor.objects.create(article=article, author=author, position=0)
        for i, text in enumerate(paragraphs or [f"Reporting for story {n}."]):
            Block(article=article, position=i, type="paragraph", text=text).save()
        refresh_document(article)  # as recording a revision would, so search finds it
        return article

    return make


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache: a page cached by one test must not leak into the
    next, whose database holds different articles under the same URLs."""
    clear_all_caches()
    yield
    clear_all_caches()
