"""The article list's filters (django-filter). A value that cannot be used is a 400."""

import django_filters
from rest_framework.exceptions import ValidationError

from articles.models import Article, Author, Entity, Section


class ArticleFilter(django_filters.FilterSet):
    section = django_filters.ModelChoiceFilter(
        queryset=Section.objects.filter(active=True),
        to_field_name="slug",
        help_text="A section's slug.",
    )
    author = django_filters.ModelChoiceFilter(
        field_name="authors", queryset=Author.objects.all(), to_field_name="slug",
        help_text="An author's slug.",
    )  # fmt: skip
    entity = django_filters.ModelMultipleChoiceFilter(
        field_name="entity_links__entity",
        queryset=Entity.objects.all(),
        method="filter_entities",
        help_text="An entity id; repeat for several (see entity_match).",
    )
    entity_match = django_filters.ChoiceFilter(
        choices=[("any", "any"), ("all", "all")],
        method="noop",
        help_text="With several entities: articles linked to any of them (default) or all.",
    )
    genre = django_filters.ChoiceFilter(choices=Article.Genre.choices)
    published_after = django_filters.IsoDateTimeFilter(field_name="publish_at", lookup_expr="gte")
    published_before = django_filters.IsoDateTimeFilter(field_name="publish_at", lookup_expr="lt")
    q = django_filters.CharFilter(method="filter_text", help_text="Words to search for.")

    class Meta:
        model = Article
        fields = []

    def noop(self, queryset, name, value):
        return queryset

    def filter_entities(self, queryset, name, entities):
        if not entities:
            return queryset
        if self.data.get("entity_match") == "all":
            for entity in entities:
                queryset = queryset.filter(entity_links__entity=entity)
            return queryset
        return queryset.filter(entity_links__entity__in=entities).distinct()

    def filter_text(self, queryset, name, value):
        from articles.search import BadQuery, clean_query, matching

        try:
            query = clean_query(value)
        except BadQuery as error:
            raise ValidationError({"q": [str(error)]}) from error
        return matching(queryset, query) if query else queryset
