"""Sign in with the organisation's account: allauth's OpenID Connect provider, configured in
`settings/sso.py`. allauth runs the authorization-code flow with PKCE, checks the state and the
ID token; this module decides who the token is.

- A sign-in is matched to a person the organisation added (the people import or the admin):
  first by an earlier SSO sign-in (the provider's subject), then by the token's *verified*
  email, then by the employee number claim (SSO_OIDC_EMPLOYEE_NUMBER_CLAIM). Nobody unknown
  gets an account; a deactivated person is refused.
- Roles that see other people's data keep their second factor: the app's authenticator is
  asked for (allauth's MFA stage; the set-up page when they have none) unless
  SSO_OIDC_TRUST_MFA=1 and the ID token's `amr` says "mfa".
- SSO_ONLY=1: only admins may use a password (`adapters.AccountAdapter`).
"""

from __future__ import annotations

import logging
from typing import Any

from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.mfa import stages as mfa_stages
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.dispatch import receiver
from django.http import HttpRequest
from django.shortcuts import render

from scopegrowth.middleware import IDP_MFA_SESSION_KEY
from scopegrowth.models import User

security_log = logging.getLogger("scopegrowth.security")

NOT_ADDED = (
    "Your organisation has not added you yet. Ask your line manager or your ScopeGrowth "
    "administrator to add you, then sign in again."
)
DEACTIVATED = (
    "Your ScopeGrowth account has been closed, so you cannot sign in. If you think this is "
    "wrong, ask your ScopeGrowth administrator."
)


def enabled() -> bool:
    return bool(settings.SSO_OIDC_ISSUER)


def password_refused_message() -> str:
    """The one answer to every refused password sign-in under SSO_ONLY (existing account or
    not, right password or not): nothing tells who has an account."""
    return (
        f"Use “Sign in with {settings.SSO_OIDC_NAME}”. A password here works only for an "
        "administrator's account, and only with the right email address and password."
    )


def may_use_password(user: Any) -> bool:
    """Under SSO_ONLY only admins (the admin site's staff and superusers) keep a password."""
    return bool(user.is_staff or user.is_superuser)


def idp_attested_mfa(sociallogin: Any) -> bool:
    """The organisation trusts its provider's MFA and this ID token says it was used."""
    if not settings.SSO_OIDC_TRUST_MFA:
        return False
    id_token = (sociallogin.account.extra_data or {}).get("id_token") or {}
    amr = id_token.get("amr") or []
    return isinstance(amr, list) and "mfa" in amr


def _claims(sociallogin: Any) -> dict:
    data = sociallogin.account.extra_data or {}
    return {**(data.get("id_token") or {}), **(data.get("userinfo") or {})}


def _match(sociallogin: Any) -> User | None:
    emails = [a.email for a in sociallogin.email_addresses if a.verified and a.email]
    for email in emails:
        person = User.objects.filter(email__iexact=email.strip()).first()
        if person is not None:
            return person
    claim = settings.SSO_OIDC_EMPLOYEE_NUMBER_CLAIM
    number = str(_claims(sociallogin).get(claim) or "").strip() if claim else ""
    if number:
        people = list(User.objects.filter(employee_number=number)[:2])
        if len(people) == 1:
            return people[0]
    return None


def _refuse(request: HttpRequest, message: str, event: str) -> None:
    security_log.warning("organisation sign-in refused", extra={"event": event})
    response = render(
        request,
        "account/sso_refused.html",
        {"message": message, "sso_name": settings.SSO_OIDC_NAME},
        status=403,
    )
    raise ImmediateHttpResponse(response)


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False  # people are added by the organisation, never by signing in

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        if not sociallogin.is_existing:
            person = _match(sociallogin)
            if person is None:
                _refuse(request, NOT_ADDED, "sso_unknown")
            if not person.is_active:
                _refuse(request, DEACTIVATED, "sso_deactivated")
            sociallogin.user = person
            sociallogin.account.user = person
            sociallogin.account.save()  # the next sign-in finds them by the subject
        if not sociallogin.user.is_active:
            _refuse(request, DEACTIVATED, "sso_deactivated")

    def on_authentication_error(
        self, request, provider, error=None, exception=None, extra_context=None
    ):
        security_log.warning(
            "organisation sign-in failed",
            extra={"event": "sso_error", "error": str(error or ""), "exc": repr(exception)},
        )
        return super().on_authentication_error(
            request, provider, error=error, exception=exception, extra_context=extra_context
        )


class AuthenticateStage(mfa_stages.AuthenticateStage):
    """allauth's "enter your authenticator code" step, skipped only when the organisation
    trusts its provider's MFA and this sign-in's token says it was used."""

    def _should_handle(self, request: HttpRequest) -> bool:
        sociallogin = (self.login.signal_kwargs or {}).get("sociallogin")
        if sociallogin is not None and idp_attested_mfa(sociallogin):
            return False
        return super()._should_handle(request)


@receiver(user_logged_in, dispatch_uid="scopegrowth.sso.remember_idp_mfa")
def remember_idp_mfa(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    """The set-up-an-authenticator rule (middleware.RequireMFAMiddleware) is met for this
    session by the provider's MFA, when it is trusted and was used; any other sign-in clears
    it."""
    sociallogin = kwargs.get("sociallogin")
    if sociallogin is not None and idp_attested_mfa(sociallogin):
        request.session[IDP_MFA_SESSION_KEY] = True
    else:
        request.session.pop(IDP_MFA_SESSION_KEY, None)
