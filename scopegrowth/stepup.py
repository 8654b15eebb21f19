"""Step-up: the password again before the riskiest actions (security.md A10).

A bulk export of many people's plans and sharing the health and well-being section each ask
the person to confirm their password when they have not done so in the last
`ACCOUNT_REAUTHENTICATION_TIMEOUT` seconds (five minutes). allauth's middleware keeps the POST,
shows "Confirm it is you", and replays the POST once the password is confirmed: nothing typed
is lost. Signing in does not count: allauth asks for a fresh confirmation, as it does before
an authenticator is added.
"""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.http import HttpRequest


def _confirmed(request: HttpRequest) -> None:
    return None


_check = reauthentication_required(_confirmed)


def require_recent_password(request: HttpRequest) -> None:
    """Raise allauth's `ReauthenticationRequired` unless the password was confirmed recently.
    Call it after the access checks, so a refused request is refused as before."""
    _check(request)
