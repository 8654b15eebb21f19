"""Signing in (django-allauth, MFA, rate limits), sessions, cookies and the security headers
(including the content security policy)."""

from __future__ import annotations

import os

from csp.constants import NONCE, NONE, SELF

from scopegrowth.settings.environment import PRODUCTION, SITE_URL, env_bool, env_int

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
# No write on a plain GET (security.md B3): a session's activity is recorded at most once a
# minute (scopegrowth.middleware.SessionActivityMiddleware), not by saving it every request.
SESSION_SAVE_EVERY_REQUEST = False
SESSION_ACTIVITY_SECONDS = 60
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
