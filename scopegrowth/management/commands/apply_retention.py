"""`manage.py apply_retention --years N [--delete] [--apply]`: dry run unless --apply."""

from django.core.management.base import BaseCommand, CommandParser

from scopegrowth import access, dataprotection


class Command(BaseCommand):
    help = "Anonymise (or delete) people who left more than N years ago. Dry run by default."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--years", type=int, required=True)
        parser.add_argument("--delete", action="store_true", help="delete where possible")
        parser.add_argument("--apply", action="store_true", help="really change the data")

    def handle(self, *args, years: int, delete: bool, apply: bool, **options) -> None:
        result = dataprotection.apply_retention(
            access.SYSTEM, years=years, delete=delete, dry_run=not apply
        )
        verb = "Would change" if result.dry_run else "Changed"
        self.stdout.write(
            f"{verb} {result.count} people who left on or before {result.cutoff:%d %B %Y}: "
            f"{len(result.anonymised)} anonymised, {len(result.deleted)} deleted."
        )
        for entry in result.entries:
            self.stdout.write(f"- {entry.name}, left {entry.left_on:%d/%m/%Y}: {entry.action_text}")
        if result.dry_run:
            self.stdout.write("Dry run: nothing was changed. Add --apply to change the data.")
