"""API keys for partners, and the throttles that give them their own rates."""

from django.utils import timezone
from rest_framework import authentication, exceptions, throttling

from articles.models import ApiClient
from articles.models.api import hash_key
from newsroom.client_ip import client_ip


class ApiKeyAuthentication(authentication.BaseAuthentication):
    """`Authorization: Api-Key <key>` (or `X-Api-Key: <key>`) identifies a partner."""

    keyword = "Api-Key"

    def authenticate(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        key = header[len(self.keyword) + 1 :].strip() if header.startswith(self.keyword) else ""
        key = key or request.META.get("HTTP_X_API_KEY", "").strip()
        if not key:
            return None
        client = ApiClient.objects.filter(key_hash=hash_key(key), active=True).first()
        if client is None:
            raise exceptions.AuthenticationFailed("Unknown or revoked API key.")
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
        return (None, client)

    def authenticate_header(self, request):
        return self.keyword


class AnonymousRateThrottle(throttling.AnonRateThrottle):
    """Clients without a key, by IP address (settings: REST_FRAMEWORK rates 'anon')."""

    def allow_request(self, request, view):
        if isinstance(request.auth, ApiClient):
            return True
        return super().allow_request(request, view)

    def get_ident(self, request):
        # The project's one rule for a client's address (X-Forwarded-For only as configured).
        return client_ip(request)


class PartnerRateThrottle(throttling.SimpleRateThrottle):
    """Clients with a key, at the rate set on their ApiClient in the admin."""

    scope = "partner"

    def allow_request(self, request, view):
        if not isinstance(request.auth, ApiClient):
            return True
        self.rate = request.auth.rate
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}

    def get_rate(self):
        return "1/sec"  # replaced per client in allow_request
