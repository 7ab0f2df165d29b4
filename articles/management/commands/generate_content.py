"""Bulk-generate realistic synthetic newsroom content."""

import time

from django.core.management.base import BaseCommand, CommandError

from articles.demo.generator import generate_articles


class Command(BaseCommand):
    help = "Generate synthetic sections, authors, entities, sponsored blocks and articles."

    def add_arguments(self, parser):
        parser.add_argument("--articles", type=int, required=True, help="How many articles to add.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")

    def handle(self, *args, articles: int, seed: int, **options):
        if articles < 1:
            raise CommandError("--articles must be at least 1.")
        started = time.monotonic()
        generate_articles(articles, seed=seed, progress=options["verbosity"] > 0)
        elapsed = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(
                f"Added {articles} articles in {elapsed:.1f} s ({articles / elapsed:.0f}/s)."
            )
        )
