"""X-Forwarded-For is written by the client unless a proxy of ours appends to it: the API's
anonymous throttle and the login lockout trust it only as far as NUM_PROXIES says (issue 13,
item 5). With the default, 0, a new forged address per request escapes nothing."""

import itertools

import pytest
from django.contrib.auth.models import Group, User
from django.core.cache import cache
from rest_framework import throttling

URL = "/api/v1/sections/"
forged = (f"198.51.100.{n}" for n in itertools.count(1))


@pytest.fixture
def three_a_minute(db, monkeypatch):
    # DRF reads the rates once, at import: set them on the class for this test only.
    monkeypatch.setattr(throttling.SimpleRateThrottle, "THROTTLE_RATES", {"anon": "3/min"})
    cache.clear()  # the throttle's history lives in the default cache
    yield
    cache.clear()


def test_the_default_trusts_no_forwarded_address(settings):
    assert settings.NUM_PROXIES == 0
    assert settings.REST_FRAMEWORK["NUM_PROXIES"] == 0


def test_a_new_forwarded_address_per_request_is_throttled_the_same(client, three_a_minute):
    codes = [
        client.get(URL, REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR=next(forged)).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    # Without the header: the same bucket, already full.
    assert client.get(URL, REMOTE_ADDR="203.0.113.5").status_code == 429
    # Another connection address is another client.
    assert client.get(URL, REMOTE_ADDR="203.0.113.6").status_code == 200


def test_behind_one_proxy_only_the_address_it_appended_counts(client, three_a_minute, settings):
    settings.NUM_PROXIES = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    proxy = {"REMOTE_ADDR": "10.0.0.2"}
    # The client forges entries on the left; the proxy appends the address it saw.
    codes = [
        client.get(URL, HTTP_X_FORWARDED_FOR=f"{next(forged)}, 203.0.113.9", **proxy).status_code
        for _ in range(4)
    ]
    assert codes == [200, 200, 200, 429]
    # Another client behind the same proxy has its own bucket.
    assert client.get(URL, HTTP_X_FORWARDED_FOR="203.0.113.10", **proxy).status_code == 200


def test_the_login_lockout_ignores_a_forged_forwarded_address(client, roles):
    user = User.objects.create_user("eddie", password="right-pass", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))

    def attempt(password: str):
        return client.post(
            "/admin/login/?next=/admin/",
            {"username": "eddie", "password": password, "next": "/admin/"},
            REMOTE_ADDR="203.0.113.8",
            HTTP_X_FORWARDED_FOR=next(forged),
        )

    statuses = [attempt(f"guess-{n}").status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # one address, however it is dressed up
    assert attempt("right-pass").status_code == 429
