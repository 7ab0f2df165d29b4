"""Tests of the entity linker (articles.linking) and the demo gazetteer: no database needed.

Demo gazetteer choices worth knowing:
- "Washington" is not an alias of the United States: in the seed article it stands for the US
  government, elsewhere for the city, the state or a person; it is left unlinked.
- "America" is not an alias either: "North America" or "Latin America" would be mislinked.
- Trump has the explicit alias "Trump": the seed article never writes "Donald Trump".
- Air Force One, CSIS and Victor Cha have no Wikidata id yet: none could be verified.
"""

from __future__ import annotations

import json
import re
from functools import cache
from pathlib import Path

import pytest

from articles.linking import Gazetteer, GazetteerEntry, LinkResult, entries_from_records, link

ROOT = Path(__file__).resolve().parents[2]
GAZETTEER_JSON = ROOT / "articles" / "data" / "gazetteer.json"
SEED_ARTICLE = ROOT / "articles" / "data" / "seed-article.txt"


@cache
def demo_records() -> tuple[dict, ...]:
    return tuple(json.loads(GAZETTEER_JSON.read_text("utf-8")))


@cache
def demo_gazetteer() -> Gazetteer:
    return Gazetteer(entries_from_records(demo_records()))


def seed_parts() -> tuple[str, str, list[str], str]:
    """Headline (line 1), dek (2nd non-empty line), blocks, and the last line (an ad)."""
    lines = [line for line in SEED_ARTICLE.read_text("utf-8").splitlines() if line.strip()]
    return lines[0], lines[1], lines[2:-1], lines[-1]


@cache
def seed_result() -> LinkResult:
    headline, dek, blocks, _ = seed_parts()
    return link(demo_gazetteer(), headline=headline, dek=dek, blocks=blocks)


def by_slug(result: LinkResult) -> dict:
    return {mention.key[1]: mention for mention in result.mentions}


def people(*names: str, kind: str = "person") -> Gazetteer:
    """A small gazetteer keyed by name: ``people("A B", "C|alias1|alias2")``."""
    entries = []
    for spec in names:
        name, *aliases = spec.split("|")
        entries.append(GazetteerEntry(key=name, kind=kind, name=name, aliases=tuple(aliases)))
    return Gazetteer(entries)


def keys(gazetteer: Gazetteer, text: str, headline: str = "") -> list:
    return [mention.key for mention in link(gazetteer, headline=headline, blocks=[text]).mentions]


# The seed article


SEED_ENTITIES = {
    "toyota", "donald-trump", "sanae-takaichi", "shinzo-abe", "naruhito", "anwar-ibrahim",
    "xi-jinping", "kim-jong-un", "victor-cha", "csis", "asean", "apec", "air-force-one",
    "white-house", "japan", "united-states", "tokyo", "malaysia", "kuala-lumpur",
    "south-korea", "china", "cambodia", "thailand", "north-korea", "russia", "ukraine",
    "kentucky", "indiana", "wall-street",
}  # fmt: skip


def test_seed_article_finds_every_entity_of_the_reporting():
    assert set(by_slug(seed_result())) == SEED_ENTITIES


def test_seed_article_subjects_come_first():
    result = seed_result()
    mentions = by_slug(result)
    for slug in ("toyota", "donald-trump", "japan", "tokyo"):
        assert mentions[slug].role == "subject", slug
    for slug in ("anwar-ibrahim", "csis", "kentucky", "white-house"):
        assert mentions[slug].role == "mentioned", slug
    roles = [mention.role for mention in result.mentions]
    assert roles == sorted(roles, key=lambda role: role != "subject")
    assert result.mentions[0].key == ("organization", "toyota")  # first word of the headline


def test_seed_article_surface_forms_and_counts():
    mentions = by_slug(seed_result())
    assert mentions["sanae-takaichi"].matched == ("Sanae Takaichi", "Takaichi")
    assert mentions["sanae-takaichi"].count == 2
    assert mentions["donald-trump"].matched == ("Trump", "President Trump")  # and "Trump’s"
    assert mentions["white-house"].matched == ("WHITE House",)
    assert mentions["naruhito"].matched == ("Emperor Naruhito",)
    assert mentions["xi-jinping"].matched == ("Xi Jinping", "Xi")
    assert mentions["japan"].count == 6  # and never inside "Japanese"


def test_seed_article_advertisement_is_not_linked():
    *_, advertisement = seed_parts()
    assert "Bybit" in advertisement
    result = seed_result()
    assert not any("Bybit" in candidate for candidate in result.candidates)
    assert not any("Bybit" in form for m in result.mentions for form in m.matched)


