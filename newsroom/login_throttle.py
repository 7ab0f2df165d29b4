"""Login throttling: django-axes' per-(username, address) lockout plus a higher per-address one.

axes takes several lockout parameter combinations but only one failure limit, so a per-address
limit of 20 next to a per-(username, address) limit of 5 needs this small handler:

- 5 failures (AXES_FAILURE_LIMIT) lock one username from one address, as axes does;
- LOGIN_IP_FAILURE_LIMIT failures from one address, whatever the usernames, lock that
  address out of every account, so it cannot try a few passwords on each account in turn.

Both last AXES_COOLOFF_TIME and count the failures axes records (one row per username,
address and user agent), so nothing is stored twice.
"""

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Sum


def address_failures(request) -> int:
    """Recent failed logins from the request's address, across all usernames and browsers."""
    attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
    if settings.AXES_COOLOFF_TIME is not None:
        attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


def address_locked(request) -> bool:
    """True when the request's address has reached the per-address failure limit."""
    return address_failures(request) >= settings.LOGIN_IP_FAILURE_LIMIT


class NewsroomAxesHandler(AxesDatabaseHandler):
    """axes' database handler with the per-address limit added (see the module docstring)."""

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or address_locked(request)

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        # As axes does for its own limit: the failure that reaches the limit already gets the
        # lockout page, not one more "wrong password".
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if address_locked(request):
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
