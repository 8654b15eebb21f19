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
