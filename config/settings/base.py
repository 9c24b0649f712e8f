"""Settings shared by every environment; values that differ come from the environment."""

import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.conf.locale import LANG_INFO
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def cache_config(url: str) -> dict[str, dict[str, object]]:
    """CACHES from ENLACE_CACHE_URL, one cache every web process shares:
    - `db://TABLE` (the default, `db://enlace_cache`): Django's database cache in the main
      database, no extra service; its table is made by `migrate` (and `createcachetable`);
    - `redis://HOST:PORT/DB` or `rediss://…`: Django's Redis cache (install the `redis` package);
    - `locmem://`: memory of one process only (tests; never with several workers)."""
    scheme, _sep, rest = url.partition("://")
    cache: dict[str, object]
    if scheme == "db":
        cache = {
            "BACKEND": "enlace.core.cache.SharedDatabaseCache",
            "LOCATION": rest.strip("/") or "enlace_cache",
            # Counts per address and per code: Django culls a third of the rows past
            # MAX_ENTRIES (default 300), which would forget lock-outs under ordinary traffic.
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    elif scheme in ("redis", "rediss"):
        cache = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
    elif scheme == "locmem":
        cache = {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": rest}
    else:
        raise ValueError(f"ENLACE_CACHE_URL: unknown cache {url!r} (db://, redis://, locmem://)")
    return {"default": cache}


CACHES = cache_config(os.environ.get("ENLACE_CACHE_URL", "db://enlace_cache"))
VAR_DIR = Path(os.environ.get("ENLACE_VAR_DIR", BASE_DIR / "var"))

SECRET_KEY = os.environ.get("SECRET_KEY", "dev-only-insecure-key-change-me-in-production")
DEBUG = False
ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "axes",
    "csp",
    "django_zxcvbn_password_validator",  # for its translated messages
    "django_tasks",
    "django_tasks_db",
    "enlace.core",
    "enlace.accounts",
    "enlace.audit",
    "enlace.access",
    "enlace.people",
    "enlace.cases",
    "enlace.tracing",
    "enlace.trafficking",
    "enlace.returns",
    "enlace.forums",
    "enlace.remittances",
    "enlace.practices",
    "enlace.diaspora",
    "enlace.indicators",
    "enlace.portal",
    "enlace.privacy",
    "enlace.inbox",
    "enlace.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "enlace.accounts.middleware.SessionRefreshMiddleware",
    "enlace.core.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "enlace.accounts.middleware.TwoFactorRequiredMiddleware",
    "enlace.accounts.middleware.ActiveMembershipMiddleware",
    "enlace.accounts.middleware.NoStoreForSignedInMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "axes.middleware.AxesMiddleware",
    "enlace.core.middleware.ServiceErrorMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "enlace" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "enlace.accounts.context_processors.actor",
            ],
        },
    }
]

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{VAR_DIR / 'enlace.sqlite3'}", conn_max_age=60
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the web server and the task worker use the file at the same time.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# PostgreSQL: the role that owns the tables, for `migrate`, `createcachetable`, `restore` and
# `db_roles` (enlace.core.dbowner); DATABASE_URL is then the application's role, which may not
# alter audit rows. Unset: every command uses DATABASE_URL.
ENLACE_OWNER_DATABASE_URL = os.environ.get("ENLACE_OWNER_DATABASE_URL", "")

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "enlace.accounts.backends.EnlaceModelBackend",
]

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # The platform's, the user's or the office's name plus a year ("Enlace2026") is refused.
    {"NAME": "enlace.accounts.validators.PlatformNameValidator"},
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
PASSWORD_MINIMAL_STRENGTH = 3  # zxcvbn score 0-4; 3 = "safely unguessable"
PASSWORD_EXTRA_DICTIONARY = ["enlace", "consulado", "consulate", "cancillería", "migrante"]

LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Idle timeout: the session expires after this many seconds without a request.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_IDLE_SECONDS", 30 * 60))
# Activity extends the session, but its row is rewritten at most once a minute
# (enlace.accounts.middleware.SessionRefreshMiddleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
ENLACE_SESSION_REFRESH_SECONDS = 60
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# Lock-out after repeated failures (django-axes).
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "enlace.accounts.views.locked_out"  # JSON for the API, a page otherwise
AXES_CLIENT_IP_CALLABLE = "enlace.accounts.security.client_ip"
# Password spraying (one address, many usernames): after this many failed log-ins from one
# address within the window, the log-in form and the token endpoint answer 429 without checking
# the password. Higher than the per-account limit because an office's staff share one address.
ENLACE_LOGIN_IP_FAILURE_LIMIT = int(os.environ.get("ENLACE_LOGIN_IP_FAILURE_LIMIT", 20))
ENLACE_LOGIN_IP_WINDOW_MINUTES = int(os.environ.get("ENLACE_LOGIN_IP_WINDOW_MINUTES", 30))
# Behind a reverse proxy REMOTE_ADDR is the proxy: name the header it sets with the client's
# address (e.g. HTTP_X_REAL_IP for nginx's `proxy_set_header X-Real-IP $remote_addr`).
ENLACE_CLIENT_IP_HEADER = os.environ.get("ENLACE_CLIENT_IP_HEADER", "")

# API tokens stop working this many hours after they were issued.
ENLACE_TOKEN_TTL_HOURS = float(os.environ.get("ENLACE_TOKEN_TTL_HOURS", 12))

# Threads (each its own database connection) that run the independent count queries of the
# published indicators at once (enlace.core.counting.run_counts); 1 = one after the other.
ENLACE_COUNT_THREADS = int(os.environ.get("ENLACE_COUNT_THREADS", 2))

# Case exports are background jobs (enlace.cases.exports): the file is written this many cases
# at a time (a constant number of queries per chunk, progress after each), and deleted this many
# hours after the job finished (by the next export, or `manage.py export_cleanup`).
ENLACE_EXPORT_CHUNK_SIZE = int(os.environ.get("ENLACE_EXPORT_CHUNK_SIZE", 1000))
ENLACE_EXPORT_TTL_HOURS = float(os.environ.get("ENLACE_EXPORT_TTL_HOURS", 24))
# Bulk import of people (enlace.people.imports): the largest file and number of rows accepted.
# The uploaded file is deleted after the import, or ENLACE_EXPORT_TTL_HOURS after its check.
ENLACE_IMPORT_MAX_BYTES = int(os.environ.get("ENLACE_IMPORT_MAX_BYTES", 5 * 1024 * 1024))
ENLACE_IMPORT_MAX_ROWS = int(os.environ.get("ENLACE_IMPORT_MAX_ROWS", 5000))
# A trafficking alert nobody acknowledged after this many days is escalated (once) to the same
# focal points and the country's national focal points (`enlace escalate_trafficking_alerts`).
ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS = int(
    os.environ.get("ENLACE_TRAFFICKING_ALERT_ESCALATION_DAYS", 3)
)

# A case's printable summary (enlace.cases.printout) uses DejaVu Sans from the first of these
# folders that has it, for names in any script; without it, PDF's built-in Latin-1 font.
ENLACE_PDF_FONT_DIRS = [
    d
    for d in [
        os.environ.get("ENLACE_PDF_FONT_DIR", ""),
        "/usr/share/fonts/truetype/dejavu",  # Debian, Ubuntu
        "/usr/share/fonts/dejavu",  # Fedora
        "/usr/share/fonts/TTF",  # Arch, Alpine
    ]
    if d
]
ENLACE_PDF_COMPRESS = True

# Two-factor authentication for staff roles (see enlace.accounts.middleware).
ENLACE_REQUIRE_2FA = False
# The demo password is refused wherever this is False (production).
ENLACE_ALLOW_DEMO_PASSWORD = True
OTP_TOTP_ISSUER = "Enlace"
# Public pages and endpoints (enlace.core.public): requests per client IP, counted in the
# default cache, as are the portal's lock-out and submission limits (enlace.portal.lockout).
# Every web process must count in the same cache (cache_config below; shared by default).
# The client's address is read the same way as for log-ins (ENLACE_CLIENT_IP_HEADER).
ENLACE_PUBLIC_RATE = "60/m"
RATELIMIT_IP_META_KEY = "enlace.accounts.security.ratelimit_ip"

