"""Wrong-password limits that stop a guesser without locking the real person out (security A3).

Three limits, counted on the address typed at sign-in (whether or not an account has it, so the
answers tell nobody which addresses exist):

- **Per account and network address pair, with growing delays.** After
  `SIGNIN_PAIR_FREE_FAILURES` wrong passwords for one account from one address, that pair waits
  `SIGNIN_PAIR_DELAYS` (1, then 5, then 15 minutes after each further failure), even with the
  right password. The same person elsewhere, and colleagues behind the same hospital address,
  are not affected. A right password (after the wait) forgets the pair's failures.
- **Per account, from anywhere: a high ceiling** (`SIGNIN_ACCOUNT_CEILING`, 50 an hour) against
  guessing spread over many addresses. When it is reached, password sign-in to that account
  pauses for everyone until the oldest failure is an hour old. The page says so, and says that
  resetting the password (the emailed link) signs them in now: a completed reset lifts the
  pause (`reset_account`).
- **Per address**: allauth's `login_failed` limit, kept generous (`ACCOUNT_RATE_LIMITS`) because
  thousands of staff share a few NAT addresses.

The counters live in the shared cache. If the cache is down, a limit is skipped (and the failure
logged) rather than refusing every sign-in with an error page.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import HttpRequest

security_log = logging.getLogger("scopegrowth.security")

PAIR_MEMORY_SECONDS = 24 * 60 * 60  # a pair's failures are forgotten after a quiet day


class SignInPaused(ValidationError):
    """Raised before the password is checked; the sign-in form shows the message."""


def _address(request: HttpRequest) -> str:
    from allauth.account.adapter import get_adapter

    try:
        ip = get_adapter().get_client_ip(request)
    except Exception:  # no address at all: one shared bucket
        return "unknown"
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if addr.version == 6:  # one person's /64 is one address
        return str(ipaddress.IPv6Network(f"{addr}/64", strict=False).network_address)
    return str(addr)


def _digest(*parts: str) -> str:
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()


def _pair_key(request: HttpRequest, login: str) -> str:
    return f"sg:signin:pair:{_digest(login.lower(), _address(request))}"


def _account_key(login: str) -> str:
    return f"sg:signin:account:{_digest(login.lower())}"


def _minutes(seconds: float) -> str:
    n = max(1, math.ceil(seconds / 60))
    return f"{n} minute{'s' if n != 1 else ''}"


def check(request: HttpRequest, login: str) -> None:
    """Refuse (SignInPaused) before the password is checked when a limit is reached."""
    if not login:
        return
    now = time.time()
    try:
        pair = cache.get(_pair_key(request, login)) or {}
        failures = [t for t in cache.get(_account_key(login)) or [] if t > now - _window()]
    except Exception:
        security_log.exception("sign-in limits unavailable", extra={"event": "limits_down"})
        return
    ceiling, window = settings.SIGNIN_ACCOUNT_CEILING
    if len(failures) >= ceiling:
        wait = min(failures) + window - now
        security_log.warning("sign-in paused", extra={"event": "sign_in_paused_account"})
        raise SignInPaused(
            "Signing in to this account with a password is paused for "
            f"{_minutes(wait)}, because of many wrong passwords from different places. "
            "If this is your account, reset your password: we will email you a link, and once "
            "you have chosen a new password you can sign in straight away.",
            code="account_paused",
        )
    until = pair.get("until", 0)
    if until > now:
        security_log.warning("sign-in delayed", extra={"event": "sign_in_delayed"})
        raise SignInPaused(
            "Too many wrong passwords for this account from your network. Wait "
            f"{_minutes(until - now)} and try again, or reset your password. Signing in from "
            "another network still works.",
            code="pair_delayed",
        )


def failed(request: HttpRequest, login: str) -> None:
    """Count a wrong password for the pair (with its next delay) and for the account."""
    if not login:
        return
    now = time.time()
    free = settings.SIGNIN_PAIR_FREE_FAILURES
    delays = settings.SIGNIN_PAIR_DELAYS
    ceiling, window = settings.SIGNIN_ACCOUNT_CEILING
    try:
        key = _pair_key(request, login)
        pair = cache.get(key) or {}
        count = pair.get("failures", 0) + 1
        until = now + delays[min(count - free, len(delays) - 1)] if count >= free else 0
        cache.set(key, {"failures": count, "until": until}, PAIR_MEMORY_SECONDS)
        account = _account_key(login)
        failures = [t for t in cache.get(account) or [] if t > now - window]
        cache.set(account, [*failures, now][-ceiling:], window)
    except Exception:
        security_log.exception("sign-in limits unavailable", extra={"event": "limits_down"})


def succeeded(request: HttpRequest, login: str) -> None:
    """The right password from this address: forget this pair's failures (not the account's:
    a guesser elsewhere must not be helped by the person signing in)."""
    try:
        cache.delete(_pair_key(request, login))
    except Exception:
        security_log.exception("sign-in limits unavailable", extra={"event": "limits_down"})


def reset_account(request: HttpRequest | None, logins: list[str]) -> None:
    """A password reset was completed through the emailed link: lift the account's pause, and
    the delay of the address the reset came from."""
    logins = [login for login in logins if login]
    keys = [_account_key(login) for login in logins]
    if request is not None:
        keys += [_pair_key(request, login) for login in logins]
    try:
        cache.delete_many(keys)
    except Exception:
        security_log.exception("sign-in limits unavailable", extra={"event": "limits_down"})


def _window() -> int:
    return settings.SIGNIN_ACCOUNT_CEILING[1]
