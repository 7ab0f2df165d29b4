"""API clients: partners given a key for higher request rates than anonymous clients."""

import hashlib
import secrets

from django.db import models


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


class ApiClient(models.Model):
    name = models.CharField(max_length=200, help_text="The partner, e.g. “Morning Briefing app”.")
    key_prefix = models.CharField(max_length=12, unique=True, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    rate = models.CharField(
        max_length=20,
        default="600/min",
        help_text="Requests allowed, e.g. 600/min or 20000/day.",
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(rate__regex=r"^[1-9][0-9]*/(sec|min|hour|day)$"),
                name="api_client_rate_format",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    def assign_new_key(self) -> str:
        """Give the client a new random key and return it; only its hash is kept."""
        key = secrets.token_urlsafe(32)
        self.key_prefix, self.key_hash = key[:12], hash_key(key)
        return key

    @classmethod
    def issue(cls, name: str, rate: str = "600/min") -> tuple["ApiClient", str]:
        """Create a client and return it with its key."""
        client = cls(name=name, rate=rate)
        key = client.assign_new_key()
        client.save()
        return client, key
