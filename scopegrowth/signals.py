"""Signal receivers that record facts about sessions (no business rules here)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from scopegrowth.middleware import LOGIN_AT_KEY, SEEN_AT_KEY


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT_KEY] = now
        request.session[SEEN_AT_KEY] = now


# --- Security log (checklist H1): sign-ins, sign-outs and failures, as structured records ---

import logging  # noqa: E402

from django.contrib.auth.signals import user_logged_out, user_login_failed  # noqa: E402

security_log = logging.getLogger("scopegrowth.security")


def _client(request) -> str:
    return request.META.get("REMOTE_ADDR", "") if request is not None else ""


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs) -> None:
    security_log.info(
        "sign-in", extra={"event": "sign_in", "user": user.pk, "ip": _client(request)}
    )


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs) -> None:
    security_log.info("sign-out", extra={"event": "sign_out", "user": getattr(user, "pk", None)})


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs) -> None:
    # Django has already replaced the password with asterisks in `credentials`; log the login
    # name only (JSON-encoded by the formatter, so it cannot forge a record).
    login = credentials.get("email") or credentials.get("username") or credentials.get("login")
    security_log.warning(
        "sign-in failed",
        extra={"event": "sign_in_failed", "login": str(login or "")[:254], "ip": _client(request)},
    )


# --- A completed password reset lifts the sign-in pause on that account (signin_limits) ---

from allauth.account.signals import password_reset  # noqa: E402


@receiver(password_reset)
def lift_sign_in_pause(sender, request, user, **kwargs) -> None:
    from allauth.account.models import EmailAddress

    from scopegrowth import signin_limits

    logins = {user.email.lower()} | {
        e.lower() for e in EmailAddress.objects.filter(user=user).values_list("email", flat=True)
    }
    signin_limits.reset_account(request, sorted(logins))
