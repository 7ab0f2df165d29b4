"""A small published newsroom with every kind of page, for the site's quality tests."""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from articles.demo.generator import ensure_sections
from articles.demo.seed import load_gazetteer, load_seed_article
from articles.models import Block, Correction, Image, Sponsor, SponsoredBlock
from articles.sponsored import set_active

AD_TEXT = "Get up to $30,050 in trading rewards when you join Bybit today"


def jpeg(width=1600, height=900) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (30, 90, 140)).save(buffer, "JPEG")
    return SimpleUploadedFile("harbour.jpg", buffer.getvalue(), content_type="image/jpeg")


def build_newsroom():
    """Load the seed article (with a hero image, a correction, an image block and its Bybit
    advert active), plus a live sidebar block; return the seed article."""
    ensure_sections()
    load_gazetteer()
    seed = load_seed_article()
    hero = Image.objects.create(
        file=jpeg(), alt_text="Cars waiting at a port", caption="A car terminal.", credit="Wire"
    )
    seed.hero_image = hero
    seed.save()
    Block(article=seed, position=99, type="image", image=hero).save()
    Correction.objects.create(
        article=seed, corrected_at=timezone.now(), text="An earlier version misnamed a plant."
    )
    set_active(SponsoredBlock.objects.get(source_article=seed), True, by=None)
    sponsor = Sponsor.objects.create(name="Harbourline Bank", slug="harbourline-bank")
    SponsoredBlock.objects.create(
        sponsor=sponsor,
        label="Paid partner",
        headline="Open an account in minutes",
        text="Harbourline Bank pays for this space.",
        cta_label="Find out more",
        cta_url="https://bank.example/open",
        starts_at=timezone.now() - timedelta(days=1),
        active=True,
        placement="sidebar",
    )
    return seed


def page_urls(seed) -> dict[str, str]:
    """The public pages the quality bars apply to."""
    entity = seed.entity_links.select_related("entity").first().entity
    return {
        "home": "/",
        "section": seed.section.get_absolute_url(),
        "article": seed.get_absolute_url(),
        "entity": entity.get_absolute_url(),
        "author": seed.byline[0].get_absolute_url(),
        "search": "/search/?q=Toyota+trade",
        "corrections": "/corrections/",
        "404": "/no/such/page/",
    }
