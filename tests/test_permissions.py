"""Who may see, change, publish and withdraw — every boundary of the editorial roles — and
the login hardening (lockout, configurable admin path, cookie settings)."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings
from django.urls import clear_url_caches, reverse

from inquiries import roles
from inquiries.models import Inquiry, InquiryState
from portal import env
from tests.admin_helpers import admin_url, change_data
from tests.workflow_factories import (
    InquiryFactory,
    UserFactory,
    administrator,
    editor,
    inquiry_with_questions,
    publisher,
)

pytestmark = pytest.mark.django_db

REPO_DIR = Path(__file__).resolve().parent.parent
PASSWORD = "ein-langes-Passwort-2024"


@pytest.fixture
def draft():
    return inquiry_with_questions(title="Entwurf zur Windkraft")


@pytest.fixture
def published():
    return inquiry_with_questions(published=True, title="Veröffentlicht zum Nahverkehr")


@pytest.fixture
def as_user(client):
    def login(user):
        if user is not None:
            client.force_login(user)
        return client

    return login


USERS = {
    "anonymous": lambda: None,
    "staff_without_role": lambda: UserFactory(),
    "editor": editor,
    "publisher": publisher,
    "administrator": administrator,
}


# --- the roles ----------------------------------------------------------------------------------


def test_the_migration_creates_the_roles_with_their_permissions():
    for name, codenames in roles.ROLE_PERMISSIONS.items():
        group = Group.objects.get(name=name)
        assert sorted(group.permissions.values_list("codename", flat=True)) == sorted(codenames)


def test_editors_cannot_publish_and_publishers_cannot_change():
    editor_user, publisher_user = editor(), publisher()
    assert editor_user.has_perm("inquiries.change_inquiry")
    assert not editor_user.has_perm("inquiries.publish_inquiry")
    assert not editor_user.has_perm("inquiries.withdraw_inquiry")
    assert not editor_user.has_perm("inquiries.delete_inquiry")
    assert publisher_user.has_perm("inquiries.publish_inquiry")
    assert publisher_user.has_perm("inquiries.withdraw_inquiry")
    assert not publisher_user.has_perm("inquiries.change_inquiry")
    assert not publisher_user.has_perm("inquiries.add_question")


# --- who may see --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "expected"),
    [
        ("anonymous", 302),
        ("staff_without_role", 403),
        ("editor", 200),
        ("publisher", 200),
        ("administrator", 200),
    ],
)
@pytest.mark.parametrize("page", ["changelist", "change", "preview", "history"])
def test_who_may_see_the_inquiry_admin(as_user, draft, user, expected, page):
    client = as_user(USERS[user]())
    url = admin_url(page) if page == "changelist" else admin_url(page, draft.pk)
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302:
        assert response["Location"].startswith(reverse("admin:login"))
    if expected != 200:
        assert draft.title not in response.content.decode()


def test_staff_without_role_sees_no_model_in_the_admin(as_user):
    response = as_user(UserFactory()).get(reverse("admin:index"))
    assert response.status_code == 200
    assert response.context["app_list"] == []


@pytest.mark.parametrize("model", ["person", "faction", "party", "ministry", "parliament", "term", "sourcedocument"])
def test_staff_without_role_cannot_open_the_reference_data(as_user, model):
    response = as_user(UserFactory()).get(reverse(f"admin:inquiries_{model}_changelist"))
    assert response.status_code == 403


@pytest.mark.parametrize("user", ["editor", "publisher"])
@pytest.mark.parametrize("model", ["person", "faction", "party", "ministry", "parliament", "term"])
def test_both_roles_can_look_up_the_reference_data(as_user, user, model):
    assert as_user(USERS[user]()).get(reverse(f"admin:inquiries_{model}_changelist")).status_code == 200


# --- who may change -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("staff_without_role", False), ("editor", True), ("publisher", False), ("administrator", True)],
)
def test_who_may_change_an_inquiry(as_user, draft, user, allowed):
    client = as_user(USERS[user]())
    response = client.post(admin_url("change", draft.pk), change_data(draft, title="Geänderter Titel"))
    draft.refresh_from_db()
    if allowed:
        assert response.status_code == 302, response.context["errors"] if response.context else response
        assert draft.title == "Geänderter Titel"
    else:
        assert response.status_code == 403
        assert draft.title == "Entwurf zur Windkraft"


def test_an_editor_may_correct_a_published_inquiry_but_not_its_state(as_user, published):
    client = as_user(editor())
    response = client.post(
        admin_url("change", published.pk),
        change_data(published, title="Korrigierter Titel", state="draft", published_at="", withdrawn_reason="x"),
    )
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.title == "Korrigierter Titel"
    assert published.state == InquiryState.PUBLISHED
    assert published.withdrawn_reason == ""


@pytest.mark.parametrize(("user", "allowed"), [("staff_without_role", False), ("editor", True), ("publisher", False)])
def test_who_may_add_an_inquiry(as_user, user, allowed):
    assert as_user(USERS[user]()).get(admin_url("add")).status_code == (200 if allowed else 403)


@pytest.mark.parametrize(("user", "allowed"), [("editor", False), ("publisher", False), ("administrator", True)])
def test_only_administrators_may_delete(as_user, draft, user, allowed):
    response = as_user(USERS[user]()).post(admin_url("delete", draft.pk), {"post": "yes"})
    assert Inquiry.objects.filter(pk=draft.pk).exists() is not allowed
    assert response.status_code == (302 if allowed else 403)


@pytest.mark.parametrize("user", ["editor", "publisher", "administrator"])
def test_nobody_can_revert_from_the_history(as_user, published, user):
    client = as_user(USERS[user]())
    record = published.history.earliest()
    url = reverse("admin:inquiries_inquiry_simple_history", args=[published.pk, record.history_id])
    assert client.get(url).status_code == 200
    response = client.post(url, change_data(published, title="Zurückgesetzt"))
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.title == "Veröffentlicht zum Nahverkehr"


# --- who may publish and withdraw ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("anonymous", False), ("staff_without_role", False), ("editor", False), ("publisher", True), ("administrator", True)],
)
def test_who_may_publish_on_the_inquiry_page(as_user, draft, user, allowed):
    client = as_user(USERS[user]())
    page = client.get(admin_url("publish", draft.pk))
    response = client.post(admin_url("publish", draft.pk), {"confirm": "yes"})
    draft.refresh_from_db()
    if allowed:
        assert page.status_code == 200
        assert response.status_code == 302
        assert draft.state == InquiryState.PUBLISHED
    else:
        assert page.status_code in (302, 403)
        assert response.status_code in (302, 403)
        assert draft.state == InquiryState.DRAFT


@pytest.mark.parametrize(
    ("user", "allowed"),
    [("anonymous", False), ("staff_without_role", False), ("editor", False), ("publisher", True), ("administrator", True)],
)
def test_who_may_withdraw_on_the_inquiry_page(as_user, published, user, allowed):
    client = as_user(USERS[user]())
    response = client.post(admin_url("withdraw", published.pk), {"confirm": "yes", "reason": "Doppelt eingestellt"})
    published.refresh_from_db()
    if allowed:
        assert response.status_code == 302
        assert published.state == InquiryState.WITHDRAWN
    else:
        assert response.status_code in (302, 403)
        assert published.state == InquiryState.PUBLISHED


@pytest.mark.parametrize(
    ("user", "publish", "withdraw"),
    [("editor", False, False), ("publisher", True, True), ("administrator", True, True)],
)
def test_the_actions_offered_follow_the_role(as_user, draft, user, publish, withdraw):
    response = as_user(USERS[user]()).get(admin_url("changelist"))
    action_form = response.context["action_form"]
    choices = dict(action_form.fields["action"].choices) if action_form else {}
    assert ("publish_selected" in choices) is publish
    assert ("withdraw_selected" in choices) is withdraw


@pytest.mark.parametrize(("action", "fixture_name"), [("publish_selected", "draft"), ("withdraw_selected", "published")])
def test_an_editor_cannot_run_the_actions_by_posting_them(as_user, request, action, fixture_name):
    inquiry = request.getfixturevalue(fixture_name)
    before = inquiry.state
    client = as_user(editor())
    client.post(
        admin_url("changelist"),
        {"action": action, "_selected_action": [inquiry.pk], "confirm": "yes", "reason": "weg damit"},
    )
    inquiry.refresh_from_db()
    assert inquiry.state == before


def test_the_edit_page_offers_the_buttons_of_the_role(as_user, draft):
    editor_page = as_user(editor()).get(admin_url("change", draft.pk)).content.decode()
    assert admin_url("preview", draft.pk) in editor_page
    assert admin_url("publish", draft.pk) not in editor_page
    publisher_page = as_user(publisher()).get(admin_url("change", draft.pk)).content.decode()
    assert admin_url("publish", draft.pk) in publisher_page
    assert admin_url("withdraw", draft.pk) in publisher_page


def test_a_published_inquiry_offers_no_publish_button(as_user, published):
    page = as_user(publisher()).get(admin_url("change", published.pk)).content.decode()
    assert admin_url("publish", published.pk) not in page
    assert admin_url("withdraw", published.pk) in page


# --- login hardening ------------------------------------------------------------------------------


def test_repeated_failed_logins_lock_the_login_out(client):
    user = UserFactory(username="redakteurin", password=PASSWORD)
    login_url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(login_url, {"username": user.username, "password": "falsch"})
        assert response.status_code == 200  # the form again, with an error
    response = client.post(login_url, {"username": user.username, "password": "falsch"})
    assert response.status_code == 429
    assert "gesperrt" in response.content.decode()
    # Locked out even with the right password now.
    response = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_correct_login_before_the_limit_succeeds_and_resets_the_count(client):
    user = UserFactory(username="redakteur", password=PASSWORD)
    login_url = reverse("admin:login")
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        client.post(login_url, {"username": user.username, "password": "falsch"})
    response = client.post(login_url, {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(user.pk)


def test_the_admin_path_comes_from_the_settings(client):
    import portal.urls

    try:
        with override_settings(ADMIN_URL="redaktion-intern/"):
            importlib.reload(portal.urls)
            clear_url_caches()
            assert reverse("admin:index") == "/redaktion-intern/"
            assert client.get("/redaktion-intern/").status_code == 302
            assert client.get("/admin/").status_code == 404
    finally:
        importlib.reload(portal.urls)
        clear_url_caches()
    assert reverse("admin:index") == "/" + settings.ADMIN_URL


@pytest.mark.parametrize("value", ["/admin/", "admin", "../admin/", "ad min/", "admin//"])
def test_a_bad_admin_path_is_refused_with_its_name(monkeypatch, value):
    monkeypatch.setenv("ADMIN_URL", value)
    with pytest.raises(ImproperlyConfigured, match="ADMIN_URL"):
        env.get_url_path("ADMIN_URL", "admin/")


@pytest.mark.parametrize(("value", "expected"), [(None, "admin/"), ("redaktion/", "redaktion/"), ("intern/redaktion/", "intern/redaktion/")])
def test_admin_path_values(monkeypatch, value, expected):
    if value is None:
        monkeypatch.delenv("ADMIN_URL", raising=False)
    else:
        monkeypatch.setenv("ADMIN_URL", value)
    assert env.get_url_path("ADMIN_URL", "admin/") == expected


def _settings_in_subprocess(**environment: str) -> subprocess.CompletedProcess:
    code = (
        "import json, django; django.setup(); from django.conf import settings as s;"
        "print(json.dumps({name: str(getattr(s, name)) for name in ["
        "'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'CSRF_COOKIE_HTTPONLY',"
        "'SESSION_COOKIE_SAMESITE', 'CSRF_COOKIE_SAMESITE', 'SESSION_COOKIE_AGE', 'AXES_FAILURE_LIMIT',"
        "'AXES_COOLOFF_TIME', 'ADMIN_URL']}))"
    )
    variables = {key: value for key, value in os.environ.items() if not key.startswith(("AXES_", "SESSION_", "CSRF_", "ADMIN_URL"))}
    variables.update({"DJANGO_SETTINGS_MODULE": "portal.settings", "DATABASE_URL": "", **environment})
    return subprocess.run([sys.executable, "-c", code], cwd=REPO_DIR, env=variables, capture_output=True, text=True, timeout=120)


def test_production_settings_have_secure_cookies_and_the_env_limits():
    result = _settings_in_subprocess(
        DEBUG="false",
        SECRET_KEY="x" * 50,
        AXES_FAILURE_LIMIT="7",
        AXES_COOLOFF_MINUTES="45",
        SESSION_COOKIE_AGE="3600",
        ADMIN_URL="redaktion/",
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values == {
        "SESSION_COOKIE_SECURE": "True",
        "CSRF_COOKIE_SECURE": "True",
        "SESSION_COOKIE_HTTPONLY": "True",
        "CSRF_COOKIE_HTTPONLY": "True",
        "SESSION_COOKIE_SAMESITE": "Lax",
        "CSRF_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_AGE": "3600",
        "AXES_FAILURE_LIMIT": "7",
        "AXES_COOLOFF_TIME": "0:45:00",
        "ADMIN_URL": "redaktion/",
    }


@pytest.mark.parametrize(
    ("variable", "value"),
    [("AXES_FAILURE_LIMIT", "viele"), ("AXES_FAILURE_LIMIT", "0"), ("AXES_COOLOFF_MINUTES", "-5"), ("SESSION_COOKIE_AGE", "10")],
)
def test_bad_login_limits_stop_the_start_naming_the_variable(variable, value):
    result = _settings_in_subprocess(DEBUG="true", **{variable: value})
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert variable in result.stderr


def test_session_cookie_is_http_only_and_same_site_on_login(client):
    user = UserFactory(username="anmeldung", password=PASSWORD)
    response = client.post(reverse("admin:login"), {"username": user.username, "password": PASSWORD})
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"] is True
    assert cookie["samesite"] == "Lax"
    assert int(cookie["max-age"]) == settings.SESSION_COOKIE_AGE


def test_drafts_are_invisible_to_anonymous_visitors_in_the_admin_too(client, draft):
    for url in (admin_url("preview", draft.pk), admin_url("change", draft.pk)):
        response = client.get(url)
        assert response.status_code == 302
        assert draft.title not in response.content.decode()


def test_staff_without_role_cannot_use_the_autocomplete(as_user):
    InquiryFactory()
    response = as_user(UserFactory()).get(
        reverse("admin:autocomplete"),
        {"app_label": "inquiries", "model_name": "inquiry", "field_name": "answering_ministry", "term": "Min"},
    )
    assert response.status_code == 403
