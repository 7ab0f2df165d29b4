"""Searchable text on each article, filled for existing articles, GIN-indexed on PostgreSQL."""

from django.db import migrations, models

GIN_INDEX = "article_search_gin"


def fill_documents(apps, schema_editor):
    from articles.search import document_for

    Article = apps.get_model("articles", "Article")
    Block = apps.get_model("articles", "Block")
    for article in Article.objects.only("pk", "headline", "dek").iterator(chunk_size=2000):
        texts = (
            Block.objects.filter(article_id=article.pk)
            .exclude(type="image")
            .order_by("position")
            .values_list("text", flat=True)
        )
        Article.objects.filter(pk=article.pk).update(
            search_document=document_for(article.headline, article.dek, texts)
        )


def create_gin_index(apps, schema_editor):
    # The expression must match search.py's SearchVector exactly for the planner to use it.
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON articles_article USING gin "
            "(to_tsvector('english'::regconfig, COALESCE(search_document, '')))"
        )


def drop_gin_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("articles", "0004_sync_roles")]

    operations = [
        migrations.AddField(
            model_name="article",
            name="search_document",
            field=models.TextField(
                blank=True,
                editable=False,
                help_text="Headline, standfirst and body as plain text, for search (see search.py).",
            ),
        ),
        migrations.RunPython(fill_documents, migrations.RunPython.noop),
        migrations.RunPython(create_gin_index, drop_gin_index),
    ]
