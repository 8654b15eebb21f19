"""Preparation and facilitator-only notes belong to their author (issue 14, item 3).

- A preparation is one per conversation and author (it was one per conversation): existing rows
  keep their text with the conversation's facilitator as their author.
- Each stage's private notes move from `StageRecord.facilitator_notes` (one text every current
  facilitator could read and overwrite) to a `StageNote` per author, again with the
  conversation's facilitator as the author of what is there today.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def authors_from_facilitators(apps, schema_editor):
    Preparation = apps.get_model("conversations", "Preparation")
    StageRecord = apps.get_model("conversations", "StageRecord")
    StageNote = apps.get_model("conversations", "StageNote")
    for preparation in Preparation.objects.select_related("conversation").iterator():
        preparation.author_id = preparation.conversation.facilitator_id
        preparation.save(update_fields=["author"])
    notes = [
        StageNote(
            conversation_id=record.conversation_id,
            stage=record.stage,
            author_id=record.conversation.facilitator_id,
            text=record.facilitator_notes,
            updated_at=record.updated_at,
        )
        for record in StageRecord.objects.select_related("conversation").exclude(
            facilitator_notes=""
        )
    ]
    StageNote.objects.bulk_create(notes, batch_size=500)


def notes_back_to_stage_records(apps, schema_editor):
    """Reversing keeps the recorded facilitator's notes (any other author's are dropped)."""
    StageRecord = apps.get_model("conversations", "StageRecord")
    StageNote = apps.get_model("conversations", "StageNote")
    Preparation = apps.get_model("conversations", "Preparation")
    for note in StageNote.objects.select_related("conversation"):
        if note.author_id == note.conversation.facilitator_id:
            StageRecord.objects.filter(
                conversation_id=note.conversation_id, stage=note.stage
            ).update(facilitator_notes=note.text)
    for preparation in Preparation.objects.select_related("conversation"):
        if preparation.author_id != preparation.conversation.facilitator_id:
            preparation.delete()


class Migration(migrations.Migration):
    dependencies = [
        ("conversations", "0002_invite_sent_sequence"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="preparation",
            name="conversation",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="preparations",
                to="conversations.conversation",
            ),
        ),
        migrations.AddField(
            model_name="preparation",
            name="author",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="preparations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="preparation",
            name="handed_over_at",
            field=models.DateTimeField(
                blank=True,
                help_text="When the author chose to let whoever facilitates the conversation "
                "after them read it (empty: private to the author).",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="StageNote",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stage",
                    models.PositiveSmallIntegerField(
                        choices=[
                            (1, "Personal reflection"),
                            (2, "Career history and Scope for Growth position"),
                            (3, "Aspirational development plan"),
                        ]
                    ),
                ),
                ("text", models.TextField(blank=True, max_length=10000)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "author",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_notes",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "conversation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="stage_notes",
                        to="conversations.conversation",
                    ),
                ),
            ],
        ),
        migrations.RunPython(authors_from_facilitators, notes_back_to_stage_records),
        migrations.AlterField(
            model_name="preparation",
            name="author",
            field=models.ForeignKey(
                help_text="The facilitator whose preparation this is.",
                on_delete=django.db.models.deletion.CASCADE,
                related_name="preparations",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.RemoveField(model_name="stagerecord", name="facilitator_notes"),
        migrations.AddConstraint(
            model_name="preparation",
            constraint=models.UniqueConstraint(
                fields=("conversation", "author"), name="conversations_preparation_one_per_author"
            ),
        ),
        migrations.AddConstraint(
            model_name="stagenote",
            constraint=models.UniqueConstraint(
                fields=("conversation", "stage", "author"),
                name="conversations_stagenote_one_per_author",
            ),
        ),
    ]
