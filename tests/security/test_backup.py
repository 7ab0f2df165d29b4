"""Backup and restore round-trip the whole newsroom losslessly."""

import json

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import CommandError, call_command

from articles import publishing
from articles.backup import media_files
from articles.models import (
    ApiClient,
    Article,
    AuditEntry,
    Author,
    Entity,
    Image,
    Revision,
    Section,
    Sponsor,
    SponsoredBlock,
)
from articles.revisions import bump_version, record_revision
from tests.site.pages import build_newsroom


def snapshot() -> list:
    """Everything a backup must carry, serialised the same way both times."""
    from io import StringIO

    out = StringIO()
    call_command(
        "dumpdata", "auth.group", "auth.user", "articles",
        natural_foreign=True, natural_primary=True, stdout=out,
    )  # fmt: skip
    return json.loads(out.getvalue())


def wipe() -> None:
    """Empty the newsroom as a fresh database would be (roles come back from migrations)."""
    for model in [AuditEntry, Revision, ApiClient, SponsoredBlock]:
        model.objects.all().delete()
    Article.objects.all().delete()
    Sponsor.objects.all().delete()
    for model in [Entity, Author, Image, Section]:
        model.objects.all().delete()
    User.objects.all().delete()


@pytest.fixture
def newsroom(db, settings, tmp_path, editor):
    settings.MEDIA_ROOT = tmp_path / "media"
    seed = build_newsroom()
    seed.dek = "An edited standfirst"
    seed.save()
    bump_version(seed)
    record_revision(seed, by=editor, message="Edited")
    publishing.withdraw(seed, by=editor, reason="Legal review")
    ApiClient.issue("Morning app")
    return seed


def test_export_then_import_restores_everything(newsroom, tmp_path, settings):
    before, files_before = snapshot(), media_files(settings.MEDIA_ROOT)
    assert files_before and len(before) > 100
    backup = tmp_path / "backup"
    call_command("export_newsroom", str(backup))

    wipe()
    for path in sorted(settings.MEDIA_ROOT.rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    assert not Article.objects.exists() and media_files(settings.MEDIA_ROOT) == {}

    call_command("import_newsroom", str(backup))
    assert snapshot() == before
    assert media_files(settings.MEDIA_ROOT) == files_before
    article = Article.objects.get(pk=newsroom.pk)
    assert article.status == "withdrawn" and article.revisions.count() >= 3
    assert Group.objects.get(name="Editor").user_set.filter(username="editor").exists()


def test_import_refuses_a_database_that_already_has_articles(newsroom, tmp_path):
    backup = tmp_path / "backup"
    call_command("export_newsroom", str(backup))
    with pytest.raises(CommandError, match="already holds articles"):
        call_command("import_newsroom", str(backup))


@pytest.mark.parametrize("setup", ["missing", "garbage"])
def test_bad_backups_are_refused_clearly(db, tmp_path, setup):
    backup = tmp_path / "backup"
    backup.mkdir()
    if setup == "garbage":
        (backup / "newsroom.json").write_text("{not json")
    message = "cannot be loaded" if setup == "garbage" else "is it a newsroom backup"
    with pytest.raises(CommandError, match=message):
        call_command("import_newsroom", str(backup))


def test_export_refuses_a_non_empty_directory(db, tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="not empty"):
        call_command("export_newsroom", str(tmp_path))
