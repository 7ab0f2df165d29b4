"""The stock user screen, plus an audit entry whenever someone's roles (groups) change."""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from articles.models import AuditEntry

User = get_user_model()


def group_names(user) -> list[str]:
    return sorted(user.groups.values_list("name", flat=True))


if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class NewsroomUserAdmin(UserAdmin):
    def save_related(self, request, form, formsets, change):
        # The groups are saved here (form.save_m2m), so the database still holds the old ones.
        before = group_names(form.instance)
        super().save_related(request, form, formsets, change)
        after = group_names(form.instance)
        if before != after:
            user = form.instance
            AuditEntry.objects.create(
                action="role_change",
                actor=request.user,
                message=(
                    f"Roles of {user.get_username()}: "
                    f"{', '.join(before) or 'none'} → {', '.join(after) or 'none'}."
                ),
                data={
                    "user": {"id": user.pk, "username": user.get_username()},
                    "before": before,
                    "after": after,
                },
            )
