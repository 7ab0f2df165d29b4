"""Request-level switches for the database router (see newsroom/routers.py)."""

from django.conf import settings
from django.urls import reverse

from newsroom.routers import allow_replica_reads, end_replica_reads

SAFE_METHODS = {"GET", "HEAD"}


class ReplicaReadsMiddleware:
    """Let an anonymous reader's GET or HEAD outside the admin read from the replica.

    Admin screens, form posts and anyone with a session (editors, who must see what they
    just saved) stay on the primary.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = reverse("admin:index")

    def __call__(self, request):
        if not self.may_use_replica(request):
            return self.get_response(request)
        token = allow_replica_reads()
        try:
            return self.get_response(request)
        finally:
            end_replica_reads(token)

    def may_use_replica(self, request) -> bool:
        return (
            request.method in SAFE_METHODS
            and not request.path.startswith(self.admin_prefix)
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        )
