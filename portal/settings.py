"""Settings of the Anfragen-Portal: one module, driven by the environment (see README)."""

from __future__ import annotations

import datetime
import json
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from portal import dotenv, env

BASE_DIR = Path(__file__).resolve().parent.parent
# `make run` writes .env (DEBUG, SECRET_KEY) for manage.py in the checkout; the environment wins.
dotenv.load(BASE_DIR / ".env")

DEBUG = env.get_bool("DEBUG", False)
SECRET_KEY = env.get_str("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (or set DEBUG=true for local use)")
    SECRET_KEY = "insecure-local-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env.get_list("ALLOWED_HOSTS", ["localhost", "127.0.0.1", "[::1]"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "django_filters",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "corsheaders",
    "csp",
    "simple_history",
    "axes",
    "inquiries",
    "inquiries.alerts",
]

MIDDLEWARE = [
    # Too many query parameters: the 400 page before anything parses them (portal/request_limits.py).
    "portal.request_limits.QueryStringLimitMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # django-csp's, building the unchanged policy once (portal/csp.py).
    "portal.csp.CSPMiddleware",
    # CORS for the API only (CORS_URLS_REGEX); before anything that may answer early.
    "corsheaders.middleware.CorsMiddleware",
    # Cache-Control, ETag and 304s for the API only.
    "inquiries.api.middleware.ApiCachingMiddleware",
    "portal.middleware.DatabaseUnavailableMiddleware",
    # "database is locked" (SQLite) → 503 with Retry-After, also from the session save; above SessionMiddleware.
    "portal.middleware.DatabaseBusyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Django's, with the message storage made on first use (portal/messages.py).
    "portal.messages.LazyMessageMiddleware",
    # Anonymous public pages from the cache; after CSRF, auth and messages (see portal/cache.py).
    "portal.cache.PageCacheMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Records which user made each change in the history (django-simple-history).
    "simple_history.middleware.HistoryRequestMiddleware",
    # Turns a locked-out login into the lockout page; must stay last (django-axes).
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"
ASGI_APPLICATION = "portal.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {"default": env.get_database("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
if env.get_str("DATABASE_REPLICA_URL"):
    # Reads go to the replica, writes to the primary (portal/db_router.py).
    DATABASES["replica"] = env.get_database("DATABASE_REPLICA_URL", "")
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["portal.db_router.PrimaryReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# django-axes checks every login first and refuses it while the login is locked out.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "de"
LANGUAGES = [("de", _("Deutsch")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Berlin"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(env.get_str("STATIC_ROOT", str(BASE_DIR / "staticfiles")))
# Fixed from the environment's DEBUG: the test runner turns settings.DEBUG off, and WhiteNoise
# would then index STATIC_ROOT at start-up, which only collectstatic (make serve) creates.
WHITENOISE_AUTOREFRESH = DEBUG
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.get_str("MEDIA_ROOT", str(BASE_DIR / "media")))
# Uploaded documents: the local disk by default; an object store (e.g. django-storages'
# "storages.backends.s3.S3Storage" with its options as JSON) keeps app servers stateless.
try:
    _STORAGE_OPTIONS = json.loads(env.get_str("STORAGE_OPTIONS") or "{}")
except ValueError as exc:
    raise ImproperlyConfigured(f"STORAGE_OPTIONS is not valid JSON: {exc}") from None
STORAGES = {
    "default": {
        "BACKEND": env.get_str("STORAGE_BACKEND") or "django.core.files.storage.FileSystemStorage",
        "OPTIONS": _STORAGE_OPTIONS,
    },
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Largest document the importer accepts (bytes); bigger files are refused before parsing.
DOCUMENT_MAX_BYTES = env.get_int("DOCUMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Parse limits (inquiries/importers/limits.py), so that one upload cannot hold a worker:
# documents with more lines or pages are refused before parsing, and a parse is stopped
# after so many seconds (keep it below GUNICORN_TIMEOUT). 0 turns a limit off.
DOCUMENT_MAX_LINES = env.get_int("DOCUMENT_MAX_LINES", 100_000, minimum=0)
DOCUMENT_MAX_PAGES = env.get_int("DOCUMENT_MAX_PAGES", 2_000, minimum=0)
DOCUMENT_PARSE_SECONDS = env.get_int("DOCUMENT_PARSE_SECONDS", 20, minimum=0)

# --- API (/api/v1/, see docs/api.md) ----------------------------------------------------
# Requests per client address; answered with 429 and Retry-After beyond it.
API_THROTTLE_RATE = env.get_str("API_THROTTLE_RATE", "120/minute")
# How long clients and shared caches may reuse an API answer (seconds).
API_CACHE_SECONDS = env.get_int("API_CACHE_SECONDS", 60, minimum=0)
REST_FRAMEWORK = {
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    # Anonymous and read-only: no sessions, so no CSRF and no per-user state.
    "DEFAULT_AUTHENTICATION_CLASSES": [],
    "DEFAULT_SCHEMA_CLASS": "inquiries.api.schema.ApiAutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PAGINATION_CLASS": "inquiries.api.pagination.ApiPagination",
    "DEFAULT_THROTTLE_CLASSES": ["inquiries.api.throttling.AnonymousThrottle"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer", "rest_framework.renderers.BrowsableAPIRenderer"],
    "EXCEPTION_HANDLER": "inquiries.api.exceptions.api_exception_handler",
    # Clients behind this many trusted proxies are told apart by X-Forwarded-For (0: the socket address).
    "NUM_PROXIES": env.get_int("API_NUM_PROXIES", 0, minimum=0),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Anfragen-Portal API",
    "DESCRIPTION": (
        "Read-only access to the published parliamentary inquiries, their questions and the government's answers, "
        "and to parliaments, terms, parties, factions, people and ministries. See docs/api.md."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # Swagger UI from the drf-spectacular-sidecar package's static files: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "inquiries.api.schema.describe_parameters",
    ],
    "ENUM_NAME_OVERRIDES": {
        "InquiryKindEnum": "inquiries.choices.InquiryKind",
        "DeadlineStatusEnum": "inquiries.choices.DeadlineStatus",
        "RemovalKindEnum": "inquiries.choices.RemovalKind",
        "PublishedStateEnum": [("published", "published")],
        "ParliamentCodeEnum": "inquiries.models.parliament.PARLIAMENT_CODES",
    },
}
# Browsers on any origin may read the API (GET only, no credentials).
CORS_URLS_REGEX = r"^/api/.*$"
CORS_ALLOW_ALL_ORIGINS = True
CORS_ALLOW_CREDENTIALS = False
CORS_ALLOW_METHODS = ["GET", "HEAD", "OPTIONS"]
CORS_EXPOSE_HEADERS = ["ETag", "Last-Modified", "Retry-After", "Link", "Content-Location"]
# Bulk downloads (python manage.py dump_inquiries) are written to MEDIA_ROOT/dumps/.
DUMPS_KEEP = env.get_int("DUMPS_KEEP", 3, minimum=1)

# --- editorial workflow and login hardening -----------------------------------------------
# Path of the admin, so that it need not sit at the well-known /admin/ (e.g. "redaktion/").
ADMIN_URL = env.get_url_path("ADMIN_URL", "admin/")
# Where a login goes when its ``next`` is missing or refused (another site): the admin, the
# only place with a login; Django's default, /accounts/profile/, does not exist here.
LOGIN_REDIRECT_URL = "admin:index"

# Lock a user name on one address out after repeated failed logins (django-axes).
AXES_ENABLED = env.get_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = env.get_int("AXES_FAILURE_LIMIT", 5, minimum=1, maximum=100)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.get_int("AXES_COOLOFF_MINUTES", 30, minimum=1, maximum=7 * 24 * 60))
# The pair, not the name alone, so that strangers cannot lock an editor out from elsewhere.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_VERBOSE = False
AXES_LOCKOUT_TEMPLATE = "admin/login_locked_out.html"

# Sessions only for the admin: a working day long, only over HTTPS in production, never readable by scripts.
SESSION_COOKIE_AGE = env.get_int("SESSION_COOKIE_AGE", 8 * 60 * 60, minimum=5 * 60, maximum=14 * 24 * 60 * 60)
SESSION_COOKIE_SECURE = env.get_bool("SESSION_COOKIE_SECURE", not DEBUG)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = env.get_bool("CSRF_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# History of every change (django-simple-history). The change reason is the editors' public
# note for a correction, so it may be longer than a line; reverting from the history is off
# because it would bypass the publishing workflow.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True
SIMPLE_HISTORY_REVERT_DISABLED = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("LOG_LEVEL", "INFO")},
}

# --- caching ---------------------------------------------------------------------------
# App servers keep no state of their own: with REDIS_URL every worker shares one cache.
REDIS_URL = env.get_str("REDIS_URL")
CACHE_SECONDS = env.get_int("CACHE_SECONDS", 300, minimum=0)
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL, "KEY_PREFIX": "portal"}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "portal"}
    )
}

