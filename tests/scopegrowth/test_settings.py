"""Settings fail closed: production refuses to start without its secrets and hosts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_SECRET = "s" * 30 + "-production-secret-key-for-tests-only"


SCRUB = {"DJANGO_ENV", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}


def clean_env() -> dict[str, str]:
    """The environment without anything the test run itself sets."""
    return {k: v for k, v in os.environ.items() if k not in SCRUB}


def run(code: str, **env: str) -> subprocess.CompletedProcess:
    base = clean_env()
    base.update(env)
    base["DJANGO_SETTINGS_MODULE"] = "scopegrowth.settings"
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        timeout=60,
    )


SETUP = "import django; django.setup(); from django.conf import settings as s; "


def test_production_without_secret_key_refuses_to_start():
    result = run(SETUP, DJANGO_ENV="production", ALLOWED_HOSTS="sg.example.org")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_with_a_short_secret_key_refuses_to_start():
    result = run(SETUP, DJANGO_ENV="production", ALLOWED_HOSTS="a.example", SECRET_KEY="short")
    assert result.returncode != 0
    assert "at least 50 characters" in result.stderr


def test_production_without_allowed_hosts_refuses_to_start():
    result = run(SETUP, DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must be set" in result.stderr


@pytest.mark.parametrize("value", ["maybe", "yes please", "2"])
def test_a_malformed_boolean_is_an_error_not_false(value):
    result = run(SETUP, DEBUG=value)
    assert result.returncode != 0
    assert f"DEBUG={value!r} is not a boolean" in result.stderr


def test_an_unknown_environment_name_is_an_error():
    result = run(SETUP, DJANGO_ENV="prod")
    assert result.returncode != 0
    assert "DJANGO_ENV='prod'" in result.stderr


def test_production_settings_are_secure():
    code = SETUP + (
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME, "
        "s.CSRF_COOKIE_NAME, s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SECURE_SSL_REDIRECT, s.ACCOUNT_EMAIL_VERIFICATION)"
    )
    result = run(code, DJANGO_ENV="production", SECRET_KEY=GOOD_SECRET, ALLOWED_HOSTS="a.example")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "True",
        "True",
        "__Host-sessionid",
        "__Host-csrftoken",
        "31536000",
        "True",
        "True",
        "mandatory",
    ]


def test_deploy_check_passes_with_production_settings():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={
            **clean_env(),
            "DJANGO_ENV": "production",
            "SECRET_KEY": GOOD_SECRET,
            "ALLOWED_HOSTS": "sg.example.org",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_redis_url_moves_the_broker_and_cache_to_separate_databases():
    code = SETUP + "print(s.CELERY_BROKER_URL, s.CACHES['default']['LOCATION'])"
    result = run(code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["redis://127.0.0.1:6379/3", "redis://127.0.0.1:6379/4"]


def test_a_redis_cache_falls_back_to_memory_when_redis_is_unreachable():
    code = SETUP + "print(s.CACHES['default']['BACKEND'], s.CACHES['default']['RETRY_SECONDS'])"
    result = run(code, REDIS_URL="redis://127.0.0.1:6379/3")
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["scopegrowth.cache.FallbackRedisCache", "15"]


def test_without_redis_the_broker_is_embedded_and_the_database_is_sqlite(tmp_path):
    code = SETUP + "print(s.CELERY_BROKER_URL, s.DATABASES['default']['ENGINE'])"
    env = {k: v for k, v in clean_env().items() if k not in {"REDIS_URL", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **env,
            "SCOPEGROWTH_VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "scopegrowth.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["filesystem://", "django.db.backends.sqlite3"]


def _start_and_write(var_dir: Path) -> subprocess.CompletedProcess:
    code = (
        SETUP + "from django.db import connection; c = connection.cursor(); "
        "c.execute('create table t (x)')"
    )
    env = {k: v for k, v in clean_env().items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **env,
            "SCOPEGROWTH_VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "scopegrowth.settings",
        },
        capture_output=True,
        text=True,
        timeout=60,
        preexec_fn=lambda: os.umask(0o022),  # a usual umask: files would be world-readable
    )


def test_var_and_the_sqlite_file_are_created_private(tmp_path):
    """Issue 14, item 9: var/ 0700 and the database 0600 (they were 0755 and 0644)."""
    var_dir = tmp_path / "var"
    result = _start_and_write(var_dir)
    assert result.returncode == 0, result.stderr
    assert var_dir.stat().st_mode & 0o777 == 0o700
    assert (var_dir / "db.sqlite3").stat().st_mode & 0o777 == 0o600
    assert (var_dir / "db.sqlite3").stat().st_size > 0  # SQLite wrote to the file we made


def test_an_open_var_folder_from_an_older_version_is_closed(tmp_path):
    var_dir = tmp_path / "var"
    var_dir.mkdir(mode=0o755)
    (var_dir / "db.sqlite3").touch(mode=0o644)
    var_dir.chmod(0o755)
    (var_dir / "db.sqlite3").chmod(0o644)

    result = _start_and_write(var_dir)

    assert result.returncode == 0, result.stderr
    assert var_dir.stat().st_mode & 0o777 == 0o700
    assert (var_dir / "db.sqlite3").stat().st_mode & 0o777 == 0o600


def test_sso_is_configured_from_the_environment():
    result = run(
        SETUP + "a = s.SOCIALACCOUNT_PROVIDERS['openid_connect']['APPS'][0]; "
        "print(a['name'], a['client_id'], a['settings'], s.SSO_ONLY, s.SSO_OIDC_TRUST_MFA, "
        "s.CONTENT_SECURITY_POLICY['DIRECTIVES']['form-action'])",
        SSO_OIDC_ISSUER="https://login.example.org/tenant/v2.0/",
        SSO_OIDC_CLIENT_ID="app-id",
        SSO_OIDC_CLIENT_SECRET="app-secret",
        SSO_OIDC_NAME="NHSmail",
        SSO_ONLY="1",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "NHSmail app-id {'server_url': 'https://login.example.org/tenant/v2.0', "
        "'oauth_pkce_enabled': True} True False ['self', 'https://login.example.org']"
    ).replace("'self'", "\"'self'\"")


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"SSO_OIDC_ISSUER": "https://login.example.org"}, "needs SSO_OIDC_CLIENT_ID"),
        ({"SSO_ONLY": "1"}, "SSO_ONLY=1 needs SSO_OIDC_ISSUER"),
        ({"SSO_OIDC_TRUST_MFA": "maybe"}, "is not a boolean"),
    ],
)
def test_sso_settings_fail_closed(env, message):
    result = run(SETUP + "print('started')", **env)
    assert result.returncode != 0
    assert message in result.stderr
