"""Who may do what to an article. The admin, and any other write path, asks here.

`visible_articles()` is the one rule for what a person may see in the admin: every admin
screen holding article content (revisions, audit entries, images…) filters by it.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from articles.models import Article, Block, Image
from articles.querysets import visible_q


def is_editor(user) -> bool:
    """Editors may edit any article and publish, schedule, withdraw or return it to draft."""
    return user.has_perm("articles.publish_article")


def is_own(user, article: Article) -> bool:
    """An article is a reporter's own when they created it or their byline is on it."""
    if article.created_by_id == user.pk:
        return True
    return article.article_authors.filter(author__user=user).exists()


def can_edit(user, article: Article) -> bool:
    """Editors edit anything; reporters edit only their own drafts."""
    if not user.has_perm("articles.change_article"):
        return False
    if is_editor(user):
        return True
    return article.status == Article.Status.DRAFT and is_own(user, article)


def can_view(user, article: Article) -> bool:
    """Reporters see their own articles in any state; editors see all."""
    if is_editor(user):
        return user.has_perm("articles.view_article")
    return user.has_perm("articles.view_article") and is_own(user, article)


def can_submit(user, article: Article) -> bool:
    """A draft can be sent for review by an editor or by its own reporter."""
    return article.status == Article.Status.DRAFT and (is_editor(user) or can_edit(user, article))


def can_mint_preview(user, article: Article) -> bool:
    """A shareable preview link shows the article to anyone: only who may edit it makes one,
    and never of a withdrawn story (its links are refused)."""
    return article.status != Article.Status.WITHDRAWN and can_edit(user, article)


def can_revoke_previews(user, article: Article) -> bool:
    """Editors, and the article's own writers even once it is out of their hands (in review),
    may revoke every preview link: revoking only takes access away."""
    return can_view(user, article) and (is_editor(user) or is_own(user, article))


def visible_articles(user) -> QuerySet[Article]:
    """Return the articles `user` may see in the admin: the queryset form of `can_view`.

    Editors see every article; others with the view permission (reporters) see their own;
    everyone else (ad operations) sees none.
    """
    if not user.has_perm("articles.view_article"):
        return Article.objects.none()
    if is_editor(user):
        return Article.objects.all()
    # A union of two simple queries, not an OR across the byline join: no duplicate rows.
    own = (
        Article.objects.filter(created_by=user)
        .values("pk")
        .union(Article.objects.filter(article_authors__author__user=user).values("pk"))
    )
    return Article.objects.filter(pk__in=own)


def visible_images(user) -> QuerySet[Image]:
    """Return the images whose alt text and caption `user` may read in the admin.

    An image is hidden only when it is used (as hero or in a block) solely by articles the
    user may neither see in the admin nor read on the public site: a reporter can still pick
    an image from a published story, one from their own story, or one just uploaded and not
    used yet, but never read the texts of a picture that only appears in someone else's draft.
    """
    if is_editor(user) and user.has_perm("articles.view_article"):
        return Image.objects.all()
    readable = Q(pk__in=visible_articles(user).values("pk")) | visible_q(timezone.now())
    readers = Article.objects.filter(readable)
    others = Article.objects.exclude(readable)
    return Image.objects.filter(_used_by(readers) | ~_used_by(others))


def _used_by(articles: QuerySet[Article]) -> Q:
    """Images used by one of `articles`, as hero image or in a body block."""
    # Correlated EXISTS: one index lookup per image, however many articles there are.
    as_hero = Exists(articles.filter(hero_image=OuterRef("pk")))
    in_body = Exists(Block.objects.filter(image=OuterRef("pk"), article__in=articles))
    return Q(as_hero) | Q(in_body)