def test_seed_article_candidates():
    candidates = seed_result().candidates
    assert "Southeast Asia" in candidates
    for known_or_noise in ("Prime Minister", "Emperor Naruhito", "Victor Cha", "Malaysian PM"):
        assert known_or_noise not in candidates
    assert not any("Strategic" in c or "Flips" in c for c in candidates)  # title-case lines


# Matching rules


def test_word_boundaries():
    gazetteer = people("Japan", "Indiana", "US", kind="place")
    assert keys(gazetteer, "Japanese cars from Indianapolis, because of trust.") == []
    assert keys(gazetteer, "Kentucky-built cars for Japan; made in the US.") == ["Japan", "US"]


@pytest.mark.parametrize("text", ["Trump’s trip", "Trump's trip", "the Trump’s’ x", "(Trump)"])
def test_possessives_and_punctuation_are_mentions(text):
    assert keys(people("Trump"), text) == ["Trump"]


def test_apostrophe_inside_another_word_is_not_a_possessive():
    assert keys(people("Xi Jinping|Xi"), "He flew to Xi'an and Xi’ans.") == []


def test_longest_match_wins():
    gazetteer = people("Korea", "North Korea", "South Korea", "Kuala", "Kuala Lumpur", kind="place")
    text = "From Kuala Lumpur to North Korea and South Korea’s capital; Korea itself."
    result = link(gazetteer, headline="", blocks=[text])
    assert [(m.key, m.count) for m in result.mentions] == [
        ("Kuala Lumpur", 1),
        ("North Korea", 1),
        ("South Korea", 1),
        ("Korea", 1),
    ]


def test_case_sensitive_but_capitals_still_match():
    gazetteer = people("White House", "Tokyo", kind="place")
    assert keys(gazetteer, "the WHITE House and TOKYO") == ["White House", "Tokyo"]
    assert keys(gazetteer, "a white house in tokyo") == []


def test_ambiguous_alias_is_skipped_not_guessed():
    gazetteer = Gazetteer(
        [
            GazetteerEntry(key="georgia-state", kind="place", name="Georgia (U.S. state)",
                           aliases=("Georgia",)),
            GazetteerEntry(key="georgia-country", kind="place", name="Georgia"),
            GazetteerEntry(key="atlanta", kind="place", name="Atlanta"),
        ]
    )  # fmt: skip
    result = link(gazetteer, headline="", blocks=["Atlanta, Georgia and Georgia Power."])
    assert [m.key for m in result.mentions] == ["atlanta"]
    assert result.candidates == ()  # known text: not proposed as new either


def test_surname_resolves_after_the_full_name():
    gazetteer = people("Sanae Takaichi", "Shinzo Abe")
    result = link(gazetteer, headline="", blocks=["Sanae Takaichi spoke.", "Takaichi agreed."])
    assert [(m.key, m.matched, m.count) for m in result.mentions] == [
        ("Sanae Takaichi", ("Sanae Takaichi", "Takaichi"), 2)
    ]


def test_surname_before_the_full_name_is_not_linked():
    result = link(people("Sanae Takaichi"), headline="", blocks=["Takaichi won.", "Sanae Takaichi"])
    assert result.mentions[0].matched == ("Sanae Takaichi",)
    assert result.mentions[0].count == 1


def test_headline_counts_as_earlier():
    result = link(people("Donald Trump"), headline="Donald Trump visits", blocks=["Trump said."])
    assert result.mentions[0].count == 2
    assert result.mentions[0].matched == ("Donald Trump", "Trump")


def test_surname_shared_by_two_people_in_play_is_skipped():
    gazetteer = people("Shinzo Abe", "Akie Abe")
    text = "Shinzo Abe and Akie Abe arrived. Abe waved."
    result = link(gazetteer, headline="", blocks=[text])
    assert {(m.key, m.count) for m in result.mentions} == {("Shinzo Abe", 1), ("Akie Abe", 1)}
    only_one = link(gazetteer, headline="", blocks=["Shinzo Abe arrived. Abe waved."])
    assert [(m.key, m.count) for m in only_one.mentions] == [("Shinzo Abe", 2)]


def test_short_name_tokens_are_not_surnames():
    result = link(people("Kim Jong Un"), headline="", blocks=["Kim Jong Un and the UN; Un."])
    assert result.mentions[0].count == 1


# Roles


