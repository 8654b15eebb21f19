"""What the reminders app holds about a person, for "download my data" and retention."""

from reminders.models import Reminder
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

PERSONAL_DATA.register(
    "reminders",
    PersonalData(
        exports=(
            Export(
                "reminders_sent_to_you",
                "reminders.reminder",
                lambda u: Reminder.objects.filter(recipient=u),
            ),
        ),
        not_exported={},
        holdings=(
            Holding("reminders.reminder", lambda p: Reminder.objects.filter(recipient=p), True),
        ),
        order=40,
    ),
)
