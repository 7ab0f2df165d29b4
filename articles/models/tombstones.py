"""Tombstones: the record that an article which readers could once see is not public now.

Mirrors that sync with `updated_since` must learn of every story that left the public site,
whatever the route (withdrawn, returned to draft, rescheduled into the future, deleted). The
transitions in articles/publishing.py write a tombstone; publishing the story again clears it.
The row keeps no content, only the article's id and slug, so it survives the article's deletion.
"""

from django.db import models


class Tombstone(models.Model):
    class Reason(models.TextChoices):
        WITHDRAWN = "withdrawn", "Withdrawn"
        UNPUBLISHED = "unpublished", "Returned to draft"
        RESCHEDULED = "rescheduled", "Rescheduled into the future"
        DELETED = "deleted", "Deleted"

    # Not a foreign key: a deleted article's tombstone must outlive it.
    article_id = models.PositiveBigIntegerField(unique=True)
    slug = models.SlugField(max_length=250)
    reason = models.CharField(max_length=20, choices=Reason)
    removed_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["removed_at", "article_id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    reason__in=["withdrawn", "unpublished", "rescheduled", "deleted"]
                ),
                name="tombstone_reason_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.slug} ({self.get_reason_display()} at {self.removed_at:%Y-%m-%d %H:%M})"
