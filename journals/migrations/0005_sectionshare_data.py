"""Existing shares move to the people who support the owner at migration time, by name (issue
14): every current line manager and coach of the owner gets one `SectionShare` per shared
section, dated when the section was shared, so nobody gains or loses access on deploy.

A shared section of a person with no current supporter was readable by nobody, and stays so.
Backwards: a section with any share becomes shared again from its earliest share."""

from django.db import migrations
from django.db.models import Min


def forwards(apps, schema_editor):
    JournalSection = apps.get_model("journals", "JournalSection")
    SectionShare = apps.get_model("journals", "SectionShare")
    ManagerLink = apps.get_model("scopegrowth", "ManagerLink")
    CoachLink = apps.get_model("scopegrowth", "CoachLink")
    supporters: dict[int, set[int]] = {}
    for report_id, manager_id in ManagerLink.objects.filter(ended_at__isnull=True).values_list(
        "report_id", "manager_id"
    ):
        supporters.setdefault(report_id, set()).add(manager_id)
    for coachee_id, coach_id in CoachLink.objects.filter(ended_at__isnull=True).values_list(
        "coachee_id", "coach_id"
    ):
        supporters.setdefault(coachee_id, set()).add(coach_id)
    rows = []
    shared = JournalSection.objects.filter(shared_at__isnull=False).values_list(
        "pk", "journal__owner_id", "shared_at"
    )
    for js_id, owner_id, shared_at in shared.iterator():
        for reader_id in sorted(supporters.get(owner_id, ())):
            if reader_id != owner_id:
                rows.append(
                    SectionShare(journal_section_id=js_id, reader_id=reader_id, shared_at=shared_at)
                )
    SectionShare.objects.bulk_create(rows, batch_size=500)


def backwards(apps, schema_editor):
    JournalSection = apps.get_model("journals", "JournalSection")
    SectionShare = apps.get_model("journals", "SectionShare")
    first = SectionShare.objects.values("journal_section_id").annotate(at=Min("shared_at"))
    for row in first.order_by():
        JournalSection.objects.filter(pk=row["journal_section_id"]).update(shared_at=row["at"])
    SectionShare.objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("journals", "0004_sectionshare"),
        ("scopegrowth", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
