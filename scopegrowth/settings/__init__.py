"""ScopeGrowth settings: one package, driven by the environment (`DJANGO_SETTINGS_MODULE` is
`scopegrowth.settings`).

Every variable is listed in `.env.example`. The embedded default (no variables at all) runs on
SQLite under `var/` with a Celery broker that needs no server (kombu's filesystem transport), so
`make run` works on a fresh machine. `DATABASE_URL` and `REDIS_URL` switch to PostgreSQL and
Redis; `DJANGO_ENV=production` turns on the secure settings and fails closed.

This module holds the applications, the database, languages and static files; the rest is read
from `environment` (readers, paths, DJANGO_ENV), `services` (Redis, Celery, email, reminders,
logging), `security` (sign-in, sessions, headers) and `sso` (the organisation's sign-in), in
that order.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from scopegrowth.settings.environment import *  # noqa: F403
from scopegrowth.settings.storage import EXPORT_STORAGE, EXPORT_STORAGE_BACKEND  # noqa: F401

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
    "allauth.socialaccount",  # sign in with the organisation's account (settings/sso.py)
    "allauth.socialaccount.providers.openid_connect",
    "crispy_forms",
    "csp",
]
LOCAL_APPS = [
    "scopegrowth.apps.ScopeGrowthConfig",
    "journals.apps.JournalsConfig",
    "conversations.apps.ConversationsConfig",
    "devplans.apps.DevplansConfig",
    "reminders.apps.RemindersConfig",
    "insight.apps.InsightConfig",
    "rounds.apps.RoundsConfig",
]
INSTALLED_APPS = DJANGO_APPS + THIRD_PARTY_APPS + LOCAL_APPS

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "scopegrowth.middleware.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "scopegrowth.middleware.RequestIdMiddleware",
    "scopegrowth.middleware.AccessPerRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "scopegrowth.middleware.AbsoluteSessionMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "scopegrowth.middleware.SessionActivityMiddleware",  # allauth's UserSessionsMiddleware
    "django.contrib.messages.middleware.MessageMiddleware",
    "scopegrowth.middleware.RejectInvalidUTF8Middleware",
    "journals.middleware.ForgetAuthorOnSignInOutMiddleware",
    "scopegrowth.middleware.RequireMFAMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "scopegrowth.middleware.NoStoreMiddleware",
]
# A GET/HEAD that failed on a dropped database connection is answered again once (outside the
# session middleware, so a failed session save is covered too).
MIDDLEWARE.insert(
    MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
    "scopegrowth.dbfaults.RetryOnDroppedConnectionMiddleware",
)

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
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("connect_timeout", 3)
# Persistent connections on both: opening an SQLite connection (its functions registered, the
# PRAGMAs run) cost about 1.5 ms of CPU on every request, as much as the health check itself.
DATABASES["default"].setdefault("CONN_MAX_AGE", env_int("CONN_MAX_AGE", 60))
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# PostgreSQL: the precompiled reads as prepared statements (`scopegrowth.prepared`). Off behind a
# pooler that hands each transaction another server connection (PgBouncer's transaction mode).
DB_PREPARED_STATEMENTS = env_bool("DB_PREPARED_STATEMENTS", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


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
    # Bulk-export parts and ZIPs (devplans/export_storage.py; settings/storage.py chooses).
    "exports": EXPORT_STORAGE,
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
# An export with no progress (no PDF written) for this long is sent again by the minute's sweep,
# at most PLAN_EXPORT_MAX_RETRIES times, then failed with "try again": 2 min and 2 retries give
# the ZIP or a failure within 9 minutes of a fault.
PLAN_EXPORT_STALL_SECONDS = env_int("PLAN_EXPORT_STALL_SECONDS", 120)
PLAN_EXPORT_MAX_RETRIES = env_int("PLAN_EXPORT_MAX_RETRIES", 2)

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

from scopegrowth.settings.security import *  # noqa: E402, F403
from scopegrowth.settings.services import *  # noqa: E402, F403
from scopegrowth.settings.sso import *  # noqa: E402, F403
