"""`manage.py send_reminders`: send the reminders due now, exactly once each (same code as beat)."""

from django.core.management.base import BaseCommand

from reminders import services as reminders


class Command(BaseCommand):
    help = "Send the preparation reminders that are due now (each exactly once)."

    def handle(self, *args, **options) -> None:
        sent = reminders.send_due()
        for reminder in sent:
            self.stdout.write(
                f"  {reminder.get_kind_display()}: {reminder.recipient.email} "
                f"({reminder.subject_type} {reminder.subject_id}, {reminder.due_on:%d %b %Y})"
            )
        self.stdout.write(f"Sent {len(sent)} reminder{'s' if len(sent) != 1 else ''}.")
