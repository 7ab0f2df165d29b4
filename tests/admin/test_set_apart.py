"""Set-apart lines in the admin: an imported newsletter box is kept out of the body, shown to
the editor with its kind, confidence and reasons, and restorable with one click; an editor can
set a block apart by hand. Both leave a labelled example for `train_detector`."""

import pytest

from articles import publishing
from articles.demo.generator import ensure_sections
from articles.models import (
    Article,
    AuditEntry,
    Block,
    DetectorExample,
    Section,
    SetApartLine,
    SponsoredBlock,
)
from tests.importing.newsletter_story import BOX, HEADLINE, PARAGRAPHS, TEXT
from tests.users import staff


@pytest.fixture
def imported(db, client):
    ensure_sections()
    editor = staff("ed", "Editor")
    client.force_login(editor)
    response = client.post(
        "/admin/articles/article/import/",
        {"text": TEXT, "format": "auto", "section": Section.objects.get(slug="business").pk},
        follow=True,
    )
    assert response.status_code == 200
    return Article.objects.get(headline=HEADLINE), response, editor


def body(article) -> list[str]:
    return list(article.blocks.order_by("position").values_list("text", flat=True))


def test_the_newsletter_box_is_set_apart_with_kind_and_reasons(imported):
    article, response, _ = imported
    assert body(article) == PARAGRAPHS
    lines = list(article.set_apart.order_by("id"))
    assert [line.text for line in lines] == BOX
    assert {line.kind for line in lines} == {"newsletter"}
    assert all(0.5 <= line.confidence <= 1 and line.reasons for line in lines)
    assert {line.position for line in lines} == {2}
    # Not advertising from a third party: nothing goes to ad operations.
    assert not SponsoredBlock.objects.exists()
    page = response.client.get(f"/admin/articles/article/{article.pk}/change/").content.decode()
    assert "Set apart from the body" in page
    assert "Newsletter sign-up" in page and BOX[1] in page and lines[0].reasons[0] in page


def test_restore_puts_the_line_back_where_it_sat_and_records_an_example(imported, client):
    article, _, editor = imported
    line = article.set_apart.get(text=BOX[1])
    version = article.version
    response = client.post(
        f"/admin/articles/article/{article.pk}/set-apart/restore/", {"line": line.pk}, follow=True
    )
    assert "Restored to the body" in response.content.decode()
    article.refresh_from_db()
    assert body(article) == [*PARAGRAPHS[:2], BOX[1], *PARAGRAPHS[2:]]
    assert article.version == version + 1
    line.refresh_from_db()
    assert line.restored_at is not None and line.restored_by == editor
    example = DetectorExample.objects.get()
    assert (example.text, example.label, example.kind, example.source) == (
        BOX[1],
        "reporting",
        "newsletter",
        "restored",
    )
    assert AuditEntry.objects.filter(action="set_apart_restored", article=article).exists()
    # The editor decided: the publish check does not refuse the restored line again.
    assert all(b.text != BOX[1] for b in publishing.find_promotional_blocks(article))
    # Restoring twice is refused and changes nothing.
    again = client.post(
        f"/admin/articles/article/{article.pk}/set-apart/restore/", {"line": line.pk}, follow=True
    )
    assert "no longer set apart" in again.content.decode()
    assert Block.objects.filter(article=article).count() == len(PARAGRAPHS) + 1


def test_a_published_story_keeps_its_body(imported, client):
    article, _, editor = imported
    publishing.publish(article, by=editor)
    line = article.set_apart.first()
    response = client.post(
        f"/admin/articles/article/{article.pk}/set-apart/restore/", {"line": line.pk}, follow=True
    )
    assert "return it to draft" in response.content.decode()
    assert body(Article.objects.get(pk=article.pk)) == PARAGRAPHS
    assert not DetectorExample.objects.exists()


def test_an_editor_sets_a_block_apart_by_hand(imported, client):
    article, _, _ = imported
    response = client.post(
        f"/admin/articles/article/{article.pk}/set-apart/",
        {"block": "5", "kind": "publisher_boilerplate"},
        follow=True,
    )
    assert "Set apart (Publisher boilerplate)" in response.content.decode()
    assert body(Article.objects.get(pk=article.pk)) == PARAGRAPHS[:4]
    example = DetectorExample.objects.get()
    assert (example.text, example.label, example.kind) == (
        PARAGRAPHS[4],
        "non_reporting",
        "publisher_boilerplate",
    )
    assert SetApartLine.objects.filter(article=article, text=PARAGRAPHS[4]).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"block": "99", "kind": "newsletter"}, "Choose a block of this story"),
        ({"block": "x", "kind": "newsletter"}, "Choose a block of this story"),
        ({"block": "1", "kind": "third_party_ad"}, "Unknown kind"),
        ({"block": "1", "kind": ""}, "Unknown kind"),
    ],
)
def test_bad_manual_input_is_refused_and_changes_nothing(imported, client, data, message):
    article, _, _ = imported
    response = client.post(f"/admin/articles/article/{article.pk}/set-apart/", data, follow=True)
    assert message in response.content.decode()
    assert body(Article.objects.get(pk=article.pk)) == PARAGRAPHS
    assert not DetectorExample.objects.exists()


def test_someone_who_cannot_edit_the_story_cannot_move_lines(imported, client):
    article, _, _ = imported
    client.force_login(staff("ops", "Ad operations"))
    line = article.set_apart.first()
    response = client.post(
        f"/admin/articles/article/{article.pk}/set-apart/restore/", {"line": line.pk}
    )
    assert response.status_code == 403
    assert body(Article.objects.get(pk=article.pk)) == PARAGRAPHS
