"""Settings for Newsroom, read from environment variables with safe defaults.

Development (the default) needs nothing: SQLite file, local-memory cache, DEBUG on.
Production: set DEBUG=0 and SECRET_KEY; see README.md for the full list.
"""

import hashlib
import importlib.util
import os
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    """Read a boolean environment variable ("1", "true", "yes", "on" are true)."""
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """Read a comma-separated environment variable as a list of non-empty items."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    # Development only: a fixed, obviously insecure key so sessions survive restarts.
    SECRET_KEY = "django-insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
SITE_NAME = os.environ.get("SITE_NAME", "The Newsroom")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    # Full-text search fields and lookups (search.py); harmless on SQLite.
    "django.contrib.postgres",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "axes",
    "articles",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # ETag from the content and 304 for If-None-Match / If-Modified-Since.
    "django.middleware.http.ConditionalGetMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    # Last: it must see the outcome of authentication (django-axes' requirement).
    "axes.middleware.AxesMiddleware",
]

# Content Security Policy (Django's own). Scripts only from this site or with the
# per-response nonce: no inline script can run, so injected markup cannot execute.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    # The admin and the API docs set inline style attributes; styles cannot run code.
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

# How many proxies of ours stand in front and append to X-Forwarded-For (a TLS terminator, a
# load balancer: count each). 0, the default, trusts no forwarded address: the client is the
# connection's own address. The one rule for the API's throttles and the login lockout
# (newsroom/client_ip.py); anything above the real count lets a client pick its address.
NUM_PROXIES = int(os.environ.get("NUM_PROXIES", "0"))
if NUM_PROXIES < 0:
    raise ImproperlyConfigured("NUM_PROXIES is a count of proxies: 0 or more.")
AXES_CLIENT_IP_CALLABLE = "newsroom.client_ip.client_ip"

# Login throttling for the admin (django-axes): 5 failures lock that username from that
# address for an hour, and LOGIN_IP_FAILURE_LIMIT failures from one address, across all
# usernames, lock that address out of every account for an hour (newsroom/login_throttle.py).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 1  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_HANDLER = "newsroom.login_throttle.NewsroomAxesHandler"
LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("LOGIN_IP_FAILURE_LIMIT", "20"))
# The only login is the admin's: after it (and when a `?next=` is refused as unsafe) people
# land on the admin index, the newsroom dashboard, not on Django's /accounts/profile/ (a 404).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

ROOT_URLCONF = "newsroom.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.csp",
                "articles.context_processors.site",
            ],
        },
    },
]

WSGI_APPLICATION = "newsroom.wsgi.application"

# SQLite file by default; otherwise DATABASE_URL, e.g. postgres://user:pass@127.0.0.1:5432/newsroom
DATABASES: dict[str, dict[str, Any]] = {
    "default": dict(
        dj_database_url.config(
            default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
            conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        )
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets readers run while the demo generator or an editor writes.
    DATABASES["default"].setdefault("OPTIONS", {})["init_command"] = (
        "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
    )
    DATABASES["default"]["OPTIONS"]["transaction_mode"] = "IMMEDIATE"

# Stable per checkout (str hashes differ between processes).
_checkout_id = hashlib.sha256(str(BASE_DIR).encode()).hexdigest()[:12]
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Two checkouts testing against one server (a developer's and a CI clone) must not share
    # a test database: each run drops and recreates it, and would see the other's rows.
    DATABASES["default"]["TEST"] = {
        "NAME": f"test_{DATABASES['default']['NAME']}_{_checkout_id}"[:63]
    }

# An optional PostgreSQL read replica: anonymous readers' page and feed reads go there; writes,
# the admin and anyone signed in stay on the primary (newsroom/routers.py). For this many
# seconds after the content changes, reads go to the primary too, so a lagging replica cannot
# put an old version back into the page cache.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dict(
        dj_database_url.parse(
            DATABASE_REPLICA_URL, conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60"))
        )
    )
    # Tests run against the primary's test database through this alias too.
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["newsroom.routers.PrimaryReplicaRouter"]
    REPLICA_LAG_SECONDS = int(os.environ.get("REPLICA_LAG_SECONDS", "10"))
    MIDDLEWARE.insert(
        MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
        "newsroom.middleware.ReplicaReadsMiddleware",
    )

REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": os.environ.get("CACHE_KEY_PREFIX", "newsroom"),
        }
    }
    CACHES["versions"] = CACHES["default"]
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        # Without Redis each worker process keeps its own pages, but the content version
        # that invalidates them must be shared by every process on the machine: a file cache.
        "versions": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.environ.get(
                "CACHE_VERSIONS_DIR",
                str(Path(tempfile.gettempdir()) / f"newsroom-versions-{_checkout_id}"),
            ),
        },
    }

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))

# Import by URL (articles/url_fetch.py): seconds to wait, and networks exempt from the
# private-address check (none: an editor's URL must never reach inside our network).
IMPORT_URL_TIMEOUT = 10
IMPORT_URL_ALLOWED_NETWORKS: list[str] = []

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# Uploaded media on S3-compatible storage (AWS S3, MinIO, Cloudflare R2…) through
# django-storages when a bucket is named, so every app server sees the same files.
# Credentials come from boto3's own chain (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY in the
# environment, or an instance role), never from this file.
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME") or os.environ.get(
    "S3_BUCKET", ""
)
if AWS_STORAGE_BUCKET_NAME:
    if importlib.util.find_spec("storages") is None:
        raise ImproperlyConfigured(
            "AWS_STORAGE_BUCKET_NAME (or S3_BUCKET) is set but django-storages is not "
            "installed: pip install 'django-storages[s3]'."
        )
    s3_options: dict[str, Any] = {
        "bucket_name": AWS_STORAGE_BUCKET_NAME,
        # Plain, stable URLs: cached pages (and a CDN) keep them longer than a signed URL lives.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
        "file_overwrite": False,
        "object_parameters": {
            "CacheControl": os.environ.get("AWS_S3_CACHE_CONTROL", "public, max-age=86400")
        },
    }
    for option, variable in [
        ("region_name", "AWS_S3_REGION_NAME"),
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),  # MinIO, R2 and other S3-compatible stores
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),  # a CDN in front of the bucket
        ("location", "AWS_LOCATION"),  # a folder inside the bucket
    ]:
        if os.environ.get(variable):
            s3_options[option] = os.environ[variable]
    STORAGES["default"] = {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": s3_options}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Uploaded images: refused above these limits (see articles/images.py).
IMAGE_MAX_BYTES = int(os.environ.get("IMAGE_MAX_BYTES", str(20 * 1024 * 1024)))
IMAGE_MAX_PIXELS = int(os.environ.get("IMAGE_MAX_PIXELS", str(40_000_000)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Anonymous public pages: kept this long in the cache (a publish or edit purges them at once),
# served stale this much longer while one request rebuilds them, and cached by a CDN this long.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
PAGE_CACHE_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_STALE_SECONDS", "30"))
# How long each process trusts its copy of the content version: a change made through one
# worker reaches the others' page caches within this time (articles/caching.py).
CONTENT_VERSION_TTL = float(os.environ.get("CONTENT_VERSION_TTL", "1"))
CDN_MAX_AGE = int(os.environ.get("CDN_MAX_AGE", "60"))
# How long the ids of an article's related stories are kept (articles/related.py).
RELATED_CACHE_SECONDS = int(os.environ.get("RELATED_CACHE_SECONDS", "900"))

# Shareable preview links of unpublished articles expire after this many seconds.
PREVIEW_MAX_AGE = int(os.environ.get("PREVIEW_MAX_AGE", str(48 * 60 * 60)))

REST_FRAMEWORK = {
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_AUTHENTICATION_CLASSES": ["articles.api.auth.ApiKeyAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": [
        "articles.api.auth.AnonymousRateThrottle",
        "articles.api.auth.PartnerRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {"anon": os.environ.get("API_ANON_RATE", "120/min")},
    # Unset, DRF takes the whole client-written X-Forwarded-For as the address: a new one per
    # request escaped the throttle.
    "NUM_PROXIES": NUM_PROXIES,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_VERSIONING_CLASS": None,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Newsroom JSON feed",
    "DESCRIPTION": (
        "Published reporting, its sections, authors and entities, and — only under "
        "/api/v1/sponsored/ or a separate top-level `sponsored` key — labelled sponsored "
        "items. Anonymous clients are throttled (API_ANON_RATE, 120/min by default); partners "
        "send `Authorization: Api-Key <key>` for their own rate. See the README's feed guide."
    ),
    "VERSION": "1.0.0",
    # OpenAPI 3.1: its schemas are JSON Schema, so a field that may be null says so as
    # `oneOf: [{$ref}, {type: null}]`. In 3.0.3 `allOf` + `nullable` forbids the null that
    # hero_image and a sponsored image are when there is none (openapi-spec-validator's reading).
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Docs assets come from the drf-spectacular-sidecar package: no CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}

# Production hardening: on whenever DEBUG is off, so `check --deploy` is clean.
if not DEBUG:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
    SECURE_CONTENT_TYPE_NOSNIFF = True
    SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
    X_FRAME_OPTIONS = "DENY"
