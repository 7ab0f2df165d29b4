"""Import raw articles (plain text, Markdown, HTML pages or URLs) as drafts, ads set apart."""

import json
import re
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from articles.html_import import MAX_HTML_BYTES, parse_html
from articles.importing import (
    FORMATS,
    ImportRefused,
    byline_authors,
    decode,
    describe,
    format_for,
    parse,
    save_parsed,
)
from articles.models import Author, Section
from articles.url_fetch import parse_url

MAX_BYTES = 2 * 1024 * 1024
URL = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")


class Command(BaseCommand):
    help = (
        "Import articles from text, Markdown or HTML files, or http(s) URLs, as drafts. "
        "A third-party advert becomes an inactive sponsored block; house promotion, "
        "boilerplate and slot labels are set apart beside the draft, restorable. With "
        "--dry-run nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="+", metavar="PATH_OR_URL")
        parser.add_argument("--section", metavar="SLUG", help="Section of the new drafts.")
        parser.add_argument(
            "--author",
            metavar="SLUG",
            action="append",
            default=[],
            help="Byline author (repeat for several). Default for HTML: the page's byline "
            "names that match existing authors.",
        )
        parser.add_argument(
            "--format",
            choices=FORMATS,
            help="Input format (default: markdown for .md, html for .html/.htm, else text).",
        )
        parser.add_argument("--dry-run", action="store_true", help="Parse and report only.")
        parser.add_argument(
            "--json", dest="as_json", action="store_true", help="Print the result as JSON."
        )

    def handle(self, *args, paths, section, author, format, dry_run, as_json, **options):
        # Parse everything first: one bad file means nothing is saved.
        parsed = [(path, self.parse_file(path, format)) for path in paths]
        target = self.section(section, required=not dry_run)
        authors = [self.author(slug) for slug in author]
        results = []
        for path, article in parsed:
            result = describe(article)
            if not dry_run:
                saved = save_parsed(
                    article, section=target, authors=authors or byline_authors(article)[0]
                )
                result |= {"id": saved.pk, "slug": saved.slug, "status": saved.status}
            results.append((path, result))
        if as_json:
            payload = results[0][1] if len(results) == 1 else [r for _, r in results]
            # ensure_ascii off: curly quotes and Japanese names must come out exactly.
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=2))
        else:
            for path, result in results:
                self.report(path, result, dry_run)

    def parse_file(self, path: str, fmt: str | None):
        try:
            if URL.match(path):
                return parse_url(path)
            file = Path(path)
            if not file.is_file():
                raise CommandError(f"{path}: no such file.")
            fmt = fmt or format_for(file.name)
            limit = MAX_HTML_BYTES if fmt == "html" else MAX_BYTES
            if file.stat().st_size > limit:
                raise CommandError(f"{path}: the file is over {limit // 1_048_576} MB.")
            if fmt == "html":
                return parse_html(file.read_bytes())
            return parse(decode(file.read_bytes()), fmt)
        except ImportRefused as exc:
            raise CommandError(f"{path}: {exc}") from exc

    def section(self, slug: str | None, *, required: bool) -> Section | None:
        known = ", ".join(Section.objects.values_list("slug", flat=True)) or "none yet"
        if slug is None:
            if required:
                raise CommandError(f"--section is required to save (known sections: {known}).")
            return None
        try:
            return Section.objects.get(slug=slug)
        except Section.DoesNotExist:
            raise CommandError(f"Unknown section {slug!r} (known sections: {known}).") from None

    def author(self, slug: str) -> Author:
        try:
            return Author.objects.get(slug=slug)
        except Author.DoesNotExist:
            raise CommandError(f"Unknown author {slug!r}.") from None

    def report(self, path: str, result: dict, dry_run: bool) -> None:
        action = "Would import" if dry_run else f"Imported as draft #{result['id']}"
        self.stdout.write(self.style.SUCCESS(f"{action}: {path}"))
        self.stdout.write(f"  {result['headline']}")
        if source := result.get("source"):
            names = [
                f"{b['name']} ({b['author'] or 'no such author, not created'})"
                for b in source["byline"]
            ]
            self.stdout.write(f"  from: {source['site_name'] or '?'} {source['canonical_url']}")
            self.stdout.write(f"  byline: {', '.join(names) or '-'}; date: {source['date'] or '-'}")
        counts: dict[str, int] = {}
        for block in result["blocks"]:
            counts[block["type"]] = counts.get(block["type"], 0) + 1
        self.stdout.write("  blocks: " + ", ".join(f"{n} {t}" for t, n in counts.items()))
        self.stdout.write(f"  entities: {', '.join(e['name'] for e in result['entities'])}")
        for item in result["sponsored"]:
            self.stdout.write(
                self.style.WARNING(
                    f"  set apart as advertising ({item['confidence']:.0%}): {item['text']}"
                )
            )
        for item in result["set_apart"]:
            self.stdout.write(
                f"  set apart ({item['kind']}, {item['confidence']:.0%}; "
                f"{'; '.join(item['reasons'])}): {item['text']}"
            )
        for item in result["kept_out"]:
            self.stdout.write(f"  kept out of the body ({item['label']}): {item['text']}")
        for warning in result["warnings"]:
            if warning["code"] not in {"promotional_moved", "set_apart", "kept_out"}:
                self.stdout.write(f"  [{warning['code']}] {warning['message']}")
