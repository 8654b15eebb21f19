"""The services around Django: Redis, the cache and Celery (with the embedded broker), what
keeps working while Redis or the database is away, email, reminders, and logging."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

from scopegrowth.settings.environment import PRODUCTION, VAR_DIR, env_bool, env_int, env_secret

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
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
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


# -----------------------------------------------------------------------------
# Faults (issue 17): what keeps working while Redis or the database is briefly away.
# All of this block's settings are here, so a later move of settings.py moves one block.
# -----------------------------------------------------------------------------
# A Redis cache that is unreachable falls back to this process's memory (logged once; rate limits
# then count per process) and is tried again at most every CACHE_RETRY_SECONDS.
REDIS_CACHE_BACKEND = "scopegrowth.cache.FallbackRedisCache"
CACHE_RETRY_SECONDS = env_int("CACHE_RETRY_SECONDS", 15)
if REDIS_URL:
    CACHES["default"]["BACKEND"] = REDIS_CACHE_BACKEND
    CACHES["default"]["RETRY_SECONDS"] = CACHE_RETRY_SECONDS
# Database sessions whose save survives a dropped connection (scopegrowth/dbfaults.py retries
# reads; CONN_HEALTH_CHECKS above replaces connections that died between requests).
SESSION_ENGINE = "scopegrowth.sessions"


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

# Reminders (the rules: conversations/ and devplans/reminders.py): days before the
# conversation, working days after it, days before a plan review; how many tries a failing
# send gets; when a claim left by a worker that died mid-send is taken over.
REMINDER_JOURNAL_WEEK_DAYS = env_int("REMINDER_JOURNAL_WEEK_DAYS", 7)
REMINDER_JOURNAL_SOON_DAYS = env_int("REMINDER_JOURNAL_SOON_DAYS", 2)
REMINDER_PREPARATION_DAYS = env_int("REMINDER_PREPARATION_DAYS", 3)
REMINDER_PLAN_UNSIGNED_WORKING_DAYS = env_int("REMINDER_PLAN_UNSIGNED_WORKING_DAYS", 2)
REMINDER_REVIEW_SOON_DAYS = env_int("REMINDER_REVIEW_SOON_DAYS", 7)
REMINDER_MAX_ATTEMPTS = env_int("REMINDER_MAX_ATTEMPTS", 5)
REMINDER_STALE_CLAIM_SECONDS = env_int("REMINDER_STALE_CLAIM_SECONDS", 15 * 60)
# The outbox of every other email (scopegrowth/outbox/): the same rules as reminders.
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 5)
OUTBOX_STALE_CLAIM_SECONDS = env_int("OUTBOX_STALE_CLAIM_SECONDS", 15 * 60)
# Conversation rounds (rounds/): opening emails written per minute, days before a round's
# deadline for its reminder, seconds between the worker's counts of the completion figures.
ROUND_EMAILS_PER_MINUTE = env_int("ROUND_EMAILS_PER_MINUTE", 300)
ROUND_REMINDER_DAYS = env_int("ROUND_REMINDER_DAYS", 7)
ROUND_FIGURES_SECONDS = env_int("ROUND_FIGURES_SECONDS", 60)


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
