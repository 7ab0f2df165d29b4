"""The client's address: one rule for the API's throttles and the login lockout.

`X-Forwarded-For` is whatever the client chose to send, unless a proxy of ours stands in front
and appends the address it saw. So the header is read only as far as settings.NUM_PROXIES (the
NUM_PROXIES environment variable) says: with 0, the default, it is ignored and the address is
the connection's own.
"""

from django.conf import settings


def client_ip(request) -> str:
    """Return the address of the client that sent `request`.

    REMOTE_ADDR, unless NUM_PROXIES proxies of ours stand in front: then the address the
    outermost of them saw, the NUM_PROXIES-th entry from the right of X-Forwarded-For (entries
    further left were written by the client). The same rule as DRF's with NUM_PROXIES set.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if not settings.NUM_PROXIES or not forwarded:
        return remote
    hops = forwarded.split(",")
    return hops[-min(settings.NUM_PROXIES, len(hops))].strip()
