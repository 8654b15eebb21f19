"""The EqualityDeclaration model, moved here from the core app (issue 13).

Its table keeps its name ("scopegrowth_equalitydeclaration"), so this migration only adds the model to this app's
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
    if not ContentType.objects.using(db).filter(app_label="insight", model="equalitydeclaration").exists():
        ContentType.objects.using(db).filter(app_label="scopegrowth", model="equalitydeclaration").update(
            app_label="insight"
        )


def move_content_type_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="insight", model="equalitydeclaration").update(
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
                    name='EqualityDeclaration',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('ethnicity', models.CharField(blank=True, choices=[('asian', 'Asian or Asian British'), ('black', 'Black, Black British, Caribbean or African'), ('mixed', 'Mixed or multiple ethnic groups'), ('white', 'White'), ('other', 'Other ethnic group'), ('prefer_not_to_say', 'Prefer not to say')], max_length=20)),
                        ('disability', models.CharField(blank=True, choices=[('yes', 'Yes'), ('no', 'No'), ('prefer_not_to_say', 'Prefer not to say')], max_length=20)),
                        ('sex', models.CharField(blank=True, choices=[('female', 'Female'), ('male', 'Male'), ('prefer_not_to_say', 'Prefer not to say')], max_length=20)),
                        ('age_band', models.CharField(blank=True, choices=[('16_24', '16 to 24'), ('25_34', '25 to 34'), ('35_44', '35 to 44'), ('45_54', '45 to 54'), ('55_64', '55 to 64'), ('65_plus', '65 or over'), ('prefer_not_to_say', 'Prefer not to say')], max_length=20)),
                        ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                        ('person', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='equality_declaration', to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        'db_table': 'scopegrowth_equalitydeclaration',
                        'constraints': [models.CheckConstraint(condition=models.Q(('age_band', ''), ('disability', ''), ('ethnicity', ''), ('sex', ''), _negated=True), name='scopegrowth_equalitydeclaration_not_empty')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
