"""The Reminder model, moved here from the core app (issue 13).

Its table keeps its name ("scopegrowth_reminder"), so this migration only adds the model to this app's
state (the table was made by scopegrowth 0004/0005 and holds its rows as they are) and points
the content type at the new app, so admin history and permissions follow the model.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="reminders", model="reminder").exists():
        ContentType.objects.using(db).filter(app_label="scopegrowth", model="reminder").update(
            app_label="reminders"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="reminders", model="reminder").update(
        app_label="scopegrowth"
    )


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("scopegrowth", "0005_equality_declaration"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Reminder',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('kind', models.CharField(choices=[('journal_week', 'Journal not ready, a week before the conversation'), ('journal_soon', 'Journal not ready, two days before the conversation'), ('preparation', 'Preparation not done, three days before'), ('day_before', 'The conversation is on the next working day'), ('plan_unsigned', 'Plan not signed off two working days after'), ('review_soon', 'A plan review is due in a week'), ('review_due', 'A plan review is due today'), ('overdue', 'The conversation date passed without completion')], max_length=20)),
                        ('subject_type', models.CharField(help_text='conversation or review', max_length=20)),
                        ('subject_id', models.PositiveBigIntegerField()),
                        ('due_on', models.DateField(help_text='The date of the thing reminded about')),
                        ('status', models.CharField(choices=[('pending', 'Waiting to be sent'), ('sending', 'Being sent'), ('sent', 'Sent'), ('skipped', 'No longer needed'), ('failed', 'Failed after retries')], default='pending', max_length=10)),
                        ('attempts', models.PositiveSmallIntegerField(default=0)),
                        ('next_attempt_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('claimed_at', models.DateTimeField(blank=True, null=True)),
                        ('sent_at', models.DateTimeField(blank=True, null=True)),
                        ('last_error', models.CharField(blank=True, max_length=200)),
                        ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='reminders', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'scopegrowth_reminder',
                        'ordering': ['created_at'],
                        'indexes': [models.Index(fields=['status', 'next_attempt_at'], name='scopegrowth_status_05d6f6_idx')],
                        'constraints': [models.UniqueConstraint(fields=('kind', 'subject_type', 'subject_id', 'recipient', 'due_on'), name='scopegrowth_reminder_once')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
