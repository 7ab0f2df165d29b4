"""Fill the database with the demo newsroom: seed article, synthetic stories, demo accounts."""

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError

from articles.demo.generator import ensure_sections, generate_articles
from articles.demo.seed import create_demo_users, load_gazetteer, load_seed_article
from articles.models import Article


class Command(BaseCommand):
    help = "Load demo content (the seed article plus synthetic stories) and demo accounts."

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=300,
            help="Top the archive up to this many synthetic articles (default 300).",
        )

    def handle(self, *args, articles: int, **options):
        if articles < 0:
            raise CommandError("--articles must be zero or more.")
        ensure_sections()
        self.stdout.write(f"Gazetteer: {load_gazetteer()} entities.")
        credentials = create_demo_users()
        seed = load_seed_article(by=User.objects.get(username="editor"))
        self.stdout.write(f"Seed article: {seed.get_absolute_url()}")
        missing = articles - Article.objects.exclude(pk=seed.pk).count()
        if missing > 0:
            generate_articles(missing, progress=options["verbosity"] > 0)
        self.stdout.write(f"Articles in the database: {Article.objects.count()}.")
        self.stdout.write(self.style.SUCCESS("Demo accounts (log in at /admin/):"))
        for username, password in credentials.items():
            self.stdout.write(f"  {username:<9} password: {password}")
