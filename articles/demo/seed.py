"""The demo newsroom: the seed article, its gazetteer, and accounts for each role."""

import json
import os
import secrets
from pathlib import Path

from django.contrib.auth.models import Group, User
from django.db import transaction

from articles import publishing
from articles.importing import parse, save_parsed
from articles.models import Article, Author, Entity, Section

DATA = Path(__file__).resolve().parent.parent / "data"
SEED_ARTICLE = DATA / "seed-article.txt"
GAZETTEER = DATA / "gazetteer.json"

DEMO_USERS = [
    # username, role group, environment variable that may set the password
    ("editor", "Editor", "DEMO_EDITOR_PASSWORD"),
    ("reporter", "Reporter", "DEMO_REPORTER_PASSWORD"),
    ("adops", "Ad operations", "DEMO_ADOPS_PASSWORD"),
]


def load_gazetteer(path: Path = GAZETTEER) -> int:
    """Create or update the entities listed in the gazetteer file; return how many."""
    entries = json.loads(path.read_text(encoding="utf-8"))
    for entry in entries:
        Entity.objects.update_or_create(
            kind=entry["kind"],
            slug=entry["slug"],
            defaults={
                "name": entry["name"],
                "aliases": entry.get("aliases", []),
                "wikidata_id": entry.get("wikidata_id") or "",
                "description": entry.get("description", ""),
            },
        )
    return len(entries)


def create_demo_users() -> dict[str, str]:
    """Create (or reset) one staff account per role; return usernames and passwords."""
    credentials = {}
    for username, role, env_var in DEMO_USERS:
        password = os.environ.get(env_var) or secrets.token_urlsafe(9)
        user, _ = User.objects.get_or_create(username=username)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.groups.set([Group.objects.get(name=role)])
        credentials[username] = password
    return credentials


@transaction.atomic
def load_seed_article(*, by: User | None = None) -> Article:
    """Import the seed article as a published Business story (once), linked to its entities."""
    parsed = parse(SEED_ARTICLE.read_text(encoding="utf-8"))
    existing = Article.objects.filter(headline=parsed.headline).first()
    if existing:
        return existing
    section = Section.objects.get(slug="business")
    author, _ = Author.objects.get_or_create(
        slug="newswire",
        defaults={
            "name": "Newswire",
            "bio": "Copy from our wire service partners.",
            "kind": Author.Kind.ORGANIZATION,
        },
    )
    article = save_parsed(parsed, section=section, authors=[author], by=by)
    return publishing.publish(article, by=by)
