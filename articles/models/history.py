"""Revisions (full snapshots of an article) and the audit log of editorial decisions."""

from django.conf import settings
from django.db import models


class Revision(models.Model):
    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="revisions"
    )
    version = models.PositiveIntegerField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    message = models.CharField(max_length=300, blank=True)
    snapshot = models.JSONField(
        help_text="Fields, blocks, bylines and entity links at this version."
    )

    class Meta:
        ordering = ["-version"]
        constraints = [
            models.UniqueConstraint(fields=["article", "version"], name="revision_version_once"),
        ]

    def __str__(self) -> str:
        return f"{self.article} v{self.version}"


class AuditEntry(models.Model):
    """A record of a decision: a publish, a withdrawal, an override of the advertising check."""

    action = models.CharField(max_length=40)
    article = models.ForeignKey(
        "articles.Article", null=True, blank=True, on_delete=models.SET_NULL, related_name="audit"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    message = models.TextField(blank=True)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["action", "-at"], name="audit_action_idx")]

    def __str__(self) -> str:
        return f"{self.action} {self.article or ''} at {self.at:%Y-%m-%d %H:%M}"
