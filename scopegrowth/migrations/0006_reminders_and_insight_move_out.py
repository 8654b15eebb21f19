"""Issue 13: the Reminder and EqualityDeclaration models moved to the `reminders` and `insight`
apps. Their tables keep their names (`db_table`), so no row moves: this migration only takes
them out of this app's migration state, after the new apps have taken them in."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("scopegrowth", "0005_equality_declaration"),
        ("reminders", "0001_initial"),
        ("insight", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Reminder"),
                migrations.DeleteModel(name="EqualityDeclaration"),
            ],
            database_operations=[],
        ),
    ]
