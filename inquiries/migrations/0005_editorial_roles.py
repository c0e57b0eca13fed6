"""Create the editorial roles Redaktion (Editor) and Freigabe (Publisher) as groups.

The permission lists are frozen here on purpose; ``inquiries/roles.py`` documents them.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

_VIEW_ALL = [
    "view_inquiry",
    "view_question",
    "view_asker",
    "view_inquiryministry",
    "view_sourcedocument",
    "view_person",
    "view_membership",
    "view_faction",
    "view_party",
    "view_ministry",
    "view_ministerialoffice",
    "view_parliament",
    "view_term",
]

ROLES = {
    "Redaktion": _VIEW_ALL
    + [
        "add_inquiry",
        "change_inquiry",
        "import_document",
        "add_sourcedocument",
        "add_question",
        "change_question",
        "delete_question",
        "add_asker",
        "change_asker",
        "delete_asker",
        "add_inquiryministry",
        "change_inquiryministry",
        "delete_inquiryministry",
        "add_person",
        "change_person",
        "add_membership",
        "change_membership",
        "delete_membership",
        "add_ministry",
        "change_ministry",
        "add_ministerialoffice",
        "change_ministerialoffice",
        "delete_ministerialoffice",
    ],
    "Freigabe": _VIEW_ALL + ["publish_inquiry", "withdraw_inquiry"],
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations ran; the groups need them now.
    app_config = apps.get_app_config("inquiries")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = list(Permission.objects.filter(content_type__app_label="inquiries", codename__in=codenames))
        missing = set(codenames) - {permission.codename for permission in permissions}
        if missing:
            raise RuntimeError(f"role {name}: permissions not found: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("inquiries", "0004_history_and_publishing_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
