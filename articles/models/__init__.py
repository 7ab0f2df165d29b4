"""The newsroom's models. Import from here: `from articles.models import Article`."""

from articles.models.api import ApiClient
from articles.models.articles import Article, ArticleAuthor, ArticleEntity, Block, Correction
from articles.models.authors import Author
from articles.models.detection import DetectorExample, SetApartLine
from articles.models.entities import Entity
from articles.models.history import AuditEntry, Revision
from articles.models.images import Image
from articles.models.sections import Section
from articles.models.sponsored import Sponsor, SponsoredBlock
from articles.models.tombstones import Tombstone

__all__ = [
    "ApiClient",
    "Article",
    "ArticleAuthor",
    "ArticleEntity",
    "AuditEntry",
    "Author",
    "Block",
    "Correction",
    "DetectorExample",
    "Entity",
    "Image",
    "Revision",
    "Section",
    "SetApartLine",
    "Sponsor",
    "SponsoredBlock",
    "Tombstone",
]