# Content-Security-Policy (django-csp 4): scripts and styles only from our own static files, no
# inline script or event handler (templates use enlace/static/enlace/enlace.js instead).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LANGUAGE_CODE = "es"
LANGUAGES = [
    ("es", _("Spanish")),
    ("en", _("English")),
    ("pt", _("Portuguese")),
    ("fr", _("French")),
    ("ht", _("Haitian Creole")),
]
# Django knows no Haitian Creole: its name, and its formats (those of Haiti, as French:
# 7 décembre 2026, 1 234,5) from enlace/formats/ht. Django's own messages the pages show
# (form errors, month names) are in Enlace's catalogue (enlace/core/django_messages.py).
LANG_INFO.setdefault(
    "ht", {"bidi": False, "code": "ht", "name": "Haitian Creole", "name_local": "Kreyòl ayisyen"}
)
FORMAT_MODULE_PATH = ["enlace.formats"]
LOCALE_PATHS = [BASE_DIR / "enlace" / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "enlace" / "static"]
MEDIA_ROOT = VAR_DIR / "private"  # never served directly: downloads go through views
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# E-mail (inbox items and the daily digest): SMTP from the environment in production; the
# demo prints e-mails to the console (dev.py), tests keep them in memory.
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = os.environ.get("EMAIL_USE_TLS", "") == "1"
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Enlace <no-reply@localhost>")
# Where e-mails link to: the address users open Enlace at.
ENLACE_BASE_URL = os.environ.get("ENLACE_BASE_URL", "http://127.0.0.1:8000")

TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default"],
    }
}

REST_FRAMEWORK = {
    # Token first: its WWW-Authenticate header makes "not signed in" a 401.
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "enlace.accounts.authentication.ExpiringTokenAuthentication",
        "enlace.accounts.authentication.VerifiedSessionAuthentication",
    ],
    # JSON only (uploads declare multipart themselves), depth-bounded.
    "DEFAULT_PARSER_CLASSES": ["enlace.core.parsers.BoundedJSONParser"],
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
    "DEFAULT_METADATA_CLASS": "enlace.core.parsers.PlainMetadata",
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_PAGINATION_CLASS": "enlace.core.pagination.StandardPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "enlace.core.api.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
    "EXCEPTION_HANDLER": "enlace.core.api.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "URL_FORMAT_OVERRIDE": None,  # ?format= picks the export file type (csv, xlsx)
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Enlace API",
    "DESCRIPTION": "Migrant protection and consular cooperation platform",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    # The API's documented way in is a token; the session also works (the docs page uses it)
    # but is left out of the schema, so clients and fuzzers authenticate one way only.
    "AUTHENTICATION_WHITELIST": ["enlace.accounts.authentication.ExpiringTokenAuthentication"],
    "COMPONENT_SPLIT_REQUEST": True,  # request bodies state what is required and non-blank
    "ENUM_NAME_OVERRIDES": {
        "CaseStatusEnum": "enlace.cases.models.CaseStatus",
        "ReferralStatusEnum": "enlace.cases.models.Referral.Status",
        "TracingRequestStatusEnum": "enlace.tracing.models.TracingRequest.Status",
        "TracingMatchStatusEnum": "enlace.tracing.models.TracingMatch.Status",
        "ReunificationStatusEnum": "enlace.tracing.models.Reunification.Status",
        "JobStatusEnum": "enlace.core.models.Job.Status",
        "WebsitesAndAppsEnum": "enlace.trafficking.serializers.WEBSITES_AND_APPS",
        "ReturnStatusEnum": "enlace.returns.models.Status",
        "ReturnTransportEnum": "enlace.returns.models.Transport",
        "ReturnSideEnum": "enlace.returns.serializers.SIDES",
        "ReturnStepEnum": "enlace.returns.models.Step",
        "ReturnStepInputEnum": "enlace.returns.serializers.STEP_CHOICES",
        "RequesterRelationEnum": "enlace.tracing.models.Relation",
        "ForumKindEnum": "enlace.forums.models.Forum.Kind",
        "EndorsementDecisionEnum": "enlace.forums.models.Decision",
        "EndorsementAnswerEnum": "enlace.forums.api.ANSWERS",
        "ProviderKindEnum": "enlace.remittances.models.ProviderKind",
        "NoticeLanguageEnum": "enlace.core.forms.NOTICE_LANGUAGES",
        "RightsRequestKindEnum": "enlace.privacy.models.RequestKind",
        "RightsRequestStatusEnum": "enlace.privacy.models.RequestStatus",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}
AXES_VERBOSE = False

# Data protection (enlace.privacy): days a record is kept past its last use before the daily
# `enlace privacy_purge --apply` anonymises (person) or deletes (closed rights_request) it.
PRIVACY_RETENTION_DAYS = {"person": 3650, "rights_request": 1825}
