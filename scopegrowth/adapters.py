"""django-allauth adapter: accounts come from the organisation, never from self-signup."""

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Roles and manager links are organisational facts: accounts are created by an admin.
        return False
