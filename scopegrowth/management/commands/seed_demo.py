"""`manage.py seed_demo [--password P] [--scale N]`: the demo organisation (idempotent)."""

import time

from django.core.management.base import BaseCommand, CommandParser

from scopegrowth import demo, planner_stats


class Command(BaseCommand):
    help = "Create or refresh the demo organisation; --scale N adds N generated individuals."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--password", default=demo.DEFAULT_PASSWORD)
        parser.add_argument("--scale", type=int, default=0, metavar="N")

    def handle(self, *args, password: str, scale: int, **options) -> None:
        if scale < 0:
            self.stderr.write("--scale must be zero or more")
            raise SystemExit(2)
        started = time.monotonic()
        org = demo.seed_people(password)
        demo.seed_apps(org)  # each app's `demo.py` (journals, conversations, plans)
        self.stdout.write(f"Demo organisation: {org.organisation.name}")
        for person in demo.PEOPLE:
            self.stdout.write(f"  {person.email:<26} {person.role_note}")
        if scale:
            added = demo.seed_scale(org.organisation, scale, password)
            activity = demo.seed_scale_activity()
            self.stdout.write(
                f"Scale: {added} individuals added ({scale} requested in all); "
                f"{activity} given a journal, a conversation and, for most, an agreed plan"
            )
            if planner_stats.refresh():  # every table grew: plan from their new sizes
                self.stdout.write("Planner statistics refreshed (ANALYZE)")
        self.stdout.write(f"Password for every demo account: {password}")
        self.stdout.write(f"Seeded in {time.monotonic() - started:.1f}s")
