"""The editor admin, one module per area. Importing this package registers every screen."""

from django.contrib import admin

from articles.admin import api_clients, articles, history, sponsored, taxonomy, users

admin.site.site_header = "Newsroom editor"
admin.site.site_title = "Newsroom editor"
admin.site.index_title = "Newsroom"

__all__ = ["api_clients", "articles", "history", "sponsored", "taxonomy", "users"]