# Whole public pages for anonymous visitors (portal/cache.py), keyed by the data version
# (inquiries.versions), so a change reaches every worker at its commit, with Redis or without.
# Not by default with DEBUG: an edited template shows at once.
PAGE_CACHE_SECONDS = env.get_int("PAGE_CACHE_SECONDS", 0 if DEBUG else CACHE_SECONDS, minimum=0)
PAGE_CACHE_NAMESPACES = ["inquiries", "api", "oparl", "popolo"]

# Result counts and facets of the inquiry list, search and API (selectors.listing.inquiry_summary).
# Keyed by the data version the database hands out (inquiries.versions), so even a cache
# of each worker's own never serves counts of older data: on without Redis, too.
AGGREGATE_CACHE_SECONDS = env.get_int("AGGREGATE_CACHE_SECONDS", CACHE_SECONDS, minimum=0)

# --- search ------------------------------------------------------------------------------
# "tantivy" (default): an embedded search engine, an index derived from the database and fed
# from its change log (docs/search.md); "database": PostgreSQL tsvector / SQLite FTS5 only.
SEARCH_ENGINE = env.get_str("SEARCH_ENGINE", "tantivy")
if SEARCH_ENGINE not in ("tantivy", "database"):
    raise ImproperlyConfigured(f"SEARCH_ENGINE must be 'tantivy' or 'database', not {SEARCH_ENGINE!r}")
