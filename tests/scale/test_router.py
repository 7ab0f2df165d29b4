"""The read-replica router: readers' page reads go to "replica", writes and the admin to "default".

The router's decisions are checked everywhere. End to end it runs on PostgreSQL, with a second
database alias, "replica", that is a test mirror of "default": a second connection to the same
test database, as a streaming replica would be a second server with the same data. Settings
add that alias when DATABASE_REPLICA_URL is set; otherwise this module adds it (on PostgreSQL,
before the test databases are set up) so the suite's PostgreSQL pass always runs these tests.
"""

import copy
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection, connections, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from articles.caching import purge
from articles.models import Article, Section
from newsroom import routers
from newsroom.middleware import ReplicaReadsMiddleware
from newsroom.routers import PrimaryReplicaRouter, allow_replica_reads, end_replica_reads

ROUTER = "newsroom.routers.PrimaryReplicaRouter"
MIDDLEWARE = "newsroom.middleware.ReplicaReadsMiddleware"
ROOT = Path(__file__).resolve().parents[2]

if connection.vendor == "postgresql" and "replica" not in connections:
    mirror = copy.deepcopy(connections.settings["default"])
    mirror["TEST"] = {**mirror["TEST"], "MIRROR": "default", "NAME": None}
    connections.settings["replica"] = mirror

postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the replica alias is a PostgreSQL mirror (a second connection to SQLite's "
    "in-memory test database would lock against the first): this runs in the suite's "
    "PostgreSQL pass, which scripts/test.sh always runs",
)


@pytest.fixture
def replica_reads():
    token = allow_replica_reads()
    yield
    end_replica_reads(token)


@pytest.fixture
def lag(settings):
    """Set how long after a change reads stay on the primary."""

    def set_lag(seconds: int) -> None:
        settings.REPLICA_LAG_SECONDS = seconds

    return set_lag


def test_reads_stay_on_the_primary_outside_a_reader_request():
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Article) == "default"  # commands, shells, jobs
    assert router.db_for_write(Article) == "default"


def test_a_readers_content_reads_go_to_the_replica(replica_reads, lag):
    lag(0)
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Article) == "replica"
    assert router.db_for_read(User) == "default"  # sessions and accounts: read your writes
    assert router.db_for_write(Article) == "default"


def test_reads_inside_a_transaction_stay_on_the_primary(replica_reads, lag, db):
    lag(0)
    with transaction.atomic():  # (the test itself runs inside one too)
        assert PrimaryReplicaRouter().db_for_read(Article) == "default"


def test_reads_just_after_a_change_go_to_the_primary(lag):
    purge()  # as publishing does once its transaction commits
    lag(10)
    token = allow_replica_reads()
    try:
        assert PrimaryReplicaRouter().db_for_read(Article) == "default"
    finally:
        end_replica_reads(token)
    lag(0)
    token = allow_replica_reads()
    try:
        assert PrimaryReplicaRouter().db_for_read(Article) == "replica"
    finally:
        end_replica_reads(token)


def test_migrations_run_on_the_primary_only():
    router = PrimaryReplicaRouter()
    assert router.allow_migrate("default", "articles")
    assert not router.allow_migrate("replica", "articles")


@pytest.mark.parametrize(
    ("method", "path", "cookies", "replica"),
    [
        ("get", "/", {}, True),
        ("head", "/sections/business/", {}, True),
        ("get", "/api/v1/articles/", {}, True),
        ("post", "/", {}, False),
        ("get", "/admin/", {}, False),
        ("get", "/admin/articles/article/", {}, False),
        ("get", "/", {"sessionid": "x"}, False),  # signed in: sees their own writes
    ],
)
def test_the_middleware_allows_the_replica_for_anonymous_safe_requests_only(
    method, path, cookies, replica
):
    seen = []

    def view(request):
        seen.append(routers.replica_requested())
        return "response"

    request = getattr(RequestFactory(), method)(path)
    request.COOKIES.update(cookies)
    assert ReplicaReadsMiddleware(view)(request) == "response"
    assert seen == [replica]
    assert not routers.replica_requested()  # and not after the request


def article_reads(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith("SELECT") and "articles_" in q["sql"]]


def writes(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]


