"""Forms for the people pages, and the date and time fields every app's forms use."""

import re
from datetime import date, time

from django import forms
from django.conf import settings

from scopegrowth.models import User
from scopegrowth.widgets import DateInputs

# =============================================================================
# A team, chosen from hundreds (HR's filters)
# =============================================================================


class _TeamChoices(forms.models.ModelChoiceIterator):
    """The team options from one narrow query (id, name, directorate): a trust has hundreds of
    teams, and building a model object for each of them was a large part of the HR pages."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = self.queryset.values_list("pk", "name", "directorate__name")
        for pk, name, directorate in rows:
            yield (pk, f"{name} ({directorate})")


class TeamChoiceField(forms.ModelChoiceField):
    """Labelled "Team (Directorate)"; the options without a model object each."""

    iterator = _TeamChoices

    def label_from_instance(self, obj) -> str:
        return f"{obj.name} ({obj.directorate.name})"


# =============================================================================
# Dates and times (NHS.UK patterns): use these in every form
# =============================================================================


class DateParts(forms.MultiValueField):
    """A date entered in the NHS.UK date input pattern (day, month and year fields), with the
    NHS error messages: one message naming what is wrong, all three inputs marked.

    `what` names the date in the messages ("the date of the conversation"); `example` is the
    date the hint and messages give ("For example, 27 3 2026": the same format as the fields).
    """

    widget = DateInputs

    def __init__(
        self,
        *,
        what: str = "the date",
        example: date | None = None,
        **kwargs,
    ) -> None:
        self.what = what
        self.example = example or date(2026, 3, 27)
        example_text = f"{self.example.day} {self.example.month} {self.example.year}"
        self.example_text = example_text
        kwargs.setdefault("help_text", f"For example, {example_text}")
        error_messages = {"required": f"Enter {what}", **kwargs.pop("error_messages", {})}
        parts = tuple(forms.CharField(required=False) for _ in range(3))
        super().__init__(
            fields=parts,
            require_all_fields=False,
            error_messages=error_messages,
            **kwargs,
        )

    def compress(self, data_list):
        if not data_list:
            return None
        day, month, year = (str(part or "").strip() for part in data_list)
        what = self.what[0].upper() + self.what[1:]
        missing = [
            name for name, part in (("day", day), ("month", month), ("year", year)) if not part
        ]
        if len(missing) == 3:
            return None
        if missing:
            raise forms.ValidationError(
                f"{what} must include a {' and '.join(missing)}", code="incomplete"
            )
        if not (day.isdigit() and month.isdigit() and year.isdigit()):
            raise forms.ValidationError(
                f"{what} must be in numbers, for example {self.example_text}", code="invalid"
            )
        if len(year) != 4:
            raise forms.ValidationError(
                f"The year must have 4 numbers, for example {self.example.year}", code="invalid"
            )
        if not 1 <= int(month) <= 12:
            raise forms.ValidationError("The month must be a number from 1 to 12", code="invalid")
        try:
            return date(int(year), int(month), int(day))
        except ValueError:
            raise forms.ValidationError(
                f"{what} must be a real date, for example {self.example_text}", code="invalid"
            ) from None


class TimeText(forms.Field):
    """A time of day typed as hours and minutes ("09:30", "14:00", also "9.30"), in a text
    input: a browser's time picker sends nothing for a time it cannot read, so a mistyped
    "25:00" was reported as a missing time. Each mistake gets its own message."""

    widget = forms.TextInput
    PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")

    def __init__(self, *, what: str = "the time", **kwargs) -> None:
        self.what = what
        kwargs.setdefault("help_text", "Use the 24-hour clock, for example 09:30 or 14:00")
        error_messages = {"required": f"Enter {what}", **kwargs.pop("error_messages", {})}
        super().__init__(error_messages=error_messages, **kwargs)

    def widget_attrs(self, widget):
        return {
            **super().widget_attrs(widget),
            "class": "nhsuk-input--width-5",
            "autocomplete": "off",
        }

    def prepare_value(self, value):
        if isinstance(value, time):
            return f"{value:%H:%M}"
        return value

    def to_python(self, value):
        if isinstance(value, time):
            return value
        text = str(value or "").strip()
        if not text:
            return None
        match = self.PATTERN.match(text)
        if match is None:
            raise forms.ValidationError(
                f"Enter {self.what} as hours and minutes with a colon, for example 09:30 or 14:00",
                code="invalid",
            )
        hours, minutes = int(match[1]), int(match[2])
        if hours > 23:
            raise forms.ValidationError(
                f"{text} is not a time of day: the hour must be from 00 to 23 (the 24-hour "
                "clock), for example 14:00 for 2pm",
                code="invalid",
            )
        if minutes > 59:
            raise forms.ValidationError(
                f"{text} is not a time of day: the minutes must be from 00 to 59, for example "
                "09:30",
                code="invalid",
            )
        return time(hours, minutes)


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
