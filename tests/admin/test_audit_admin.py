"""The audit log screen: read-only for everyone, each role seeing its own area; role changes."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import AuditEntry
from tests.users import staff

LOG = "/admin/articles/auditentry/"


@pytest.fixture
def entries(make_article):
    """One editorial entry, one sponsored entry and one role change, by different people."""
    editor, adops = User.objects.create_user("dora"), User.objects.create_user("sam")
    article = make_article(headline="Toyota exports rise")
    return {
        "publish": AuditEntry.objects.create(
            action="publish", article=article, actor=editor, message="Published"
        ),
        "sponsored_activate": AuditEntry.objects.create(
            action="sponsored_activate", actor=adops, message="Activated “Trade with us”"
        ),
        "role_change": AuditEntry.objects.create(
            action="role_change", actor=editor, message="Roles of sam: none → Ad operations."
        ),
    }


def shown(response) -> set[str]:
    return {entry.action for entry in response.context["cl"].result_list}


# --- Who sees what -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status", "visible"),
    [
        ("Reporter", 403, None),
        ("Editor", 200, {"publish", "sponsored_activate", "role_change"}),
        ("Ad operations", 200, {"sponsored_activate"}),
    ],
)
def test_role_table_for_the_audit_log(client, entries, role, status, visible):
    client.force_login(staff("someone", role))
    response = client.get(LOG)
    assert response.status_code == status
    if visible is not None:
        assert shown(response) == visible
    for action, entry in entries.items():
        response = client.get(f"{LOG}{entry.pk}/change/")
        if visible is None:
            assert response.status_code == 403
        elif action in visible:
            assert response.status_code == 200
            assert entry.message in response.content.decode()
        else:
            # Outside one's area the entry does not exist, as far as the admin is concerned.
            response = client.get(f"{LOG}{entry.pk}/change/", follow=True)
            assert response.redirect_chain[-1][0] == "/admin/"
            assert entry.message not in response.content.decode()


@pytest.mark.parametrize("role", ["Reporter", "Editor", "Ad operations", "superuser"])
def test_nobody_can_add_change_or_delete_entries(client, entries, role):
    superuser = role == "superuser"
    client.force_login(User.objects.create_superuser("root") if superuser else staff("x", role))
    entry = entries["sponsored_activate"]

    assert client.get(f"{LOG}add/").status_code == 403
    assert client.post(f"{LOG}add/", {"action": "forged", "message": "x"}).status_code == 403
    response = client.post(f"{LOG}{entry.pk}/change/", {"action": "forged", "message": "x"})
    assert response.status_code == 403
    assert client.post(f"{LOG}{entry.pk}/delete/", {"post": "yes"}).status_code == 403
    # There are no bulk actions, so "delete selected" is not there to run.
    response = client.post(
        LOG, {"action": "delete_selected", "_selected_action": [entry.pk], "index": 0}
    )
    assert response.status_code == (403 if role == "Reporter" else 200)

    assert AuditEntry.objects.count() == 3
    entry.refresh_from_db()
    assert entry.action == "sponsored_activate" and entry.message.startswith("Activated")


def test_the_entry_page_is_read_only(admin_client, entries):
    page = admin_client.get(f"{LOG}{entries['publish'].pk}/change/").content.decode()
    assert "Toyota exports rise" in page
    assert 'name="_save"' not in page and "deletelink" not in page


# --- The list: who, when, action, article, why; filters -------------------------------------


def test_list_shows_who_when_what_and_why(admin_client, entries):
    text = admin_client.get(LOG).content.decode()
    for expected in ["dora", "sam", "Toyota exports rise", "Published", "Activated", "role_change"]:
        assert expected in text


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"action": "publish"}, {"publish"}),
        ({"action": "role_change"}, {"role_change"}),
        ({"actor__username": "sam"}, {"sponsored_activate"}),
    ],
)
def test_filters_by_action_and_actor(admin_client, entries, query, expected):
    if "actor__username" in query:
        query = {"actor__id__exact": User.objects.get(username=query["actor__username"]).pk}
    assert shown(admin_client.get(LOG, query)) == expected


def test_filters_by_date(admin_client, entries):
    old = entries["publish"]
    AuditEntry.objects.filter(pk=old.pk).update(at=timezone.now() - timedelta(days=40))
    # The same parameters as the filter's own "Today" link.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    response = admin_client.get(
        LOG, {"at__gte": str(today), "at__lt": str(today + timedelta(days=1))}
    )
    assert shown(response) == {"sponsored_activate", "role_change"}
    response = admin_client.get(LOG, {"at__year": (timezone.now() - timedelta(days=40)).year})
    assert "publish" in shown(response)


def test_ad_operations_filters_offer_only_their_area(client, entries):
    client.force_login(staff("ads", "Ad operations"))
    text = client.get(LOG).content.decode()
    assert "?action=sponsored_activate" in text
    assert "?action=publish" not in text and "?action=role_change" not in text
    # The actor filter lists only the people in their area.
    assert "sam</a>" in text and "dora</a>" not in text


def test_list_query_count_does_not_grow_with_entries(admin_client, entries, make_article):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert admin_client.get(LOG).status_code == 200
        return len(captured)

    few = queries()
    actor = User.objects.create_user("kim")
    for n in range(20):
        AuditEntry.objects.create(
            action="publish", article=make_article(), actor=actor, message=f"n{n}"
        )
    assert queries() == few


# --- Role changes are logged -------------------------------------------------------------


def user_form(user: User, groups: list[Group]) -> dict:
    """The POST the stock user change form sends, with the given groups."""
    return {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "is_staff": "on",
        "groups": [g.pk for g in groups],
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "_save": "Save",
    }


def test_changing_someones_groups_is_logged(admin_client, db):
    sam = staff("sam", "Reporter")
    editor, adops = Group.objects.get(name="Editor"), Group.objects.get(name="Ad operations")

    response = admin_client.post(
        f"/admin/auth/user/{sam.pk}/change/", user_form(sam, [editor, adops])
    )

    assert response.status_code == 302
    assert set(sam.groups.values_list("name", flat=True)) == {"Editor", "Ad operations"}
    entry = AuditEntry.objects.get(action="role_change")
    assert entry.actor.username == "admin"
    assert entry.message == "Roles of sam: Reporter → Ad operations, Editor."
    assert entry.data["before"] == ["Reporter"]
    assert entry.data["after"] == ["Ad operations", "Editor"]


def test_saving_a_user_without_changing_groups_logs_nothing(admin_client, db):
    sam = staff("sam", "Reporter")
    response = admin_client.post(
        f"/admin/auth/user/{sam.pk}/change/",
        user_form(sam, [Group.objects.get(name="Reporter")]) | {"first_name": "Sam"},
    )
    assert response.status_code == 302
    assert not AuditEntry.objects.exists()


def test_role_changes_are_for_editors_eyes(client, db):
    AuditEntry.objects.create(action="role_change", message="Roles of sam: none → Editor.")
    client.force_login(staff("ads", "Ad operations"))
    assert shown(client.get(LOG)) == set()
