"""django-allauth adapter: accounts come from the organisation, never from self-signup; wrong
passwords are limited per account and address pair (`scopegrowth.signin_limits`)."""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from scopegrowth import signin_limits


def _login(credentials: dict[str, Any]) -> str:
    return str(credentials.get("email") or credentials.get("username") or "").strip().lower()


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Roles and manager links are organisational facts: accounts are created by an admin.
        return False

    def pre_authenticate(self, request: HttpRequest, **credentials: Any) -> None:
        signin_limits.check(request, _login(credentials))
        super().pre_authenticate(request, **credentials)

    def authenticate(self, request: HttpRequest, **credentials: Any):
        user = super().authenticate(request, **credentials)
        if user is not None:
            signin_limits.succeeded(request, _login(credentials))
        return user

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        super().authentication_failed(request, **credentials)
        signin_limits.failed(request, _login(credentials))
