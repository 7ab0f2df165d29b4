"""The taxonomy screens (sections, authors, entities): roles, alias search, counts, merging."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticleEntity, AuditEntry, Author, Entity, Section
from tests.users import staff

CHANGELIST = "/admin/articles/entity/"


def entity(name: str, kind: str = "person", **fields) -> Entity:
    fields.setdefault("slug", name.lower().replace(" ", "-").replace(".", ""))
    return Entity.objects.create(kind=kind, name=name, **fields)


@pytest.fixture
def editor_client(db, client):
    client.force_login(staff("ed", "Editor"))
    return client


# --- The role table: GET and POST on every screen, for every role -------------------------


@dataclass
class Screen:
    """One admin screen, with a way to make an object and the POST data to add or change one."""

    model: str
    make: Any
    add: dict
    change: dict

    def url(self, suffix: str = "") -> str:
        return f"/admin/articles/{self.model}/{suffix}"


SCREENS = {
    "section": Screen(
        "section",
        lambda: Section.objects.create(name="Tech", slug="tech"),
        {"name": "Sport", "slug": "sport", "position": 3, "active": "on"},
        {"name": "Technology", "slug": "tech", "position": 1, "active": "on"},
    ),
    "author": Screen(
        "author",
        lambda: Author.objects.create(name="Wire", slug="wire"),
        {"name": "Bo Writer", "slug": "bo-writer", "kind": "person"},
        {"name": "Wire service", "slug": "wire", "kind": "organization"},
    ),
    "entity": Screen(
        "entity",
        lambda: entity("Toyota", "organization"),
        {"kind": "person", "name": "Sanae Takaichi", "slug": "sanae-takaichi", "aliases": "[]"},
        {"kind": "organization", "name": "Toyota Motor", "slug": "toyota", "aliases": '["TM"]'},
    ),
}

# reporter: view (and suggest links from their articles); editor: everything; ad ops: nothing.
ROLE_TABLE = [
    (role, model, access)
    for model in SCREENS
    for role, access in [("Reporter", "view"), ("Editor", "full"), ("Ad operations", "none")]
]


@pytest.mark.parametrize(("role", "model", "access"), ROLE_TABLE)
def test_role_table_for_taxonomy_screens(db, client, role, model, access):
    screen = SCREENS[model]
    obj = screen.make()
    client.force_login(staff("someone", role))
    can_view, can_change = access != "none", access == "full"
    count = type(obj).objects.count

    assert client.get(screen.url()).status_code == (200 if can_view else 403)
    assert client.get(screen.url(f"{obj.pk}/change/")).status_code == (200 if can_view else 403)
    assert client.get(screen.url("add/")).status_code == (200 if can_change else 403)

    response = client.post(screen.url("add/"), screen.add)
    assert response.status_code == (302 if can_change else 403)
    assert count() == (2 if can_change else 1)

    response = client.post(screen.url(f"{obj.pk}/change/"), screen.change)
    assert response.status_code == (302 if can_change else 403)
    obj.refresh_from_db()
    assert (obj.name == screen.change["name"]) is can_change

    response = client.post(screen.url(f"{obj.pk}/delete/"), {"post": "yes"})
    assert response.status_code == (302 if can_change else 403)
    assert type(obj).objects.filter(pk=obj.pk).exists() is not can_change


def test_a_reporter_sees_entities_read_only(db, client):
    toyota = entity("Toyota", "organization")
    client.force_login(staff("rep", "Reporter"))
    page = client.get(f"{CHANGELIST}{toyota.pk}/change/").content.decode()
    assert "Toyota" in page and 'name="_save"' not in page


# --- Search by name and alias ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("term", "found"),
    [
        ("Trump", ["Donald Trump"]),
        ("the donald", ["Donald Trump"]),
        ("POTUS", ["Donald Trump"]),
        ("Nippon", ["Japan"]),
        ("Société", ["Société Générale"]),
        ("SocGen", ["Société Générale"]),
        # Only an alias has the accent: on SQLite the JSON text stores it as \u00fc.
        ("München", ["Munich"]),
        ("Q17", ["Japan"]),
        ("nobody", []),
    ],
)
def test_search_matches_names_and_aliases(editor_client, term, found):
    entity("Donald Trump", aliases=["The Donald", "POTUS 45"])
    entity("Japan", "place", aliases=["Nippon", "Nihon"], wikidata_id="Q17")
    entity("Société Générale", "organization", slug="socgen", aliases=["SocGen", "Société G"])
    entity("Toyota", "organization", aliases=["Toyota Motor"])
    entity("Munich", "place", aliases=["München"])

    response = editor_client.get(CHANGELIST, {"q": term})

    shown = sorted(e.name for e in response.context["cl"].result_list)
    assert shown == found


# --- Article counts -------------------------------------------------------------------------


def test_list_shows_article_counts_and_sorts_by_them(editor_client, make_article):
    toyota, japan, asean = (
        entity("Toyota", "organization"),
        entity("Japan", "place"),
        entity("ASEAN", "organization"),
    )
    for article in [make_article(), make_article(), make_article()]:
        ArticleEntity.objects.create(article=article, entity=japan)
    ArticleEntity.objects.create(article=article, entity=toyota)

    # Column 5 is "articles" (1: name, 2: kind, 3: aliases, 4: Wikidata id).
    response = editor_client.get(CHANGELIST, {"o": "-5"})

    rows = [(e.name, e.article_count) for e in response.context["cl"].result_list]
    assert rows == [("Japan", 3), ("Toyota", 1), ("ASEAN", 0)]
    assert asean.name in response.content.decode()


def test_list_query_count_does_not_grow_with_entities(editor_client, make_article):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert editor_client.get(CHANGELIST).status_code == 200
        return len(captured)

    entity("Japan", "place")
    few = queries()
    article = make_article()
    for n in range(20):
        ArticleEntity.objects.create(article=article, entity=entity(f"Person {n}"))
    assert queries() == few


# --- Merging --------------------------------------------------------------------------------


def merge_post(client, entities, **extra):
    data = {"action": "merge_selected", "_selected_action": [e.pk for e in entities]} | extra
    return client.post(CHANGELIST, data, follow=True)


@pytest.fixture
def trumps(make_article):
    trump = entity("Donald Trump", aliases=["Trump"], wikidata_id="Q22686")
    donald = entity("Donald J. Trump")
    one, two = make_article(), make_article()
    ArticleEntity.objects.create(article=one, entity=donald, role="subject")
    ArticleEntity.objects.create(article=two, entity=donald)
    ArticleEntity.objects.create(article=two, entity=trump)
    return trump, donald


def test_merge_asks_which_entity_to_keep(editor_client, trumps):
    response = merge_post(editor_client, trumps, index=0)
    text = response.content.decode()
    assert response.status_code == 200
    assert "Which entity do you want to keep?" in text
    for e in trumps:
        assert f'name="target" value="{e.pk}"' in text
    assert Entity.objects.count() == 2


def test_merge_keeps_the_chosen_entity_and_says_how_many_links_moved(editor_client, trumps):
    trump, donald = trumps
    response = merge_post(editor_client, trumps, target=trump.pk, confirm="yes")

    assert "Merged 1 entity into “Donald Trump”: 2 article links moved." in (
        response.content.decode()
    )
    assert list(Entity.objects.all()) == [trump]
    assert ArticleEntity.objects.filter(entity=trump).count() == 2
    trump.refresh_from_db()
    assert trump.aliases == ["Trump", "Donald J. Trump"]
    assert AuditEntry.objects.get(action="merge").actor.username == "ed"


def test_merge_without_a_choice_asks_again(editor_client, trumps):
    response = merge_post(editor_client, trumps, confirm="yes")
    assert "Choose the entity to keep" in response.content.decode()
    assert Entity.objects.count() == 2


def test_merge_refuses_different_kinds(editor_client, db):
    mixed = [entity("Japan", "place"), entity("Japan Inc", "organization")]
    response = merge_post(editor_client, mixed, index=0)
    assert "Only entities of the same kind can be merged" in response.content.decode()
    assert Entity.objects.count() == 2


def test_merge_needs_two_entities(editor_client, db):
    response = merge_post(editor_client, [entity("Japan", "place")], index=0)
    assert "Select at least two entities to merge." in response.content.decode()


def test_reporters_cannot_merge(db, client, trumps):
    client.force_login(staff("rep", "Reporter"))
    page = client.get(CHANGELIST).content.decode()
    assert "merge_selected" not in page
    trump, _ = trumps
    merge_post(client, trumps, target=trump.pk, confirm="yes")
    assert Entity.objects.count() == 2
    assert not AuditEntry.objects.filter(action="merge").exists()


def test_ad_operations_cannot_reach_the_merge(db, client, trumps):
    client.force_login(staff("ads", "Ad operations"))
    trump, _ = trumps
    response = client.post(
        CHANGELIST,
        {
            "action": "merge_selected",
            "_selected_action": [e.pk for e in trumps],
            "target": trump.pk,
            "confirm": "yes",
        },
    )
    assert response.status_code == 403
    assert Entity.objects.count() == 2
