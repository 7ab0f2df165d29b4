"""Backup and restore of the whole newsroom: data as JSON fixtures, media files as files.

A backup directory holds `newsroom.json` (users, groups and every newsroom model, written
with natural keys so it loads into a freshly migrated database) and `media/` (uploaded
images and their renditions). Restoring refuses a database that already holds articles.
"""

import hashlib
import json
import shutil
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.db import transaction

from articles.models import Article

DATA_FILE = "newsroom.json"
MEDIA_DIR = "media"
# Users and roles, then everything of the newsroom app, in an order loaddata can follow.
MODELS = ["auth.group", "auth.user", "articles"]


class BackupError(Exception):
    """The backup cannot be written or restored; the message says why."""


def export_newsroom(directory: Path) -> dict:
    """Write the newsroom to `directory` (created if missing, must be empty); return counts."""
    directory = Path(directory)
    if directory.exists() and any(directory.iterdir()):
        raise BackupError(f"{directory} is not empty: choose a new directory for the backup.")
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / DATA_FILE, "w", encoding="utf-8") as out:
        call_command(
            "dumpdata",
            *MODELS,
            natural_foreign=True,
            natural_primary=True,
            indent=1,
            stdout=out,
        )
    media = Path(settings.MEDIA_ROOT)
    if media.exists():
        shutil.copytree(media, directory / MEDIA_DIR)
    objects = json.loads((directory / DATA_FILE).read_text(encoding="utf-8"))
    return {"objects": len(objects), "files": len(media_files(directory / MEDIA_DIR))}


@transaction.atomic
def import_newsroom(directory: Path) -> dict:
    """Load a backup written by export_newsroom into a freshly migrated database."""
    directory = Path(directory)
    data = directory / DATA_FILE
    if not data.is_file():
        raise BackupError(f"{directory} holds no {DATA_FILE}: is it a newsroom backup?")
    if Article.objects.exists():
        raise BackupError(
            "This database already holds articles: restore into a new, migrated database."
        )
    try:
        objects = json.loads(data.read_text(encoding="utf-8"))
        call_command("loaddata", str(data), verbosity=0)
    except (ValueError, serializers.base.DeserializationError) as error:
        raise BackupError(f"{data} cannot be loaded: {error}") from error
    copied = 0
    source = directory / MEDIA_DIR
    if source.is_dir():
        shutil.copytree(source, settings.MEDIA_ROOT, dirs_exist_ok=True)
        copied = len(media_files(source))
    return {"objects": len(objects), "files": copied}


def media_files(root: Path) -> dict[str, str]:
    """Return every file under `root` with its SHA-256, by relative path."""
    root = Path(root)
    if not root.is_dir():
        return {}
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }
