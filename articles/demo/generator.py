"""A generator of realistic synthetic newsroom content, written with bulk inserts.

Used by `manage.py generate_content` and by `load_demo`. Deterministic for a given seed.
Synthetic articles are inserted directly (no revisions): they were never edited by anyone.
`generate_batch()` builds the rows; `insert_batch()` (any database) or `bulk_copy.py`
(PostgreSQL's COPY, for millions of articles) writes them.
"""

import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, reset_queries, transaction
from django.utils import timezone
from django.utils.text import slugify
from tqdm import tqdm

from articles import tombstones
from articles.demo import words
from articles.models import (
    Article,
    ArticleAuthor,
    ArticleEntity,
    Author,
    Block,
    Entity,
    Section,
    Sponsor,
    SponsoredBlock,
)
from articles.search import document_for

BATCH = 1000
STATUS_WEIGHTS = [
    ("published", 90),
    ("draft", 4),
    ("in_review", 2),
    ("withdrawn", 2),
    ("scheduled", 2),
]
NEWS_GENRES = ["news"] * 8 + ["analysis"]  # outside the opinion section


def ensure_sections() -> list[Section]:
    """Create the standard sections if missing; return them in order."""
    sections = []
    for position, (name, slug, description) in enumerate(words.SECTIONS):
        section, _ = Section.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description, "position": position}
        )
        sections.append(section)
    return sections


def ensure_authors(rng: random.Random, count: int = 40) -> list[Author]:
    """Create `count` staff bylines and a wire service if missing."""
    names = {
        f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}" for _ in range(count * 3)
    }
    for name in sorted(names)[:count]:
        Author.objects.get_or_create(
            slug=slugify(name), defaults={"name": name, "bio": f"{name} is a staff reporter."}
        )
    Author.objects.get_or_create(
        slug="newswire",
        defaults={
            "name": "Newswire",
            "bio": "Copy from our wire service partners.",
            "kind": Author.Kind.ORGANIZATION,
        },
    )
    return list(Author.objects.all())


def ensure_entities(rng: random.Random) -> list[Entity]:
    """Create synthetic people, organisations, places and events (no Wikidata ids: invented)."""
    wanted: list[tuple[str, str]] = []
    for _ in range(120):
        wanted.append(("person", f"{rng.choice(words.FIRST_NAMES)} {rng.choice(words.LAST_NAMES)}"))
    for stem in words.ORG_STEMS:
        wanted.append(("organization", f"{stem} {rng.choice(words.ORG_SUFFIXES)}"))
    wanted += [("place", p) for p in words.PLACES] + [("event", e) for e in words.EVENTS]
    existing = set(Entity.objects.values_list("kind", "slug"))
    new = {}
    for kind, name in wanted:
        slug = slugify(name)
        if (kind, slug) not in existing:
            new[(kind, slug)] = Entity(kind=kind, name=name, slug=slug, description="")
    Entity.objects.bulk_create(new.values())
    return list(Entity.objects.filter(wikidata_id=""))


def ensure_sponsored(rng: random.Random, sections: list[Section]) -> None:
    """Create a few live sponsored blocks in each placement, labelled and dated."""
    if SponsoredBlock.objects.filter(source_article__isnull=True).exists():
        return
    now = timezone.now()
    for i, (name, url, disclaimer) in enumerate(words.SPONSORS):
        sponsor, _ = Sponsor.objects.get_or_create(
            name=name, defaults={"slug": slugify(name), "url": url, "disclaimer": disclaimer}
        )
        for placement in ["sidebar", "end", "home", "inline"]:
            block = SponsoredBlock.objects.create(
                label=SponsoredBlock.Label.values[i % 3],
                sponsor=sponsor,
                headline=f"{name}: {rng.choice(words.SPONSORED_TAGLINES)}",
                text=f"A message from {name}, who paid for this space.",
                cta_label="Find out more",
                cta_url=url,
                starts_at=now - timedelta(days=30),
                ends_at=now + timedelta(days=365),
                active=True,
                placement=placement,
                inline_after_paragraph=3 if placement == "inline" else None,
            )
            if placement != "home":
                block.sections.set(rng.sample(sections, 3))


def _sentence(rng: random.Random, topic: str, names: dict[str, list[str]]) -> str:
    body = rng.choice(words.SENTENCE_BODIES).format(
        topic=topic,
        org=rng.choice(names["organization"]),
        person=rng.choice(names["person"]),
        place=rng.choice(names["place"]),
        pct=rng.randint(2, 40),
        num=f"{rng.randint(2, 90) * 100:,}",
    )
    return f"{rng.choice(words.SENTENCE_OPENERS)} {body}."


def _blocks(rng: random.Random, topic: str, names: dict[str, list[str]]) -> Iterator[dict]:
    count = rng.randint(8, 30)
    for position in range(count):
        roll = rng.random()
        if position > 1 and roll < 0.12:
            yield {"type": "heading", "text": rng.choice(words.HEADINGS)}
        elif position > 2 and roll < 0.18:
            yield {
                "type": "quote",
                "text": rng.choice(words.QUOTES),
                "attribution": rng.choice(names["person"]),
            }
        elif position > 2 and roll < 0.21:
            yield {"type": "list", "text": "\n".join(rng.sample(words.LIST_ITEMS, 3))}
        else:
            yield {
                "type": "paragraph",
                "text": " ".join(_sentence(rng, topic, names) for _ in range(rng.randint(2, 4))),
            }


def _status(rng: random.Random) -> str:
    return rng.choices([s for s, _ in STATUS_WEIGHTS], [w for _, w in STATUS_WEIGHTS])[0]


