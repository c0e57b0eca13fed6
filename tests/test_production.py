"""Production behaviour: health endpoint, 503 while the database is away, security headers."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from django.db import OperationalError
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from portal.health import health
from portal.middleware import DatabaseUnavailableMiddleware
from tests.conftest import REPO_DIR

pytestmark = pytest.mark.django_db


def test_health_ok(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_health_reports_unreachable_database(rf, monkeypatch):
    from portal import health as health_module

    class BrokenCursor:
        def __enter__(self):
            raise OperationalError("connection refused")

        def __exit__(self, *exc):
            return False

    monkeypatch.setattr(health_module.connection, "cursor", lambda: BrokenCursor())
    response = health(rf.get("/health/"))
    assert response.status_code == 503


def _raise(message: str):
    def view(request):
        raise OperationalError(message)

    return view


urlpatterns = [
    path("down/", _raise('connection to server at "127.0.0.1", port 5432 failed: Connection refused')),
    path("bad-sql/", _raise("no such column: nonsense")),
    path("fine/", lambda request: HttpResponse("ok")),
]


@override_settings(ROOT_URLCONF=__name__)
def test_lost_database_gives_friendly_503(client):
    response = client.get("/down/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert "gleich wieder da" in response.content.decode()
    assert client.get("/fine/").status_code == 200


@override_settings(ROOT_URLCONF=__name__)
def test_other_database_errors_stay_errors(client):
    client.raise_request_exception = True
    with pytest.raises(OperationalError):
        client.get("/bad-sql/")


def test_middleware_passes_other_exceptions(rf):
    middleware = DatabaseUnavailableMiddleware(lambda request: HttpResponse())
    assert middleware.process_exception(rf.get("/"), ValueError("x")) is None


def test_security_headers(client):
    response = client.get("/health/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_check_deploy_is_clean_in_documented_production_environment(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key not in {"DEBUG", "DATABASE_URL"}}
    environment.update(
        DEBUG="false",
        SECRET_KEY="k" * 20 + "-production-secret-key-0123456789abcdef",
        ALLOWED_HOSTS="anfragen.example",
        STATIC_ROOT=str(tmp_path / "static"),
    )

    def manage(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "manage.py", *args], cwd=REPO_DIR, env=environment, capture_output=True, text=True, timeout=180)

    # A deploy that forgot collectstatic is told so.
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode != 0
    assert "portal.W001" in result.stderr and "collectstatic" in result.stderr

    assert manage("collectstatic", "--noinput").returncode == 0
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_replica_router():
    from portal.db_router import PrimaryReplicaRouter

    router = PrimaryReplicaRouter()
    assert router.db_for_read(None) == "replica"
    assert router.db_for_write(None) == "default"
    assert router.allow_migrate("replica", "inquiries") is False
    assert router.allow_migrate("default", "inquiries") is True


@pytest.mark.parametrize("redis_url", ["", "redis://127.0.0.1:6379/3"])
def test_cache_backend_from_redis_url_and_caches_on_without_it(redis_url):
    """Redis with REDIS_URL, else each worker's memory; cached pages and counts key on the
    data version, so both caches are on either way."""
    environment = {key: value for key, value in os.environ.items() if not key.endswith("CACHE_SECONDS") and key != "DATABASE_URL"}
    environment.update(
        DEBUG="false", SECRET_KEY="k" * 20 + "-production-secret-key-0123456789abcdef", ALLOWED_HOSTS="anfragen.example",
        REDIS_URL=redis_url,
    )
    code = (
        "from django.conf import settings; "
        "print(settings.CACHES['default']['BACKEND'], settings.PAGE_CACHE_SECONDS, settings.AGGREGATE_CACHE_SECONDS)"
    )
    result = subprocess.run(
        [sys.executable, "-c", f"import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE','portal.settings'); django.setup(); {code}"],
        cwd=REPO_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    backend = "django.core.cache.backends.redis.RedisCache" if redis_url else "django.core.cache.backends.locmem.LocMemCache"
    assert result.stdout.split() == [backend, "300", "300"], result.stdout + result.stderr
