"""Load with change: readers hammer the site while a writer edits, withdraws and publishes.

Every second the writer changes one article (a new headline marker "v<n>", a withdrawal, a
re-publication) and notes when the change committed. Readers fetch the article page, the
home page and the API detail. Afterwards every response that *started* after a change
committed is checked against it: no 5xx, no withdrawn story still served, no older version.

    python bench/load_with_change.py --duration 60 --connections 64   # against gunicorn

The test suite runs the same check for 10 seconds against Django's live server
(tests/security/test_load_with_change.py).
"""

import argparse
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass
class Change:
    at: float  # when it committed (time.monotonic)
    visible: bool
    marker: str


@dataclass
class Outcome:
    url: str
    started: float
    ended: float
    status: int
    body: str


@dataclass
class Report:
    requests: int = 0
    server_errors: list = field(default_factory=list)
    stale: list = field(default_factory=list)
    changes: int = 0

    @property
    def ok(self) -> bool:
        return not self.server_errors and not self.stale and self.requests > 0


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def read_loop(urls: list[str], stop: threading.Event, outcomes: list) -> None:
    while not stop.is_set():
        for url in urls:
            started = time.monotonic()
            status, body = fetch(url)
            outcomes.append(Outcome(url, started, time.monotonic(), status, body))


def write_loop(article, stop: threading.Event, changes: list, every: float, by=None) -> None:
    """Cycle: new version, withdraw, publish again, new version… one change per `every` s."""
    from django.db import transaction

    from articles import publishing
    from articles.revisions import bump_version, record_revision

    step = 0
    while not stop.wait(every):
        step += 1
        article.refresh_from_db()
        if step % 3 == 1:
            marker = f"v{step:04d}"
            with transaction.atomic():  # one commit, as an admin save is
                if article.status != "published":
                    publishing.publish(article, by=by)
                article.headline = f"Harbour story {marker}"
                article.save()
                bump_version(article)
                record_revision(article, by=by, message=marker)
            changes.append(Change(time.monotonic(), True, marker))
        elif step % 3 == 2:
            publishing.withdraw(article, by=by, reason="load test")
            changes.append(Change(time.monotonic(), False, changes[-1].marker if changes else ""))
        else:
            publishing.publish(article, by=by)
            article.refresh_from_db()
            marker = article.headline.rsplit(" ", 1)[-1]
            changes.append(Change(time.monotonic(), True, marker))


# A change is noted just after its transaction commits, so it may be seen a moment before its
# note: allow this much slack after a response ends.
NOTE_DELAY = 0.2


def consistent(outcome: Outcome, state: Change, superseded: set[str], article_url: str) -> bool:
    """Does this response show `state` (and nothing it superseded)?"""
    is_article = outcome.url.endswith(article_url) or "/api/v1/articles/" in outcome.url
    if any(f"Harbour story {m}" in outcome.body for m in superseded - {state.marker}):
        return False
    if state.visible:
        return not is_article or (
            outcome.status == 200 and f"Harbour story {state.marker}" in outcome.body
        )
    if is_article:
        return outcome.status == 404
    return f"Harbour story {state.marker}" not in outcome.body


def check(outcomes: list[Outcome], changes: list[Change], article_url: str) -> Report:
    """Each response must show the last change committed before it started, or one committed
    while it was being answered: never a state that was superseded before it started."""
    report = Report(requests=len(outcomes), changes=len(changes))
    for outcome in outcomes:
        if outcome.status >= 500:
            report.server_errors.append((outcome.url, outcome.status))
            continue
        before = [c for c in changes if c.at < outcome.started]
        if not before:
            continue
        soon = [c for c in changes if outcome.started <= c.at < outcome.ended + NOTE_DELAY]
        superseded = {c.marker for c in before[:-1]}
        if not any(consistent(outcome, s, superseded, article_url) for s in [before[-1], *soon]):
            state = before[-1]
            seen = "visible" if state.visible else "withdrawn"
            report.stale.append((outcome.url, outcome.status, f"should be {seen} {state.marker}"))
    return report


def run(base: str, article, *, duration: float, connections: int, every: float = 1.0):
    """Drive readers and the writer for `duration` seconds; return the checked Report."""
    urls = [
        base + article.get_absolute_url(),
        base + "/",
        base + f"/api/v1/articles/{article.pk}/",
    ]
    stop = threading.Event()
    outcomes: list[Outcome] = []
    changes: list[Change] = [Change(time.monotonic(), True, article.headline.rsplit(" ", 1)[-1])]
    readers = [
        threading.Thread(target=read_loop, args=(urls, stop, outcomes), daemon=True)
        for _ in range(connections)
    ]
    for reader in readers:
        reader.start()
    writer = threading.Thread(target=write_loop, args=(article, stop, changes, every))
    writer.start()
    time.sleep(duration)
    stop.set()
    writer.join()
    for reader in readers:
        reader.join(timeout=35)
    return check(outcomes, changes, article.get_absolute_url())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--port", type=int, default=8013)
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    env = os.environ | {
        "DEBUG": "0",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "bench-only-secret-key-" + "x" * 40),
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "API_ANON_RATE": "1000000/min",
    }
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "newsroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    from articles.demo.generator import generate_articles
    from articles.models import Article
    from articles.revisions import bump_version, record_revision

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    if Article.objects.published().count() < 50:
        generate_articles(200, progress=False)
    article = Article.objects.published().order_by("-publish_at").first()
    article.headline = "Harbour story v0000"
    article.save()
    bump_version(article)
    record_revision(article, message="load test start")  # purges cached pages too

    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "newsroom.wsgi:application", "-w", str(os.cpu_count() or 2),
         "-b", f"127.0.0.1:{args.port}", "--access-logfile", "/dev/null"],
        cwd=ROOT, env=os.environ.copy(),
    )  # fmt: skip
    try:
        base = f"http://127.0.0.1:{args.port}"
        for _ in range(50):
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                time.sleep(0.2)
        report = run(base, article, duration=args.duration, connections=args.connections)
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(f"requests: {report.requests}  ({report.requests / args.duration:.0f}/s)")
    print(f"changes committed: {report.changes}")
    print(f"5xx responses: {len(report.server_errors)}")
    print(f"stale responses after a committed change: {len(report.stale)}")
    for problem in (report.server_errors + report.stale)[:20]:
        print("  ", problem)
    print("result:", "PASS" if report.ok else "FAIL")
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