def test_role_subject_from_headline_or_dek():
    gazetteer = people("Ada Lovelace", "Alan Turing", "Grace Hopper")
    result = link(
        gazetteer, headline="Ada Lovelace", dek="On Alan Turing", blocks=["Grace Hopper too."]
    )
    assert [(m.key, m.role) for m in result.mentions] == [
        ("Ada Lovelace", "subject"),
        ("Alan Turing", "subject"),
        ("Grace Hopper", "mentioned"),
    ]


def test_role_subject_when_dominant():
    gazetteer = people("Ada Lovelace", "Alan Turing", "Grace Hopper", "Edsger Dijkstra")
    blocks = [
        "Alan Turing met Grace Hopper and Edsger Dijkstra.",
        "Ada Lovelace wrote. Lovelace wrote again. Lovelace, always Lovelace.",
    ]
    roles = {m.key: m.role for m in link(gazetteer, headline="", blocks=blocks).mentions}
    assert roles == {
        "Ada Lovelace": "subject",  # 4 of 7 mentions
        "Alan Turing": "mentioned",
        "Grace Hopper": "mentioned",
        "Edsger Dijkstra": "mentioned",
    }
    assert list(roles)[0] == "Ada Lovelace"  # subjects first


# Candidates


def test_unknown_multi_word_names_are_candidates():
    without_cha = people("Donald Trump|Trump", "CSIS", "Naruhito|Emperor Naruhito")
    text = (
        "Victor Cha from CSIS said Trump met Emperor Naruhito on Friday in March."
        " The Impossible State. In Tokyo, Prime Minister Sanae Takaichi spoke. Victor Cha’s view."
    )
    assert link(without_cha, headline="", blocks=[text]).candidates == (
        "Victor Cha",
        "Impossible State",
        "Sanae Takaichi",
    )


def test_empty_gazetteer_and_empty_article():
    assert link(Gazetteer([]), headline="") == LinkResult(mentions=(), candidates=())
    assert link(Gazetteer([]), headline="", blocks=["Victor Cha"]).candidates == ("Victor Cha",)


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        GazetteerEntry(key=1, kind="thing", name="Widget")


# The demo gazetteer data


def test_gazetteer_json_is_valid():
    records = demo_records()
    fields = {"kind", "name", "slug", "aliases", "wikidata_id", "description"}
    seen = set()
    for record in records:
        assert set(record) == fields, record
        assert record["kind"] in {"person", "organization", "place", "event"}
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", record["slug"]), record["slug"]
        assert (record["kind"], record["slug"]) not in seen, record["slug"]
        seen.add((record["kind"], record["slug"]))
        wikidata_id = record["wikidata_id"]
        assert wikidata_id is None or re.fullmatch(r"Q[1-9][0-9]*", wikidata_id), wikidata_id
        assert isinstance(record["aliases"], list)
        assert record["description"].endswith(".") and record["description"].count(". ") == 0


def test_gazetteer_json_has_no_sponsor():
    assert "bybit" not in GAZETTEER_JSON.read_text("utf-8").lower()


def test_gazetteer_json_wikidata_ids_are_distinct():
    ids = [record["wikidata_id"] for record in demo_records() if record["wikidata_id"]]
    assert len(ids) == len(set(ids))


# Ids checked against public data that pairs each name with its id (see the module docstring
# of this file for the ones left empty); a change here should be checked the same way.
VERIFIED_WIKIDATA_IDS = {
    "toyota": "Q53268", "donald-trump": "Q22686", "sanae-takaichi": "Q1705028",
    "shinzo-abe": "Q132345", "naruhito": "Q217096", "anwar-ibrahim": "Q299574",
    "xi-jinping": "Q15031", "kim-jong-un": "Q56226", "asean": "Q7768", "apec": "Q170481",
    "white-house": "Q35525", "wall-street": "Q11690", "japan": "Q17", "united-states": "Q30",
    "tokyo": "Q1490", "malaysia": "Q833", "kuala-lumpur": "Q1865", "south-korea": "Q884",
    "north-korea": "Q423", "china": "Q148", "cambodia": "Q424", "thailand": "Q869",
    "russia": "Q159", "ukraine": "Q212", "kentucky": "Q1603", "indiana": "Q1415",
    "csis": None, "victor-cha": None, "air-force-one": None,
}  # fmt: skip


def test_gazetteer_json_wikidata_ids_are_the_verified_ones():
    ids = {record["slug"]: record["wikidata_id"] for record in demo_records()}
    assert ids == VERIFIED_WIKIDATA_IDS