# Each app server keeps its own index here, built and kept up to date from the database.
SEARCH_INDEX_DIR = Path(env.get_str("SEARCH_INDEX_DIR", str(BASE_DIR / "search_index")))
# Threads per process that count a page's facets in the index while the request ranks and
# reads its rows (inquiries/search/threads.py); 0: all in the request's own thread.
SEARCH_ENGINE_THREADS = env.get_int("SEARCH_ENGINE_THREADS", 2, minimum=0)

# --- security ----------------------------------------------------------------------------
SECURE_SSL_REDIRECT = env.get_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = env.get_int("SECURE_HSTS_SECONDS", 0 if DEBUG else 31_536_000, minimum=0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.get_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", not DEBUG)
SECURE_HSTS_PRELOAD = env.get_bool("SECURE_HSTS_PRELOAD", not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if env.get_bool("BEHIND_TLS_PROXY", False):
    # Only behind a proxy that sets this header itself; otherwise clients could fake HTTPS.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Session and CSRF cookie flags: see "editorial workflow and login hardening" above.
X_FRAME_OPTIONS = "DENY"

# Content-Security-Policy (django-csp): no inline scripts anywhere, no third-party origins.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# --- e-mail (alerts, see docs/alerts.md) ---------------------------------------------
# The console in development; SMTP with these settings otherwise.
EMAIL_BACKEND = env.get_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.get_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env.get_int("EMAIL_PORT", 25, minimum=1, maximum=65535)
EMAIL_HOST_USER = env.get_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env.get_str("EMAIL_HOST_PASSWORD", "")  # or EMAIL_HOST_PASSWORD_FILE
EMAIL_USE_TLS = env.get_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env.get_bool("EMAIL_USE_SSL", False)
if EMAIL_USE_TLS and EMAIL_USE_SSL:
    raise ImproperlyConfigured("EMAIL_USE_TLS and EMAIL_USE_SSL exclude each other; set only one")
EMAIL_TIMEOUT = env.get_int("EMAIL_TIMEOUT", 30, minimum=1)
DEFAULT_FROM_EMAIL = env.get_str("DEFAULT_FROM_EMAIL", "Anfragen-Portal <noreply@localhost>")
# Scheme and host for links in mails ("https://anfragen.example.org"); needed by the digest
# command, which has no request to take them from. In development: `make run`'s address.
SITE_URL = (env.get_str("SITE_URL", "http://127.0.0.1:8000" if DEBUG else "") or "").rstrip("/")
if SITE_URL and not SITE_URL.startswith(("http://", "https://")):
    raise ImproperlyConfigured(f"SITE_URL must start with http:// or https://, got {SITE_URL!r}")

# --- harvesting from the parliaments' documentation systems (docs/deploy.md) -------------
# Who runs the harvester: an e-mail address or URL the parliaments' operators can reach.
# Sent in every request's User-Agent; `manage.py harvest` refuses to run without it.
HARVEST_CONTACT = env.get_str("HARVEST_CONTACT", "") or ""
HARVEST_USER_AGENT = env.get_str("HARVEST_USER_AGENT") or (
    f"Anfragen-Portal-Harvester/1.0 (+{SITE_URL or 'no site'}; {HARVEST_CONTACT})" if HARVEST_CONTACT else ""
)
# Pause between two requests to one host, and the first pause before a retry (doubled each time).
HARVEST_DELAY_MS = env.get_int("HARVEST_DELAY_MS", 1000, minimum=0)
HARVEST_BACKOFF_MS = env.get_int("HARVEST_BACKOFF_MS", 2000, minimum=0)
HARVEST_RETRIES = env.get_int("HARVEST_RETRIES", 3, minimum=0, maximum=10)
HARVEST_TIMEOUT_SECONDS = env.get_int("HARVEST_TIMEOUT_SECONDS", 30, minimum=1)
# Without --since a run starts where the last complete one began, or this many days back.
HARVEST_DEFAULT_DAYS = env.get_int("HARVEST_DEFAULT_DAYS", 7, minimum=1)
# A source's lock older than this is taken for a run that died without releasing it.
HARVEST_LOCK_MINUTES = env.get_int("HARVEST_LOCK_MINUTES", 6 * 60, minimum=1)
# Sources whose complete, structured drafts are published without review, e.g. "bt,be".
HARVEST_AUTO_PUBLISH = env.get_list("HARVEST_AUTO_PUBLISH", [])
# The Bundestag's DIP API key (its public key is on https://dip.bundestag.de/über-dip/hilfe/api).
DIP_API_KEY = env.get_str("DIP_API_KEY", "") or ""
_HARVEST_SOURCES = {"bt", "be", "by", "mv", "th", "hb", "parlamentsspiegel"}
if set(HARVEST_AUTO_PUBLISH) - _HARVEST_SOURCES:
    raise ImproperlyConfigured(
        f"HARVEST_AUTO_PUBLISH names unknown sources {sorted(set(HARVEST_AUTO_PUBLISH) - _HARVEST_SOURCES)}; "
        f"known: {', '.join(sorted(_HARVEST_SOURCES))}"
    )
