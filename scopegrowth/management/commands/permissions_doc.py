"""`manage.py permissions_doc [--check]`: write docs/permissions.md from the policies."""

from django.core.management.base import BaseCommand, CommandError

from scopegrowth.permissions_doc import PATH, render


class Command(BaseCommand):
    help = "Write docs/permissions.md from the registered access policies (--check: compare)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--check", action="store_true", help="fail if the file is stale")

    def handle(self, *args, check: bool = False, **options) -> None:
        text = render()
        if check:
            if not PATH.exists() or PATH.read_text() != text:
                raise CommandError(f"{PATH} is out of date: run manage.py permissions_doc")
            self.stdout.write(f"{PATH} is current.")
            return
        PATH.write_text(text)
        self.stdout.write(f"Wrote {PATH}.")
