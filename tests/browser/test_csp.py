"""The Content Security Policy blocks injected script without breaking our own pages."""

import pytest

from tests.users import staff

pytestmark = pytest.mark.browser
PASSWORD = "correct-horse-battery"


def log_in(page, live_server, username: str, role: str) -> None:
    """Log in through the real login form as a new staff user in `role`."""
    staff(username, role, password=PASSWORD)
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def watch_console(page) -> list[str]:
    """Collect policy violations and script errors (not, say, a missing favicon)."""
    problems: list[str] = []
    page.on(
        "console",
        lambda m: "Content Security Policy" in m.text and problems.append(m.text),
    )
    page.on("pageerror", lambda e: problems.append(str(e)))
    return problems


def test_csp_header_has_no_unsafe_inline_script(client, db):
    policy = client.get("/")["Content-Security-Policy"]
    script_src = next(p for p in policy.split(";") if p.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src


def test_api_docs_render_under_the_policy(live_server, page):
    problems = watch_console(page)
    page.goto(live_server.url + "/api/docs/")
    page.wait_for_selector("text=Newsroom JSON feed")
    assert problems == []


def test_admin_article_screen_runs_under_the_policy(live_server, page, make_article):
    article = make_article("draft")
    problems = watch_console(page)
    log_in(page, live_server, "eddie", "Editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Add another Block").click()  # admin JavaScript works
    assert page.locator("#id_blocks-1-type").is_visible()
    assert problems == [], problems


def test_sponsored_preview_script_runs_with_its_nonce(live_server, page):
    problems = watch_console(page)
    log_in(page, live_server, "ada", "Ad operations")
    page.goto(f"{live_server.url}/admin/articles/sponsoredblock/add/")
    assert problems == [], problems


def test_preview_link_buttons_work_under_the_policy(live_server, page, browser, make_article):
    # The mint and revoke buttons are plain POST forms with the CSRF token: no script needed.
    article = make_article("draft", headline="Embargoed browser scoop")
    problems = watch_console(page)
    log_in(page, live_server, "eddie", "Editor")
    page.goto(f"{live_server.url}/admin/articles/article/{article.pk}/change/")
    page.get_by_role("button", name="Make a shareable preview link").click()
    link = page.get_by_label("Shareable preview link").input_value()
    reader = browser.new_context().new_page()  # no account, no session
    assert reader.goto(link).status == 200
    assert reader.get_by_text("Embargoed browser scoop").first.is_visible()
    page.get_by_role("button", name="Revoke all preview links of this article").click()
    assert reader.goto(link).status == 410
    assert problems == [], problems
