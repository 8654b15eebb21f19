"""django-allauth adapter: accounts come from the organisation, never from self-signup; its
emails carry the same headers as ours (`emails.stamp`)."""

from allauth.account.adapter import DefaultAccountAdapter
from django.core.mail import EmailMessage
from django.http import HttpRequest

from scopegrowth import emails


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # Roles and manager links are organisational facts: accounts are created by an admin.
        return False

    def render_mail(self, template_prefix, email, context, headers=None) -> EmailMessage:
        return emails.stamp(super().render_mail(template_prefix, email, context, headers))
