"""Editors manage partners' API keys: bring the role groups in line with articles/roles.py."""

from django.db import migrations


def sync(apps, schema_editor):
    from articles.roles import sync_roles

    sync_roles(apps)


class Migration(migrations.Migration):
    dependencies = [("articles", "0006_api_client")]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
