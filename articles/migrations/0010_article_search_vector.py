"""Store each article's tsvector in a generated column and index that, not an expression.

The expression index of 0005 let PostgreSQL find matches, but ranking them (and any plan that
filters rows instead of using the index) re-parsed every candidate's whole text: seconds for a
common word in a million articles. The stored vector is parsed once, when the text changes.
"""

import django.contrib.postgres.search
from django.db import migrations, models

import articles.search

OLD_INDEX = "article_search_gin"
NEW_INDEX = "article_search_vector_gin"


def index_the_vector(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {OLD_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {NEW_INDEX} ON articles_article "
            "USING gin (search_vector)"
        )


def index_the_expression(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {NEW_INDEX}")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {OLD_INDEX} ON articles_article USING gin "
            "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0009_image_file_dimensions"),
    ]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_vector",
            field=models.GeneratedField(
                db_persist=True,
                expression=articles.search.DocumentVector(),
                help_text="The search document as PostgreSQL's tsvector (NULL on SQLite).",
                output_field=django.contrib.postgres.search.SearchVectorField(),
            ),
        ),
        migrations.RunPython(index_the_vector, index_the_expression),
    ]
