"""Staff accounts for tests: one helper, used by every test that needs a user in a role."""

from django.contrib.auth.models import Group, User


def staff(username: str, role: str, *, password: str | None = None) -> User:
    """Create a staff user in the role group `role` (the `roles` fixture makes the groups).

    No password by default: tests log in with force_login, and hashing one is slow.
    """
    user = User.objects.create_user(username, password=password, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user
