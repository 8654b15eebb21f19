"""The section-level "shared" date is gone: `SectionShare` rows say who may read a section
(0005 moved every existing share to the people who supported the owner then)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("journals", "0005_sectionshare_data"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="journalsection",
            name="journals_jo_journal_14de4a_idx",
        ),
        migrations.RemoveField(
            model_name="journalsection",
            name="shared_at",
        ),
    ]
