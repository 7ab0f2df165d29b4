"""URLs of the machine-readable surfaces: feeds, sitemaps, robots.txt."""

urlpatterns: list = []