@dataclass
class Cast:
    """What generated articles are made of: sections, bylines, entities and the time of the run."""

    sections: list[Section]
    authors: list[Author]
    entities: list[Entity]
    names: dict[str, list[str]]
    now: datetime


@dataclass
class GeneratedArticle:
    """One article's rows as plain values, ready for bulk_create or COPY.

    `fields` holds Article field values by attname (`section_id`); each of `blocks`,
    `bylines` and `links` holds one row's values without the article.
    """

    fields: dict
    blocks: list[dict]
    bylines: list[dict]
    links: list[dict]


def prepare(rng: random.Random) -> Cast:
    """Create the sections, authors, entities and sponsored blocks articles draw on."""
    sections = ensure_sections()
    authors = ensure_authors(rng)
    entities = ensure_entities(rng)
    ensure_sponsored(rng, sections)
    names = {kind: [e.name for e in entities if e.kind == kind] for kind in Entity.Kind.values}
    return Cast(sections, authors, entities, names, timezone.now())


def generate_batch(cast: Cast, seed: int, first: int, size: int) -> list[GeneratedArticle]:
    """Return `size` articles numbered from `first` (their slugs end in the number).

    Each batch draws from its own random stream, seeded by the run's seed and its first
    number, so batches can be made in any order or in parallel and still come out the same.
    """
    rng = random.Random(f"{seed}:{first}")
    return [generate_article(rng, cast, number) for number in range(first, first + size)]


def generate_article(rng: random.Random, cast: Cast, number: int) -> GeneratedArticle:
    now, names, entities = cast.now, cast.names, cast.entities
    section = rng.choice(cast.sections)
    topic = rng.choice(words.TOPICS[section.slug])
    subject = rng.choice(entities)
    headline = f"{subject.name} {rng.choice(words.VERBS)} {topic} in {rng.choice(names['place'])}"
    status = _status(rng)
    published = now - timedelta(minutes=rng.randint(5, 60 * 24 * 730))
    if status == "scheduled":
        status, published = "published", now + timedelta(hours=rng.randint(1, 72))
    went_public = status in {"published", "withdrawn"}
    fields = {
        "headline": headline[:250],
        "slug": f"{slugify(headline)[:200]}-{number}",
        "dek": _sentence(rng, topic, names),
        "section_id": section.pk,
        "genre": "opinion"
        if section.slug == "opinion"
        else rng.choice(["news"] * 8 + ["analysis"]),
        "status": status,
        "publish_at": published if status != "draft" else None,
        "first_published_at": published if went_public else None,
        "last_published_at": published if went_public else None,
        "withdrawn_at": now if status == "withdrawn" else None,
        "withdrawal_reason": "Legal review" if status == "withdrawn" else "",
    }
    blocks = [{"position": i, **block} for i, block in enumerate(_blocks(rng, topic, names))]
    fields["search_document"] = document_for(
        fields["headline"], fields["dek"], [b["text"] for b in blocks if b["type"] != "image"]
    )
    bylines = [
        {"author_id": author.pk, "position": i}
        for i, author in enumerate(rng.sample(cast.authors, rng.choice([1, 1, 1, 2, 3])))
    ]
    links = [{"entity_id": subject.pk, "role": "subject", "source": "editor", "confirmed": True}]
    links += [
        {"entity_id": e.pk, "role": "mentioned", "source": "automatic", "confirmed": False}
        for e in rng.sample(entities, rng.randint(1, 8))
        if e != subject
    ]
    return GeneratedArticle(fields, blocks, bylines, links)


def insert_batch(batch: list[GeneratedArticle]) -> None:
    """Insert generated articles and their rows with the ORM's bulk_create (any database)."""
    articles = [Article(**generated.fields) for generated in batch]
    Article.objects.bulk_create(articles)
    blocks, bylines, links = [], [], []
    for article, generated in zip(articles, batch, strict=True):
        blocks += [Block(article=article, **row) for row in generated.blocks]
        bylines += [ArticleAuthor(article=article, **row) for row in generated.bylines]
        links += [ArticleEntity(article=article, **row) for row in generated.links]
    Block.objects.bulk_create(blocks, batch_size=BATCH)
    ArticleAuthor.objects.bulk_create(bylines, batch_size=BATCH)
    ArticleEntity.objects.bulk_create(links, batch_size=BATCH)


def generate_articles(count: int, *, seed: int = 1, progress: bool = True) -> int:
    """Insert `count` synthetic articles with blocks, bylines and entity links; return count.

    On PostgreSQL the rows go in with COPY (bulk_copy.py), then the tables are analysed;
    elsewhere with bulk_create. Both write the same rows for the same seed.
    """
    cast = prepare(random.Random(seed))
    first = Article.objects.count() + 1
    batches = [(seed, first + done, min(BATCH, count - done)) for done in range(0, count, BATCH)]
    if connection.vendor == "postgresql":
        from articles.demo.bulk_copy import copy_articles

        copy_articles(cast, batches, progress=progress)
    else:
        with progress_bar(count, progress) as bar:
            for batch in batches:
                with transaction.atomic():
                    insert_batch(generate_batch(cast, *batch))
                bar.update(batch[-1])
                reset_queries()  # with DEBUG on, Django keeps every query's SQL: drop it per batch
    # Rows went in without the publishing functions: mirrors must still hear of the pulled ones.
    tombstones.bury_withdrawn()
    return count


def progress_bar(count: int, progress: bool) -> tqdm:
    return tqdm(total=count, unit="article", disable=not progress, desc="Generating")
