"""The editor admin in a real browser: write, submit, publish, conflict, refusal."""

import pytest

from articles.models import Article, Author
from tests.users import staff

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def log_in(page, base: str, username: str) -> None:
    page.goto(f"{base}/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(f"{base}/admin/")


def choose_autocomplete(page, field_id: str, text: str) -> None:
    """Pick a value in one of the admin's autocomplete (select2) widgets by typing."""
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-search__field").fill(text[:4])
    page.locator(".select2-results__option", has_text=text).first.click()


def add_block(page, n: int, kind: str, text: str, attribution: str = "") -> None:
    page.get_by_role("button", name="Add another Block").click()
    page.locator(f"#id_blocks-{n}-position").fill(str(n))
    page.locator(f"#id_blocks-{n}-type").select_option(kind)
    page.locator(f"#id_blocks-{n}-text").fill(text)
    if attribution:
        page.locator(f"#id_blocks-{n}-attribution").fill(attribution)


def test_reporter_writes_editor_publishes_it_appears_on_the_site(
    live_server, browser, section, artifacts
):
    reporter = staff("rita", "Reporter", password=PASSWORD)
    Author.objects.create(name="Rita Reporter", slug="rita-reporter", user=reporter)
    staff("eddie", "Editor", password=PASSWORD)
    base = live_server.url

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "rita")
    page.goto(f"{base}/admin/articles/article/add/")
    page.get_by_label("Headline:").fill("Harbour council backs flood wall")
    page.get_by_label("Standfirst:").fill("A vote after years of delay.")
    choose_autocomplete(page, "id_section", section.name)
    add_block(page, 0, "heading", "What was decided")
    add_block(page, 1, "paragraph", "The council voted 9–2 to build the wall, officials said.")
    add_block(page, 2, "quote", "We have waited long enough.", attribution="Mayor Ana Ruiz")
    page.get_by_role("button", name="Save and continue editing").click()
    page.wait_for_selector("text=was added successfully")
    page.screenshot(path=artifacts / "admin-article-screen.png", full_page=True)

    article = Article.objects.get(slug="harbour-council-backs-flood-wall")
    assert [b.type for b in article.blocks.order_by("position")] == [
        "heading",
        "paragraph",
        "quote",
    ]
    assert article.created_by == reporter and article.byline[0].slug == "rita-reporter"

    page.locator("select[name='CHANGE_FORM-action']").select_option("submit_selected")
    page.get_by_role("button", name="Run").first.click()
    page.wait_for_selector("text=submitted for review")
    article.refresh_from_db()
    assert article.status == "in_review"
    page.close()

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "eddie")
    page.screenshot(path=artifacts / "admin-dashboard.png", full_page=True)
    page.get_by_role("link", name="Harbour council backs flood wall").first.click()
    page.get_by_role("link", name="Publish or schedule").click()
    page.get_by_role("button", name="Publish").click()
    page.wait_for_selector("text=Published: “Harbour council backs flood wall”")

    page.goto(f"{base}/")
    page.get_by_role("link", name="Harbour council backs flood wall").click()
    assert page.get_by_role("heading", name="What was decided").is_visible()
    assert page.get_by_text("We have waited long enough.").is_visible()
    page.close()


def test_two_editors_the_second_gets_a_conflict_and_keeps_their_text(
    live_server, browser, make_article
):
    article = make_article("draft", paragraphs=["The original paragraph."])
    staff("eddie", "Editor", password=PASSWORD)
    staff("sam", "Editor", password=PASSWORD)
    base = live_server.url
    first, second = browser.new_context(), browser.new_context()
    page_a, page_b = first.new_page(), second.new_page()
    log_in(page_a, base, "eddie")
    log_in(page_b, base, "sam")
    change = f"{base}/admin/articles/article/{article.pk}/change/"
    page_a.goto(change)
    page_b.goto(change)  # both opened version 1

    page_a.locator("#id_headline").fill("Eddie's headline")
    page_a.get_by_role("button", name="Save and continue editing").click()
    page_a.wait_for_selector("text=was changed successfully")

    page_b.locator("#id_blocks-0-text").fill("Sam's careful rewrite of the paragraph.")
    page_b.get_by_role("button", name="Save and continue editing").click()
    page_b.wait_for_selector("text=Someone else saved this article while you were editing")
    assert page_b.get_by_text("eddie saved this article").first.is_visible()
    assert page_b.locator("#id_blocks-0-text").input_value() == (
        "Sam's careful rewrite of the paragraph."
    )
    article.refresh_from_db()
    assert article.headline == "Eddie's headline"
    assert article.blocks.get().text == "The original paragraph."
    first.close()
    second.close()


def test_ad_operations_are_refused_the_article_screen(live_server, page, make_article):
    article = make_article()
    staff("ada", "Ad operations", password=PASSWORD)
    log_in(page, live_server.url, "ada")
    response = page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    assert response.status == 403


def test_an_imported_newsletter_box_is_set_apart_and_restored(
    live_server, browser, section, artifacts
):
    from tests.importing.newsletter_story import BOX, HEADLINE, PARAGRAPHS, TEXT

    staff("rita", "Reporter", password=PASSWORD)
    base = live_server.url
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(page, base, "rita")
    page.goto(f"{base}/admin/articles/article/import/")
    page.get_by_label("…or paste the article").fill(TEXT)
    page.get_by_label("Section").select_option(label=section.name)
    page.get_by_role("button", name="Import as draft").click()
    page.wait_for_selector("text=as a draft")

    panel = page.get_by_role("region", name="Set apart from the body")
    for line in BOX:
        assert panel.get_by_text(line, exact=False).count() >= 1
    why = panel.locator(".newsroom-set-apart-why", has_text="Newsletter sign-up")
    assert why.count() == len(BOX)
    page.screenshot(path=artifacts / "admin-set-apart.png", full_page=True)
    article = Article.objects.get(headline=HEADLINE)
    assert list(article.blocks.order_by("position").values_list("text", flat=True)) == PARAGRAPHS

    # One click puts the pitch back where it sat; the rest of the box stays apart.
    item = panel.locator("li", has_text=BOX[1])
    item.get_by_role("button", name="Restore to body").click()
    page.wait_for_selector("text=Restored to the body")
    texts = list(article.blocks.order_by("position").values_list("text", flat=True))
    assert texts == [*PARAGRAPHS[:2], BOX[1], *PARAGRAPHS[2:]]
    assert page.locator("#id_blocks-2-text").input_value() == BOX[1]
    panel = page.get_by_role("region", name="Set apart from the body")
    why = panel.locator(".newsroom-set-apart-why", has_text="Newsletter sign-up")
    assert why.count() == len(BOX) - 1
