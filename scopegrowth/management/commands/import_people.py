"""`manage.py import_people FILE [--apply] [--deactivate-missing] [--invite]` (the contract).

Without `--apply` it prints the preview and changes nothing. Exit code 0 when the file is valid
(and applied, with `--apply`); 1 with every row error printed, and then nothing changes.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils import timezone

from scopegrowth import access
from scopegrowth.models import Organisation, PeopleImport
from scopegrowth.people_import import apply as importing
from scopegrowth.people_import.plan import KINDS, Plan


class Command(BaseCommand):
    help = "Load or update people, teams and line managers from a CSV or XLSX file."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--apply", action="store_true", help="make the changes")
        parser.add_argument(
            "--deactivate-missing",
            action="store_true",
            help="deactivate people of the organisation who are not in the file",
        )
        parser.add_argument("--invite", action="store_true", help="email new people an invitation")
        parser.add_argument(
            "--organisation",
            help="the organisation's name (needed when there are several; created if new)",
        )

    def handle(self, *args, **options):
        content = Path(options["file"]).read_bytes()
        organisation = self._organisation(options["organisation"])
        plan = importing.preview(
            content,
            organisation=organisation,
            actor=access.SYSTEM,
            deactivate_missing=options["deactivate_missing"],
        )
        self._print(plan)
        if plan.errors:
            raise SystemExit(1)
        if not options["apply"]:
            self.stdout.write("Nothing changed (preview). Run again with --apply to apply.")
            return
        try:
            with transaction.atomic():
                job = PeopleImport.objects.create(
                    organisation=organisation,
                    filename=Path(options["file"]).name[:200],
                    status=PeopleImport.Status.RUNNING,
                    deactivate_missing=options["deactivate_missing"],
                    invite=options["invite"],
                )
        except IntegrityError:
            raise CommandError("Another import for this organisation is running.") from None
        try:
            result = importing.apply_file(
                content,
                organisation=organisation,
                actor=access.SYSTEM,
                deactivate_missing=options["deactivate_missing"],
                invite=options["invite"],
                import_id=job.pk,
            )
        except importing.ImportRefused as exc:
            job.status, job.finished_at = PeopleImport.Status.FAILED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
            if exc.plan is not None:
                self._print(exc.plan)
            raise SystemExit(1) from None
        except BaseException:
            job.status, job.finished_at = PeopleImport.Status.FAILED, timezone.now()
            job.save(update_fields=["status", "finished_at"])
            raise
        job.status, job.finished_at = PeopleImport.Status.DONE, timezone.now()
        job.summary = {"applied": result.counts}
        job.save(update_fields=["status", "finished_at", "summary"])
        self.stdout.write(self.style.SUCCESS("Applied."))

    def _organisation(self, name: str | None) -> Organisation:
        if name:
            return Organisation.objects.get_or_create(name=name)[0]
        orgs = list(Organisation.objects.all()[:2])
        if len(orgs) != 1:
            raise CommandError("Name the organisation with --organisation.")
        return orgs[0]

    def _print(self, plan: Plan) -> None:
        for line, message in plan.errors:
            self.stdout.write(f"Line {line}: {message}")
        if plan.errors:
            self.stdout.write(
                self.style.ERROR(f"{len(plan.errors)} row error(s): nothing changed.")
            )
            return
        counts = plan.counts
        self.stdout.write(", ".join(f"{counts[k]} {k}" for k in KINDS))
        for c in plan.changes:
            if c.kind != "unchanged":
                where = f"line {c.line}" if c.line else "not in file"
                extra = f": {'; '.join(c.details)}" if c.details else ""
                self.stdout.write(f"{where}: {c.kind} {c.employee_number} {c.name}{extra}")
