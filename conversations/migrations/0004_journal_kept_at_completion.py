"""A conversation keeps its journal from completion, with which sections were shared then (issue 15).

- `journal` now means "the journal this completed conversation kept". It was set when the
  conversation was scheduled, so a journal started after the invitation never belonged to it and
  a cancelled conversation kept one. Open and cancelled conversations drop the link (an open one
  reads the individual's open journal); a completed conversation without one gets the journal
  that was open when it was completed, unless another completed conversation already has it.
- `shared_at_completion` is filled for completed conversations from the sections shared then
  (still shared, and shared before the completion): the best that can be known afterwards.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import F, Min, Q


def keep_journals(apps, schema_editor):
    Conversation = apps.get_model("conversations", "Conversation")
    Journal = apps.get_model("journals", "Journal")
    JournalSection = apps.get_model("journals", "JournalSection")
    Conversation.objects.exclude(status="completed").exclude(journal=None).update(journal=None)
    held = set(
        Conversation.objects.filter(status="completed")
        .exclude(journal=None)
        .values_list("journal_id", flat=True)
    )
    for c in Conversation.objects.filter(status="completed").order_by("completed_at", "pk"):
        done = c.completed_at or c.updated_at
        if c.journal_id is None:
            journal = (
                Journal.objects.filter(owner_id=c.individual_id, opened_at__lte=done)
                .filter(Q(closed_at__isnull=True) | Q(closed_at__gt=done))
                .exclude(pk__in=held)
                .order_by("-cycle")
                .first()
            )
            if journal is None:
                continue
            c.journal_id = journal.pk
            held.add(journal.pk)
        c.shared_at_completion = [
            {
                "slug": js.section.slug,
                "title": js.section.title,
                "shared_at": js.since.isoformat(),
            }
            for js in _shared_by(JournalSection, apps, journal_id=c.journal_id, done=done)
        ]
        c.save(update_fields=["journal", "shared_at_completion"])


def _shared_by(JournalSection, apps, *, journal_id, done):
    """The journal's sections shared by `done`, each with `since`. Before journals 0006 a
    section has one `shared_at`; from it on (when journals' migrations ran first) the shares are
    per person (`SectionShare`): the earliest share counts."""
    if any(f.name == "shared_at" for f in JournalSection._meta.get_fields()):
        rows = JournalSection.objects.filter(
            journal_id=journal_id, shared_at__isnull=False, shared_at__lte=done
        ).annotate(since=F("shared_at"))
    else:
        rows = (
            JournalSection.objects.filter(journal_id=journal_id)
            .annotate(since=Min("shares__shared_at"))
            .filter(since__isnull=False, since__lte=done)
        )
    return rows.select_related("section").order_by("section__stage", "section__order", "section__pk")


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0003_preparation_per_author"),
        ("journals", "0003_section_ordering"),
    ]

    operations = [
        migrations.AddField(
            model_name="conversation",
            name="shared_at_completion",
            field=models.JSONField(
                blank=True,
                default=list,
                editable=False,
                help_text='Which journal sections were shared with the facilitator when the conversation was completed, and since when: [{"slug", "title", "shared_at"}]. Titles and times only: the answers are read live, under today\'s sharing.',
            ),
        ),
        migrations.AlterField(
            model_name="conversation",
            name="journal",
            field=models.ForeignKey(
                blank=True,
                help_text="The individual's journal this conversation kept: set when it is completed (an open conversation reads the individual's open journal; a cancelled one holds none). Read it through conversations.selectors.journal_of.",
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="conversations",
                to="journals.journal",
            ),
        ),
        migrations.RunPython(keep_journals, migrations.RunPython.noop),
    ]
