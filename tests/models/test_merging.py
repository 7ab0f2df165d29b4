"""merge_entities(): links re-pointed and folded, names kept, the source gone, the merge logged."""

import pytest
from django.contrib.auth.models import User

from articles.merging import MergeError, combined_aliases, merge_entities
from articles.models import ArticleEntity, AuditEntry, Entity


def entity(name: str, kind: str = "person", **fields) -> Entity:
    fields.setdefault("slug", name.lower().replace(" ", "-"))
    return Entity.objects.create(kind=kind, name=name, **fields)


@pytest.fixture
def by(db) -> User:
    return User.objects.create_user("merger")


def link(article, target, **fields) -> ArticleEntity:
    return ArticleEntity.objects.create(article=article, entity=target, **fields)


def test_links_move_to_the_target_and_the_source_is_deleted(make_article, by):
    trump, donald = entity("Donald Trump"), entity("Donald J. Trump")
    one, two = make_article(), make_article()
    link(one, donald, role="subject")
    link(two, donald)

    kept = merge_entities(donald, trump, by=by)

    assert kept == trump
    assert not Entity.objects.filter(pk=donald.pk).exists()
    assert set(ArticleEntity.objects.values_list("article", "entity", "role")) == {
        (one.pk, trump.pk, "subject"),
        (two.pk, trump.pk, "mentioned"),
    }


@pytest.mark.parametrize(
    ("target_link", "source_link", "expected"),
    [
        (
            {"role": "mentioned", "source": "automatic", "confirmed": False},
            {"role": "subject", "source": "editor", "confirmed": True},
            ("subject", "editor", True),
        ),
        (
            {"role": "subject", "source": "editor", "confirmed": True},
            {"role": "mentioned", "source": "automatic", "confirmed": False},
            ("subject", "editor", True),
        ),
        (
            {"role": "mentioned", "source": "automatic", "confirmed": False},
            {"role": "mentioned", "source": "automatic", "confirmed": False},
            ("mentioned", "automatic", False),
        ),
    ],
)
def test_an_article_linking_both_keeps_one_link_as_strong_as_the_two(
    make_article, by, target_link, source_link, expected
):
    target, source = entity("Toyota", "organization"), entity("Toyota Motor", "organization")
    article = make_article()
    link(article, target, **target_link)
    link(article, source, **source_link)

    merge_entities(source, target, by=by)

    kept = ArticleEntity.objects.get(article=article)
    assert kept.entity_id == target.pk
    assert (kept.role, kept.source, kept.confirmed) == expected


def test_names_become_aliases_without_repeats(by, db):
    target = entity("Donald Trump", aliases=["Trump", "President Trump"])
    source = entity("Donald J. Trump", aliases=["trump", "DONALD TRUMP", "The Donald"])

    merge_entities(source, target, by=by)

    target.refresh_from_db()
    assert target.aliases == ["Trump", "President Trump", "Donald J. Trump", "The Donald"]


def test_combined_aliases_keeps_target_names_first():
    target = Entity(name="Japan", aliases=["Nippon"])
    source = Entity(name="japan", aliases=["Nihon", "nippon"])
    assert combined_aliases(target, source) == ["Nippon", "Nihon"]


def test_target_takes_the_wikidata_id_only_when_it_has_none(by, db):
    target, source = entity("Sanae Takaichi"), entity("Takaichi Sanae", wikidata_id="Q1046570")
    merge_entities(source, target, by=by)
    target.refresh_from_db()
    assert target.wikidata_id == "Q1046570"

    other = entity("S. Takaichi", wikidata_id="Q999")
    merge_entities(other, target, by=by)
    target.refresh_from_db()
    assert target.wikidata_id == "Q1046570"


def test_the_merge_is_logged(make_article, by):
    target = entity("ASEAN", "organization")
    source = entity("Asean", "organization", slug="asean-bloc")
    link(make_article(), source)
    link(make_article(), source)

    merge_entities(source, target, by=by)

    entry = AuditEntry.objects.get(action="merge")
    assert entry.actor == by
    assert entry.data["source"] == {"id": source.pk, "name": "Asean", "kind": "organization"}
    assert entry.data["target"]["id"] == target.pk
    assert entry.data["links_moved"] == 2
    assert "Asean" in entry.message and "ASEAN" in entry.message


def test_merging_into_itself_is_refused(by, db):
    japan = entity("Japan", "place")
    with pytest.raises(MergeError, match="into itself"):
        merge_entities(japan, Entity.objects.get(pk=japan.pk), by=by)
    assert Entity.objects.filter(pk=japan.pk).exists()
    assert not AuditEntry.objects.exists()


def test_merging_across_kinds_is_refused_and_changes_nothing(make_article, by):
    place, org = entity("Japan", "place"), entity("Japan Inc", "organization")
    link(make_article(), place)
    with pytest.raises(MergeError, match="only entities of the same kind"):
        merge_entities(place, org, by=by)
    assert Entity.objects.count() == 2
    assert ArticleEntity.objects.get().entity_id == place.pk
    assert not AuditEntry.objects.exists()
