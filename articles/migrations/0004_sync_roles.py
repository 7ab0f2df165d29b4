"""Bring the role groups in line with articles/roles.py again (ad operations: no sections)."""

from django.db import migrations


def sync(apps, schema_editor):
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0003_article_created_by")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
