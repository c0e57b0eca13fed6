"""Settings come from the environment and fail loudly, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal import env
from tests.conftest import REPO_DIR


@pytest.fixture
def clean_env(monkeypatch):
    for name in ["X_BOOL", "X_INT", "X_LIST", "X_STR", "X_STR_FILE", "X_DB"]:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize("raw,expected", [("true", True), ("1", True), ("ON", True), ("no", False), ("0", False), ("", False)])
def test_bool_values(clean_env, raw, expected):
    clean_env.setenv("X_BOOL", raw)
    assert env.get_bool("X_BOOL", not expected) is expected


def test_bad_bool_names_the_variable(clean_env):
    clean_env.setenv("X_BOOL", "maybe")
    with pytest.raises(ImproperlyConfigured, match="X_BOOL"):
        env.get_bool("X_BOOL", False)


def test_int_limits(clean_env):
    clean_env.setenv("X_INT", "12")
    assert env.get_int("X_INT", 1, minimum=1) == 12
    clean_env.setenv("X_INT", "twelve")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be a whole number"):
        env.get_int("X_INT", 1)
    clean_env.setenv("X_INT", "0")
    with pytest.raises(ImproperlyConfigured, match="X_INT must be at least 1"):
        env.get_int("X_INT", 5, minimum=1)


def test_list_rejects_empty_items(clean_env):
    clean_env.setenv("X_LIST", "a.example, b.example")
    assert env.get_list("X_LIST", []) == ["a.example", "b.example"]
    clean_env.setenv("X_LIST", "a.example,,b")
    with pytest.raises(ImproperlyConfigured, match="X_LIST"):
        env.get_list("X_LIST", [])


def test_secret_from_file(clean_env, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n")
    clean_env.setenv("X_STR_FILE", str(secret))
    assert env.get_str("X_STR") == "s3cr3t"
    clean_env.setenv("X_STR_FILE", str(tmp_path / "missing"))
    with pytest.raises(ImproperlyConfigured, match="X_STR_FILE"):
        env.get_str("X_STR")


def test_database_urls(clean_env):
    clean_env.setenv("X_DB", "postgres://postgres@127.0.0.1:5432/portal")
    config = env.get_database("X_DB", "sqlite:///x.sqlite3")
    assert config["ENGINE"] == "portal.postgresql"
    assert config["NAME"] == "portal"
    clean_env.delenv("X_DB")
    assert env.get_database("X_DB", "sqlite:////tmp/x.sqlite3")["ENGINE"] == "portal.sqlite3"
    clean_env.setenv("X_DB", "mysql://root@localhost/portal")
    with pytest.raises(ImproperlyConfigured, match="X_DB must point to SQLite or PostgreSQL"):
        env.get_database("X_DB", "sqlite:///x.sqlite3")
    clean_env.setenv("X_DB", "nonsense")
    with pytest.raises(ImproperlyConfigured, match="X_DB"):
        env.get_database("X_DB", "sqlite:///x.sqlite3")


def test_sqlite_files_use_the_write_ahead_log(clean_env, tmp_path, django_db_blocker):
    from django.db.utils import ConnectionHandler

    clean_env.setenv("X_DB", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    handler = ConnectionHandler({"default": env.get_database("X_DB", "sqlite:///x.sqlite3")})
    # A database file of its own, not the test database.
    with django_db_blocker.unblock():
        with handler["default"].cursor() as cursor:
            cursor.execute("PRAGMA journal_mode")
            assert cursor.fetchone()[0] == "wal"
            cursor.execute("PRAGMA synchronous")
            assert cursor.fetchone()[0] == 1  # NORMAL
            cursor.execute("PRAGMA page_size")
            assert cursor.fetchone()[0] == 16384
        handler.close_all()


def test_sqlite_connections_are_kept_between_requests_and_see_other_processes_commits(clean_env, tmp_path, django_db_blocker):
    from django.db.utils import ConnectionHandler

    clean_env.setenv("X_DB", f"sqlite:///{tmp_path / 'portal.sqlite3'}")
    config = env.get_database("X_DB", "sqlite:///x.sqlite3")
    assert config["CONN_MAX_AGE"] == 60
    # Two processes on one file: a worker that serves pages and another that writes (an import, the admin).
    worker = ConnectionHandler({"default": config})["default"]
    writer = ConnectionHandler({"default": env.get_database("X_DB", "sqlite:///x.sqlite3")})["default"]

    def count() -> int:
        with worker.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM t")
            return cursor.fetchone()[0]

    def end_of_request() -> None:
        # What Django does at request_started and request_finished (close_old_connections).
        worker.close_if_unusable_or_obsolete()

    with django_db_blocker.unblock():
        with writer.cursor() as cursor:
            cursor.execute("CREATE TABLE t (n integer)")
            cursor.execute("INSERT INTO t VALUES (1)")
        assert count() == 1
        kept = worker.connection
        end_of_request()
        assert worker.connection is kept
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (2)")
        assert count() == 2
        end_of_request()
        writer.set_autocommit(False)
        with writer.cursor() as cursor:
            cursor.execute("INSERT INTO t VALUES (3)")
        assert count() == 2  # not committed yet
        writer.commit()
        writer.set_autocommit(True)
        assert count() == 3
        assert worker.connection is kept
        worker.close()
        writer.close()


def _check(**overrides: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    environment.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=REPO_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_start_refuses_missing_secret_key_without_debug():
    result = _check(DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_start_refuses_bad_debug_value():
    result = _check(DEBUG="perhaps")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_start_with_valid_environment():
    result = _check(DEBUG="false", SECRET_KEY="x" * 50, ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr


def test_german_default_and_berlin_time(settings):
    assert settings.LANGUAGE_CODE == "de"
    assert [code for code, _ in settings.LANGUAGES] == ["de", "en"]
    assert settings.TIME_ZONE == "Europe/Berlin"


def _manage(*args: str, env_file: str, **overrides: str) -> subprocess.CompletedProcess:
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    environment.update(PORTAL_ENV_FILE=env_file, **overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=REPO_DIR, env=environment, capture_output=True, text=True, timeout=120
    )


def test_make_run_writes_local_settings_that_manage_py_uses(tmp_path):
    """After `make run`, `manage.py shell` (and createsuperuser, dbshell …) start without exports."""
    made = subprocess.run(["make", "-f", str(REPO_DIR / "Makefile"), ".env"], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    written = (tmp_path / ".env").read_text(encoding="utf-8")
    assert "DEBUG=true" in written and "SECRET_KEY=" in written
    # Written once: a second run keeps the key (sessions survive).
    subprocess.run(["make", "-f", str(REPO_DIR / "Makefile"), ".env"], cwd=tmp_path, capture_output=True, timeout=60)
    assert (tmp_path / ".env").read_text(encoding="utf-8") == written

    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    result = _manage("shell", "-c", code, env_file=str(tmp_path / ".env"))
    assert result.returncode == 0, result.stderr
    key = written.split("SECRET_KEY=")[1].strip()
    assert result.stdout.strip().splitlines()[-1].split() == ["True", key]

    # Without the file the start still refuses, naming the variable.
    result = _manage("shell", "-c", code, env_file=str(tmp_path / "none"), DEBUG="false")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_the_environment_wins_over_the_local_settings(tmp_path):
    local = tmp_path / ".env"
    local.write_text('# local\nDEBUG=true\nexport SECRET_KEY="from-the-file-0123456789-0123456789-0123456789"\n', encoding="utf-8")
    code = "from django.conf import settings; print(settings.DEBUG, settings.SECRET_KEY)"
    result = _manage("shell", "-c", code, env_file=str(local), DEBUG="false", ALLOWED_HOSTS="portal.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1].split() == ["False", "from-the-file-0123456789-0123456789-0123456789"]


def test_a_bad_line_in_the_local_settings_names_the_file_and_line(tmp_path):
    local = tmp_path / ".env"
    local.write_text("DEBUG=true\nnot a setting\n", encoding="utf-8")
    result = _manage("check", env_file=str(local))
    assert result.returncode != 0
    assert f"{local}: line 2 is not NAME=value" in result.stderr
