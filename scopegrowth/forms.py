"""Forms for the people pages."""

from django import forms

from scopegrowth.models import User


class PreferencesForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["optional_reminders"]
        labels = {"optional_reminders": "Send me preparation reminders by email"}
        help_texts = {
            "optional_reminders": (
                "Reminders to finish your journal or preparation, to sign off a plan and when a "
                "review is due. The reminder the working day before a conversation is always sent."
            )
        }


# allauth's forms with NHS.UK guidance applied: labels and hints, never placeholder text.
from allauth.account.forms import LoginForm as _LoginForm  # noqa: E402
from allauth.account.forms import ResetPasswordForm as _ResetPasswordForm  # noqa: E402
from allauth.mfa.base.forms import AuthenticateForm as _AuthenticateForm  # noqa: E402
from allauth.mfa.totp.forms import ActivateTOTPForm as _ActivateTOTPForm  # noqa: E402


class _NoPlaceholders:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class LoginForm(_NoPlaceholders, _LoginForm):
    pass


class ResetPasswordForm(_NoPlaceholders, _ResetPasswordForm):
    pass


class AuthenticateForm(_NoPlaceholders, _AuthenticateForm):
    pass


class ActivateTOTPForm(_NoPlaceholders, _ActivateTOTPForm):
    pass