@pytest.fixture
def routed(settings, lag):
    """Switch the router and its middleware on, as DATABASE_REPLICA_URL does."""
    settings.DATABASE_ROUTERS = [ROUTER]
    if MIDDLEWARE not in settings.MIDDLEWARE:
        settings.MIDDLEWARE = [MIDDLEWARE, *settings.MIDDLEWARE]
    lag(0)
    yield
    connections["replica"].close()


def capture_both():
    return CaptureQueriesContext(connections["default"]), CaptureQueriesContext(
        connections["replica"]
    )


@postgres_only
@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_public_reads_go_to_the_replica_and_admin_writes_to_the_primary(
    routed, lag, client, make_article
):
    from articles.roles import sync_roles

    sync_roles(apps)  # a transactional test starts from an emptied database
    article = make_article(headline="Read from the replica")
    cache.clear()

    primary, replica = capture_both()
    with primary, replica:
        page = client.get(article.get_absolute_url())
        home = client.get("/")
        feed = client.get("/api/v1/articles/")
    assert page.status_code == home.status_code == feed.status_code == 200
    assert "Read from the replica" in page.content.decode()  # the replica has the data
    assert article_reads(replica), "no reads on the replica"
    assert not article_reads(primary), article_reads(primary)

    # Just after a change the replica may lag: pages are rebuilt from the primary.
    lag(10)
    purge()
    primary, replica = capture_both()
    with primary, replica:
        assert client.get(article.get_absolute_url()).status_code == 200
    assert article_reads(primary) and not article_reads(replica)
    lag(0)

    # The admin (and a signed-in editor anywhere) reads and writes on the primary.
    admin = User.objects.create_superuser("chief", password="x-chief-pass-1")
    client.force_login(admin)
    primary, replica = capture_both()
    with primary, replica:
        assert client.get("/admin/articles/section/add/").status_code == 200
        response = client.post(
            "/admin/articles/section/add/",
            {"name": "Science", "slug": "science", "description": "", "position": 9},
        )
        assert response.status_code == 302, response.content.decode()[:2000]
        assert client.get(article.get_absolute_url()).status_code == 200
    assert Section.objects.filter(slug="science").exists()
    assert any("articles_section" in sql for sql in writes(primary))
    assert not replica.captured_queries, [q["sql"] for q in replica.captured_queries]


def settings_of(code: str, **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + code],
        cwd=ROOT,
        env=clean | {"DJANGO_SETTINGS_MODULE": "newsroom.settings"} | env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_database_replica_url_adds_the_alias_router_and_middleware():
    result = settings_of(
        "from django.conf import settings as s; "
        "print(s.DATABASES['replica']['HOST'], s.DATABASES['replica']['TEST']['MIRROR']); "
        "print(s.DATABASE_ROUTERS[0]); "
        f"print({MIDDLEWARE!r} in s.MIDDLEWARE)",
        DATABASE_URL="postgres://u:p@primary.internal:5432/news",
        DATABASE_REPLICA_URL="postgres://u:p@replica.internal:5432/news",
    )
    assert result.stdout.split() == ["replica.internal", "default", ROUTER, "True"], result.stderr


def test_an_s3_bucket_without_django_storages_is_a_clear_error(tmp_path):
    result = settings_of("pass", AWS_STORAGE_BUCKET_NAME="newsroom-media", PYTHONPATH=str(tmp_path))
    if result.returncode == 0:
        pytest.skip("django-storages is installed here")
    assert "pip install 'django-storages[s3]'" in result.stderr


def test_an_s3_bucket_sends_uploads_to_s3(tmp_path):
    # A stand-in `storages` package: settings only check that it can be imported.
    (tmp_path / "storages").mkdir()
    (tmp_path / "storages" / "__init__.py").write_text("")
    result = settings_of(
        "from django.conf import settings as s; d = s.STORAGES['default']; "
        "print(d['BACKEND'], d['OPTIONS']['bucket_name'], d['OPTIONS']['endpoint_url'], "
        "d['OPTIONS']['querystring_auth'])",
        S3_BUCKET="newsroom-media",
        AWS_S3_ENDPOINT_URL="https://s3.example.net",
        PYTHONPATH=str(tmp_path),
    )
    assert result.stdout.split() == [
        "storages.backends.s3.S3Storage",
        "newsroom-media",
        "https://s3.example.net",
        "False",
    ], result.stderr
