"""Security settings that hold in every mode: login throttling, CSRF, headers."""

from django.contrib.auth.models import User


def login(client, password: str):
    return client.post("/admin/login/?next=/admin/", {"username": "eddie", "password": password})


def test_admin_login_is_throttled_after_five_failures(client, db):
    User.objects.create_user("eddie", password="the-right-password", is_staff=True)
    for _ in range(4):
        assert login(client, "wrong").status_code == 200  # the form again, with an error
    assert login(client, "wrong").status_code == 429  # the fifth failure locks
    locked = login(client, "the-right-password")
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_form_needs_its_csrf_token(db):
    from django.test import Client

    User.objects.create_user("eddie", password="the-right-password", is_staff=True)
    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/admin/login/", {"username": "eddie", "password": "the-right-password"})
    assert response.status_code == 403


def test_pages_send_security_headers(client, db):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["Referrer-Policy"]


def test_the_api_has_no_write_paths(client, db):
    for method in ["post", "put", "patch", "delete"]:
        response = getattr(client, method)("/api/v1/articles/", content_type="application/json")
        assert response.status_code == 405
