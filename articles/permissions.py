"""Who may do what to an article. The admin, and any other write path, asks here."""

from articles.models import Article


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
