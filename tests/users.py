"""Staff accounts for tests: one helper, used by every test that needs a user in a role."""

from django.contrib.auth.models import Group, User


def ensure_roles() -> None:
    """Create the role groups if they are missing. Transactional tests (live_server, threads)
    flush every table between tests, taking the migrations' groups with them."""
    if not Group.objects.filter(name="Editor").exists():
        from django.apps import apps

        from articles.roles import sync_roles

        sync_roles(apps)


def staff(username: str, role: str, *, password: str | None = None) -> User:
    """Create a staff user in the role group `role`, creating the groups if needed.

    No password by default: tests log in with force_login, and hashing one is slow.
    """
    ensure_roles()
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user
