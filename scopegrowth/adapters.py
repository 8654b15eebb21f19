"""django-allauth adapter: accounts come from the organisation, never from self-signup; wrong
passwords are limited per account and address pair (`scopegrowth.signin_limits`); the
"no account with this address" email goes to one address at most once a day; its emails carry
the same headers as ours (`emails.stamp`) and, like every email, go through the outbox
(`scopegrowth.outbox`): written now, sent by a worker, never lost to a broker outage. With
SSO_ONLY=1 only admins may sign in with a password (`scopegrowth.sso`), and every refusal reads
the same."""

import hashlib
import logging
from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from django.conf import settings
from django.contrib.sites.shortcuts import get_current_site
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.http import HttpRequest

from scopegrowth import emails, outbox, signin_limits, sso

security_log = logging.getLogger("scopegrowth.security")


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Roles and manager links are organisational facts: accounts are created by an admin.
        return False

    def render_mail(self, template_prefix, email, context, headers=None) -> EmailMessage:
        return emails.stamp(super().render_mail(template_prefix, email, context, headers))

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        signin_limits.check(request, _login(credentials))
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any):
        user = super().authenticate(request, **credentials)
        if user is not None and settings.SSO_ONLY and not sso.may_use_password(user):
            # The right password, but not theirs to use: refused like a wrong one.
            security_log.info("password refused: SSO only", extra={"event": "sso_only"})
            self.authentication_failed(request, **credentials)
            return None
        if user is not None:
            signin_limits.succeeded(request, _login(credentials))
        return user

    def validation_error(self, code: str, *args: Any) -> ValidationError:
        if settings.SSO_ONLY and code.endswith("_password_mismatch"):
            return ValidationError(sso.password_refused_message(), code=code)
        return super().validation_error(code, *args)

    def get_login_stages(self) -> list[str]:
        # allauth's MFA step, taught to accept the organisation's trusted MFA (scopegrowth.sso).
        return [
            "scopegrowth.sso.AuthenticateStage"
            if path == "allauth.mfa.stages.AuthenticateStage"
            else path
            for path in super().get_login_stages()
        ]

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        signin_limits.failed(request, _login(credentials))

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        """A password reset for an address with no account emails that address to say so
        (allauth's "unknown account" email). Anyone can ask for any address, so it goes to one
        address at most once per UNKNOWN_ACCOUNT_EMAIL_SECONDS; the page looks the same."""
        if template_prefix == "account/email/unknown_account":
            digest = hashlib.sha256(email.strip().lower().encode()).hexdigest()
            key = f"sg:unknown-account-email:{digest}"
            if not cache.add(key, 1, settings.UNKNOWN_ACCOUNT_EMAIL_SECONDS):
                security_log.info(
                    "unknown-account email not repeated", extra={"event": "unknown_email_held"}
                )
                return
        request = allauth_context.request
        ctx = {"request": request, "email": email, "current_site": get_current_site(request)}
        ctx.update(context)
        built = self.render_mail(template_prefix, email, ctx)
        if getattr(built, "content_subtype", "plain") == "html":  # an HTML-only template
            built.alternatives, built.body = [(built.body, "text/html")], ""
        recipient = context.get("user")
        if recipient is None or getattr(recipient, "email", "").lower() != email.strip().lower():
            from scopegrowth.models import User

            recipient = User.objects.filter(email__iexact=email.strip()).first()
        outbox.message(built, kind=template_prefix, recipient=recipient)
