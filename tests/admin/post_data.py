"""What an editor's browser POSTs when saving the article screen."""

from articles.models import Article


def change_form_data(article: Article, **overrides) -> dict:
    """The POST an editor's browser sends when saving the article unchanged (plus overrides)."""
    data = {
        "headline": article.headline,
        "slug": article.slug,
        "dek": article.dek,
        "section": article.section_id,
        "genre": article.genre,
        "seo_title": article.seo_title,
        "seo_description": article.seo_description,
        "expected_version": article.version,
        "_save": "Save",
    }
    inlines = {
        "article_authors": (article.article_authors.all(), ["author", "position"]),
        "blocks": (article.blocks.all(), ["position", "type", "text", "attribution", "ordered"]),
        "entity_links": (article.entity_links.all(), ["entity", "role", "source"]),
        "corrections": (article.corrections.all(), ["corrected_at", "text"]),
    }
    for prefix, (rows, fields) in inlines.items():
        rows = list(rows)
        data[f"{prefix}-TOTAL_FORMS"] = data[f"{prefix}-INITIAL_FORMS"] = len(rows)
        for n, row in enumerate(rows):
            data[f"{prefix}-{n}-id"] = row.pk
            data[f"{prefix}-{n}-article"] = article.pk
            for name in fields:
                value = getattr(row, f"{name}_id", None) or getattr(row, name)
                data[f"{prefix}-{n}-{name}"] = value
    return data | overrides
