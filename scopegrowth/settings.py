"""ScopeGrowth settings: one module, driven by the environment.

Every variable is listed in `.env.example`. The embedded default (no variables at all) runs on
SQLite under `var/` with a Celery broker that needs no server (kombu's filesystem transport), so
`make run` works on a fresh machine. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and
Redis; `DJANGO_ENV=production` turns on the secure settings and fails closed.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("SCOPEGROWTH_VAR_DIR", BASE_DIR / "var"))

env = environ.Env()
if os.environ.get("READ_DOT_ENV") == "1":  # opt-in only: a stray .env never changes behaviour
    environ.Env.read_env(BASE_DIR / ".env")


# =============================================================================
# A strict reader: a malformed value is an error at start-up, never a silent False
# =============================================================================

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(
        f"{name}={raw!r} is not a boolean: use one of {sorted(_TRUE | _FALSE)}"
    )


def env_int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a whole number") from None


def env_secret(name: str, default: str | None = None) -> str | None:
    """Read NAME, or the contents of the file named by NAME_FILE (Docker/K8s secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text().strip()
    return os.environ.get(name, default)


DJANGO_ENV = os.environ.get("DJANGO_ENV", "development")
if DJANGO_ENV not in {"development", "production"}:
    raise ImproperlyConfigured(f"DJANGO_ENV={DJANGO_ENV!r}: use 'development' or 'production'")
PRODUCTION = DJANGO_ENV == "production"

DEBUG = env_bool("DEBUG", default=not PRODUCTION)

SECRET_KEY = env_secret("SECRET_KEY")
if not SECRET_KEY:
    if PRODUCTION:
        raise ImproperlyConfigured("SECRET_KEY must be set when DJANGO_ENV=production")
    SECRET_KEY = "django-insecure-development-only-key-never-use-in-production-0123456789"  # noqa: S105
elif PRODUCTION and len(SECRET_KEY) < 50:
    raise ImproperlyConfigured("SECRET_KEY must be at least 50 characters in production")

_hosts = os.environ.get("ALLOWED_HOSTS", "")
ALLOWED_HOSTS = [h.strip() for h in _hosts.split(",") if h.strip()]
if not ALLOWED_HOSTS:
    if PRODUCTION:
        raise ImproperlyConfigured("ALLOWED_HOSTS must be set when DJANGO_ENV=production")
    ALLOWED_HOSTS = ["127.0.0.1", "localhost", "[::1]", "testserver"]

SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")


# =============================================================================
# Applications
# =============================================================================

DJANGO_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]
THIRD_PARTY_APPS = [
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "crispy_forms",
    "csp",
]
LOCAL_APPS = [
    "scopegrowth.apps.ScopeGrowthConfig",
    "journals.apps.JournalsConfig",
    "conversations.apps.ConversationsConfig",
    "devplans.apps.DevplansConfig",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "scopegrowth.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scopegrowth.middleware.RequestIdMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "scopegrowth.middleware.AbsoluteSessionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "scopegrowth.middleware.RejectInvalidUTF8Middleware",
    "journals.middleware.ForgetAuthorOnSignInOutMiddleware",
    "scopegrowth.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "scopegrowth.middleware.NoStoreMiddleware",
]

ROOT_URLCONF = "scopegrowth.urls"
WSGI_APPLICATION = "scopegrowth.wsgi.application"
AUTH_USER_MODEL = "scopegrowth.User"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,  # allauth, admin and crispy ship templates; ours live in templates/
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "scopegrowth.context_processors.navigation",
            ],
        },
    }
]


# =============================================================================
# Database
# =============================================================================

