"""Forms for the people pages."""

from django import forms
from django.conf import settings

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


class RetentionForm(forms.Form):
    years = forms.IntegerField(
        label="People who left more than this many years ago",
        min_value=1,
        max_value=100,
        initial=6,
        help_text="The NHS Records Management Code of Practice suggests 6 years for most "
        "staff records: follow your organisation's retention schedule.",
    )
    mode = forms.ChoiceField(
        label="What to do",
        choices=[
            ("anonymise", "Anonymise: keep positions for anonymous figures, remove all words"),
            ("delete", "Delete, where nobody else's records depend on them"),
        ],
        widget=forms.RadioSelect,
        initial="anonymise",
    )
    confirm = forms.BooleanField(
        label="I have checked the list and want to apply the rule now",
        required=False,
    )


class PeopleImportForm(forms.Form):
    MAX_BYTES = 20 * 1024 * 1024

    file = forms.FileField(
        label="People file",
        help_text="CSV (UTF-8) or XLSX with a header row: employee_number, email, first_name, "
        "last_name, job_title, staff_group, directorate, team, manager_employee_number, "
        "start_date, leaving_date.",
    )
    deactivate_missing = forms.BooleanField(
        required=False, label="Deactivate people who are not in the file"
    )
    invite = forms.BooleanField(required=False, label="Email new people an invitation")

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > self.MAX_BYTES:
            raise forms.ValidationError("The file is larger than 20 MB.")
        return upload


# allauth's forms with NHS.UK guidance applied: labels and hints, never placeholder text.
from allauth.account.forms import AddEmailForm as _AddEmailForm  # noqa: E402
from allauth.account.forms import ChangePasswordForm as _ChangePasswordForm  # noqa: E402
from allauth.account.forms import LoginForm as _LoginForm  # noqa: E402
from allauth.account.forms import ReauthenticateForm as _ReauthenticateForm  # noqa: E402
from allauth.account.forms import ResetPasswordForm as _ResetPasswordForm  # noqa: E402
from allauth.account.forms import ResetPasswordKeyForm as _ResetPasswordKeyForm  # noqa: E402
from allauth.account.forms import SetPasswordForm as _SetPasswordForm  # noqa: E402
from allauth.mfa.base.forms import AuthenticateForm as _AuthenticateForm  # noqa: E402
from allauth.mfa.base.forms import ReauthenticateForm as _MFAReauthenticateForm  # noqa: E402
from allauth.mfa.totp.forms import ActivateTOTPForm as _ActivateTOTPForm  # noqa: E402


class _NoPlaceholders:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.pop("placeholder", None)


class LoginForm(_NoPlaceholders, _LoginForm):
    @property
    def sso_only(self) -> bool:
        """SSO_ONLY=1: the page leads with the organisation's button (only admins use a
        password; `adapters.AccountAdapter`)."""
        return bool(settings.SSO_ONLY)


class ResetPasswordForm(_NoPlaceholders, _ResetPasswordForm):
    pass


class AuthenticateForm(_NoPlaceholders, _AuthenticateForm):
    pass


class ActivateTOTPForm(_NoPlaceholders, _ActivateTOTPForm):
    pass


class ReauthenticateForm(_NoPlaceholders, _ReauthenticateForm):
    pass


class ChangePasswordForm(_NoPlaceholders, _ChangePasswordForm):
    pass


class SetPasswordForm(_NoPlaceholders, _SetPasswordForm):
    pass


class ResetPasswordKeyForm(_NoPlaceholders, _ResetPasswordKeyForm):
    pass


class AddEmailForm(_NoPlaceholders, _AddEmailForm):
    pass


class MFAReauthenticateForm(_NoPlaceholders, _MFAReauthenticateForm):
    pass
