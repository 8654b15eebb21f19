"""The stored figures keep the CSV file's text instead of its rows (issue 20): a download sends
the stored text without decoding JSON and formatting every cell again.

Existing rows are filled from their own rows, not recounted: the bytes are those the download
sent from them until now, and a closed round is never counted again by the task (its figures
are its kept audience's at the close), so it must not be left without its text. Backwards, the
rows are read back from the text (a neutralised cell stays as it was: `neutralise` leaves its
own output unchanged), so the old code sends the same bytes.
"""

import csv
import io

from django.db import migrations, models

from devplans.exports import BOM, csv_lines

#: The header as it was when this migration was written (`rounds.report.CSV_HEADER`).
HEADER = [
    "Level", "Directorate", "Team", "People",
    "Journal ready", "Journal ready %", "Conversation held", "Conversation held %",
    "Plan agreed", "Plan agreed %", "Reviews due", "Reviews held on time", "Reviews on time %",
    "Journals overdue", "Conversations overdue", "Plans overdue", "Reviews overdue",
]  # fmt: skip


def fill_text(apps, schema_editor):
    Tally = apps.get_model("rounds", "Tally")
    tallies = list(Tally.objects.all())
    for tally in tallies:
        tally.csv_text = "".join(csv_lines(tally.csv_rows, HEADER))
    Tally.objects.bulk_update(tallies, ["csv_text"], batch_size=100)


def fill_rows(apps, schema_editor):
    Tally = apps.get_model("rounds", "Tally")
    tallies = list(Tally.objects.all())
    for tally in tallies:
        rows = list(csv.reader(io.StringIO(tally.csv_text.removeprefix(BOM), newline="")))
        tally.csv_rows = rows[1:]  # without the header
    Tally.objects.bulk_update(tallies, ["csv_rows"], batch_size=100)


class Migration(migrations.Migration):
    dependencies = [
        ("rounds", "0002_closed_round_members"),
    ]

    operations = [
        migrations.AddField(
            model_name="tally",
            name="csv_text",
            field=models.TextField(default=""),
        ),
        migrations.RunPython(fill_text, fill_rows),
        migrations.RemoveField(
            model_name="tally",
            name="csv_rows",
        ),
    ]
