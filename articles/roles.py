"""The newsroom's roles as groups of permissions. Created and kept in sync by a migration."""

ROLE_PERMISSIONS: dict[str, dict[str, list[str]]] = {
    "Reporter": {
        "article": ["add", "change", "view"],
        "articleauthor": ["add", "change", "delete", "view"],
        "block": ["add", "change", "delete", "view"],
        "articleentity": ["add", "change", "delete", "view"],
        "correction": ["view"],
        "image": ["add", "view"],
        "section": ["view"],
        "author": ["view"],
        "entity": ["view"],
        "revision": ["view"],
    },
    "Editor": {
        "article": ["add", "change", "delete", "view", "publish_article", "override_ad_check"],
        "articleauthor": ["add", "change", "delete", "view"],
        "block": ["add", "change", "delete", "view"],
        "articleentity": ["add", "change", "delete", "view"],
        "correction": ["add", "change", "delete", "view"],
        "image": ["add", "change", "delete", "view"],
        "section": ["add", "change", "delete", "view"],
        "author": ["add", "change", "delete", "view"],
        "entity": ["add", "change", "delete", "view"],
        "revision": ["view"],
        "auditentry": ["view"],
        "sponsor": ["view"],
        "sponsoredblock": ["view"],
        "apiclient": ["add", "change", "delete", "view"],
    },
    "Ad operations": {
        "sponsor": ["add", "change", "delete", "view"],
        "sponsoredblock": ["add", "change", "delete", "view"],
        # Logos are images; sections are picked for targeting without needing their screen.
        "image": ["add", "view"],
        "auditentry": ["view"],
    },
}


def codename(action: str, model: str) -> str:
    """Return the permission codename: Django's default ones are '<action>_<model>'."""
    return f"{action}_{model}" if action in {"add", "change", "delete", "view"} else action


def sync_roles(apps) -> None:
    """Create the role groups and give each exactly its permissions (used by migrations)."""
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations run; the roles need them now.
    # create_permissions() skips app configs without a models module, which migration-state
    # app configs lack, so mark each as having one for the call.
    for app_config in apps.get_app_configs():
        original = getattr(app_config, "models_module", None)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = original
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    # An older migration runs this against the models of its day: skip models not created
    # yet (a later migration syncs again), but fail loudly on a misspelt one.
    known = {model._meta.model_name for model in apps.get_app_config("articles").get_models()}
    for role, models in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = [
            Permission.objects.get(content_type__app_label="articles", codename=codename(a, m))
            for m, actions in models.items()
            if m in known
            for a in actions
        ]
        group.permissions.set(wanted)