# var/ holds the SQLite database, the embedded broker, the cache and private exports: only this
# user may open it (0700), and the database file is 0600 before SQLite ever writes to it.
VAR_DIR.mkdir(mode=0o700, parents=True, exist_ok=True)
with contextlib.suppress(PermissionError):  # made open by an older version: close it
    VAR_DIR.chmod(0o700)
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'db.sqlite3'}"),
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    _db_file = Path(str(DATABASES["default"]["NAME"]))
    if _db_file.is_absolute() and _db_file.parent.is_dir():  # not ":memory:"
        # SQLite gives its -wal and -shm files the database file's mode.
        with contextlib.suppress(PermissionError):
            os.close(os.open(_db_file, os.O_CREAT | os.O_WRONLY, 0o600))
            _db_file.chmod(0o600)
    # The web server, the worker and beat share one file: WAL lets them read while one writes,
    # and IMMEDIATE transactions wait for the write lock instead of failing with "locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # A file, not memory, so a real Celery worker started by a test can share the test database.
    # Named per process: test runs side by side never share one.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{os.getpid()}.sqlite3")}
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


# =============================================================================
# Redis, cache and Celery
# =============================================================================

REDIS_URL = os.environ.get("REDIS_URL", "")


def _redis_db(url: str, db: int) -> str:
    """The same Redis server, another logical database (the broker must never share the cache's
    database: an evicting cache can drop kombu's bindings)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{db}", parts.query, parts.fragment))


if REDIS_URL:
    _broker_db = int((urlsplit(REDIS_URL).path or "/0").lstrip("/") or 0)
    CELERY_BROKER_URL = REDIS_URL
    CACHES = {
        "default": {
            # Rate-limit counters only: when Redis is down they are skipped, never a 500.
            "BACKEND": "scopegrowth.cache.ForgivingRedisCache",
            "LOCATION": os.environ.get("CACHE_URL") or _redis_db(REDIS_URL, _broker_db + 1),
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        "socket_timeout": 5,
    }
else:
    # Embedded broker: kombu's filesystem transport. Producers and the worker exchange messages
    # as files in one folder, so `make run` needs no server at all.
    BROKER_DIR = VAR_DIR / "celery" / "broker"
    for sub in ("out", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "out"),
        "data_folder_out": str(BROKER_DIR / "out"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    # A cache shared by every process (rate limits must not multiply by the process count).
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

CELERY_TASK_IGNORE_RESULT = True
CELERY_RESULT_BACKEND = None
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = "Europe/London"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True  # safe because every task is idempotent (database claims)
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = 120
CELERY_TASK_TIME_LIMIT = 180
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 2,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.5,
}
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_WORKER_HIJACK_ROOT_LOGGER = False


# =============================================================================
# Authentication (django-allauth)
# =============================================================================

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "scopegrowth.passwords.MaximumLengthValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "home"

ACCOUNT_ADAPTER = "scopegrowth.adapters.AccountAdapter"
# NHS.UK forms use labels, never placeholder text: each allauth form we show drops it.
ACCOUNT_FORMS = {
    "login": "scopegrowth.forms.LoginForm",
    "reset_password": "scopegrowth.forms.ResetPasswordForm",
    "reset_password_from_key": "scopegrowth.forms.ResetPasswordKeyForm",
    "change_password": "scopegrowth.forms.ChangePasswordForm",
    "set_password": "scopegrowth.forms.SetPasswordForm",
    "add_email": "scopegrowth.forms.AddEmailForm",
    "reauthenticate": "scopegrowth.forms.ReauthenticateForm",
}
MFA_FORMS = {
    "authenticate": "scopegrowth.forms.AuthenticateForm",
    "reauthenticate": "scopegrowth.forms.MFAReauthenticateForm",
    "activate_totp": "scopegrowth.forms.ActivateTOTPForm",
}
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_EMAIL_NOTIFICATIONS = True
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_GET = False
ACCOUNT_LOGIN_BY_CODE_ENABLED = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False  # Django's session hash ends the *other* sessions
ACCOUNT_REAUTHENTICATION_TIMEOUT = 300
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[ScopeGrowth] "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PRODUCTION else "http"
# Hospitals put thousands of staff behind a few NAT addresses: generous per address here; the
# strict limit is per account *and* address, with a high per-account ceiling (SIGNIN_* below,
# scopegrowth/signin_limits.py). A per-account key alone let anyone lock a person out.
ACCOUNT_RATE_LIMITS = {
    "login": "300/m/ip",
    "login_failed": "300/m/ip",
    "reset_password": "100/m/ip,5/m/key",
    "reset_password_from_key": "100/m/ip",
    "change_password": "5/m/user",
    "reauthenticate": "10/m/user",
}
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if PRODUCTION else 0)

MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
# Line managers, coaches, HR and admins must use an authenticator app (on by default in
# production; off in development so the demo accounts sign in with a password alone).
MFA_REQUIRED = env_bool("MFA_REQUIRED", PRODUCTION)
MFA_TRUST_ENABLED = False
MFA_TOTP_ISSUER = "ScopeGrowth"
# Accept the code of the 30-second step before or after the current one (RFC 6238 section 5.2
# allows one step of drift): a code typed as the step turns over, or a phone clock a few seconds
# out, is not refused. allauth still refuses a code that was used once already.
MFA_TOTP_TOLERANCE = 1

USERSESSIONS_TRACK_ACTIVITY = True


# =============================================================================
# Sessions, cookies and security headers
# =============================================================================

SESSION_COOKIE_AGE = env_int("SESSION_IDLE_SECONDS", 30 * 60)  # idle timeout, sliding
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_ABSOLUTE_SECONDS = env_int("SESSION_ABSOLUTE_SECONDS", 12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "scopegrowth.views.csrf_failure"
DEFAULT_EXCEPTION_REPORTER_FILTER = "scopegrowth.errorreports.NothingTypedFilter"

SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

if PRODUCTION:
    SESSION_COOKIE_NAME = "__Host-sessionid"
    CSRF_COOKIE_NAME = "__Host-csrftoken"
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = 31536000
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading commits the whole domain to HTTPS in every browser: that is the domain
        # owner's decision, so it is opt-in (SECURE_HSTS_PRELOAD=true) and the check is silenced.
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    CSRF_TRUSTED_ORIGINS = [SITE_URL] if SITE_URL.startswith("https://") else []
    SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]

# The whole policy in one place (a later move to Django 6's SECURE_CSP is a mechanical swap).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}


# =============================================================================
# Internationalisation
# =============================================================================

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True


# =============================================================================
# Static files
# =============================================================================

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("nhsuk", BASE_DIR / "node_modules" / "nhsuk-frontend" / "dist" / "nhsuk"),
    ("vendor/axe", BASE_DIR / "node_modules" / "axe-core"),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", VAR_DIR / "media"))
# Generated exports are private: never under a URL, served only through an access-checked view.
PRIVATE_STORAGE_ROOT = Path(os.environ.get("PRIVATE_STORAGE_ROOT", VAR_DIR / "private"))
# A bulk export of more plans than this is split into parts of this size, rendered by as many
# worker processes as are free, then joined into one ZIP.
PLAN_EXPORT_PART_SIZE = env_int("PLAN_EXPORT_PART_SIZE", 50)
if PLAN_EXPORT_PART_SIZE < 1:
    raise ImproperlyConfigured("PLAN_EXPORT_PART_SIZE must be 1 or more")

CRISPY_TEMPLATE_PACK = "nhsuk"
CRISPY_ALLOWED_TEMPLATE_PACKS = ("nhsuk",)
# Our pack sets NHS.UK classes itself; drop crispy's widget-name classes ("textinput", ...).
CRISPY_CLASS_CONVERTERS = {
    name: ""
    for name in (
        "textinput",
        "emailinput",
        "passwordinput",
        "numberinput",
        "urlinput",
        "dateinput",
        "datetimeinput",
        "timeinput",
        "checkboxinput",
        "select",
        "selectmultiple",
        "textarea",
        "fileinput",
        "clearablefileinput",
    )
}


# =============================================================================
# Email
# =============================================================================

EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "django.core.mail.backends.console.EmailBackend",
)
if "EMAIL_FILE_PATH" in os.environ:
    EMAIL_FILE_PATH = os.environ["EMAIL_FILE_PATH"]
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_secret("EMAIL_HOST_PASSWORD", "") or ""
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "ScopeGrowth <no-reply@example.com>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Reminders (scopegrowth/reminders.py): days before the conversation, working days after it,
# days before a plan review; how many tries a failing send gets; when a claim left by a worker
# that died mid-send is taken over.
REMINDER_JOURNAL_WEEK_DAYS = env_int("REMINDER_JOURNAL_WEEK_DAYS", 7)
REMINDER_JOURNAL_SOON_DAYS = env_int("REMINDER_JOURNAL_SOON_DAYS", 2)
REMINDER_PREPARATION_DAYS = env_int("REMINDER_PREPARATION_DAYS", 3)
REMINDER_PLAN_UNSIGNED_WORKING_DAYS = env_int("REMINDER_PLAN_UNSIGNED_WORKING_DAYS", 2)
REMINDER_REVIEW_SOON_DAYS = env_int("REMINDER_REVIEW_SOON_DAYS", 7)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_STALE_CLAIM_SECONDS = env_int("REMINDER_STALE_CLAIM_SECONDS", 15 * 60)


# =============================================================================
# Logging: JSON lines on stdout, never request bodies
# =============================================================================

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "scopegrowth.logging.RequestIdFilter"},
        "hide_secret_links": {"()": "scopegrowth.logging.HideSecretLinksFilter"},
    },
    "formatters": {
        "json": {"()": "scopegrowth.logging.JsonFormatter"},
        # Django's own access-log format for `runserver`, as before.
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        },
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "formatter": "json",
            "filters": ["request_id"],
        },
        # The development server's access log, with password-reset and confirmation keys hidden.
        "django.server": {
            "class": "logging.StreamHandler",
            "formatter": "django.server",
            "filters": ["hide_secret_links"],
        },
    },
    "root": {"handlers": ["stdout"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
        "weasyprint": {"level": "ERROR"},
        "fontTools": {"level": "WARNING"},
    },
}


# =============================================================================
# Trust hardening (issue 14): everything added for it is in this block
# =============================================================================

# The URL prefix is ours to set, never a client's: Django ignores any SCRIPT_NAME in the WSGI
# environment (gunicorn used to take it from a request header; gunicorn.conf.py now drops that
# header too). Deploying under a prefix: set FORCE_SCRIPT_NAME=/prefix and strip it at the proxy.
FORCE_SCRIPT_NAME = os.environ.get("FORCE_SCRIPT_NAME", "").rstrip("/")

# Wrong passwords (security A3, scopegrowth/signin_limits.py): for one account from one address,
# the first SIGNIN_PAIR_FREE_FAILURES are free, then each further try waits the next delay (in
# seconds; the last repeats). SIGNIN_ACCOUNT_CEILING: (failures, seconds) for one account from
# anywhere, after which password sign-in to it pauses until a password reset or the window ends.
SIGNIN_PAIR_FREE_FAILURES = 5
SIGNIN_PAIR_DELAYS = (60, 5 * 60, 15 * 60)
SIGNIN_ACCOUNT_CEILING = (50, 60 * 60)

# Permissions-Policy (scopegrowth.middleware.PermissionsPolicyMiddleware): browser features none
# of our pages use, denied to them and to anything they could embed (feature -> allowed origins;
# an empty list is "none"). Names from the W3C feature list (browsers warn about unknown ones).
PERMISSIONS_POLICY: dict[str, list[str]] = {
    feature: []
    for feature in (
        "accelerometer",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "hid",
        "idle-detection",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "screen-wake-lock",
        "serial",
        "usb",
        "xr-spatial-tracking",
        "browsing-topics",
    )
}

# A password reset asked for an address with no account emails that address once (allauth's
# "unknown account" email), then not again for this long, however often it is asked.
UNKNOWN_ACCOUNT_EMAIL_SECONDS = 24 * 60 * 60
