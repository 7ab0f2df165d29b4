"""Logging in: the lockout limits (issue 13, item 11) and where a login lands (item 13)."""

import pytest
from django.contrib.auth.models import Group, User

LOGIN = "/admin/login/"


@pytest.fixture
def editor_account(roles) -> User:
    user = User.objects.create_user("eddie", password="right-pass", is_staff=True)
    user.groups.add(Group.objects.get(name="Editor"))
    return user


def attempt(client, username: str, password: str, ip: str, next_url: str = "/admin/"):
    return client.post(
        f"{LOGIN}?next={next_url}",
        {"username": username, "password": password, "next": next_url},
        REMOTE_ADDR=ip,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.wsgi_request.session


def test_one_address_trying_many_usernames_is_locked_at_the_per_address_limit(
    client, editor_account, settings
):
    assert (settings.AXES_FAILURE_LIMIT, settings.LOGIN_IP_FAILURE_LIMIT) == (5, 20)
    attacker, colleague = "203.0.113.7", "198.51.100.2"
    # A few passwords on each of many accounts: never 5 on one, so only the address limit holds.
    for n in range(19):
        response = attempt(client, f"user{n % 10}", f"guess-{n}", attacker)
        assert response.status_code == 200  # the form again: wrong password, no lockout yet
    assert logged_in(attempt(client, "eddie", "right-pass", attacker))  # 19 < 20: still open
    client.logout()
    for n in range(20):
        response = attempt(client, f"other{n}", "guess", attacker)
        if response.status_code == 429:
            break
    assert response.status_code == 429, "the address was never locked out"
    # Locked for every account, even with the right password…
    refused = attempt(client, "eddie", "right-pass", attacker)
    assert refused.status_code == 429 and not logged_in(refused)
    # …but only that address.
    assert logged_in(attempt(client, "eddie", "right-pass", colleague))


def test_the_same_username_from_one_address_is_locked_after_five(client, editor_account):
    attacker = "203.0.113.8"
    statuses = [attempt(client, "eddie", f"guess-{n}", attacker).status_code for n in range(5)]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks
    refused = attempt(client, "eddie", "right-pass", attacker)
    assert refused.status_code == 429 and not logged_in(refused)
    # The lock is on (username, address): the same person from elsewhere still gets in.
    assert logged_in(attempt(client, "eddie", "right-pass", "198.51.100.3"))


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_a_refused_next_lands_on_a_page_of_ours(client, editor_account, next_url):
    response = attempt(client, "eddie", "right-pass", "192.0.2.1", next_url=next_url)
    assert logged_in(response)
    assert response["Location"] == "/admin/"
    assert client.get(response["Location"]).status_code == 200


def test_a_safe_next_is_still_followed(client, editor_account):
    response = attempt(client, "eddie", "right-pass", "192.0.2.1", next_url="/admin/articles/")
    assert response.status_code == 302 and response["Location"] == "/admin/articles/"
