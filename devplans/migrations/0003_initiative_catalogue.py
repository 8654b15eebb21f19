from django.db import migrations

# The default catalogue of development initiatives (domain.md); HR edits it in the admin.
INITIATIVES = [
    ("Coaching", "One-to-one sessions with a trained coach to work towards your goals."),
    ("Mentoring", "Regular conversations with a more experienced colleague who shares what they know."),
    ("Shadowing", "Spending time alongside someone in another role to see how it works."),
    ("Secondment", "A fixed-term move into another role, team or organisation."),
    ("Stretch assignment", "A piece of work beyond your current role that builds new capability."),
    ("Project work", "Joining or leading a project to gain experience in a new area."),
    ("Formal programme or qualification", "A leadership programme, course or accredited qualification."),
    ("E-learning", "Online learning you can do at your own pace."),
    ("Networks", "Professional, staff or leadership networks inside and outside the organisation."),
    ("Action learning sets", "A small group that meets regularly to work on real problems together."),
    ("Reverse mentoring", "A more junior colleague mentors a senior one, sharing their perspective."),
]


def add_initiatives(apps, schema_editor):
    Initiative = apps.get_model("devplans", "Initiative")
    for order, (name, description) in enumerate(INITIATIVES, start=1):
        Initiative.objects.get_or_create(
            name=name, defaults={"description": description, "order": order}
        )


def remove_initiatives(apps, schema_editor):
    Initiative = apps.get_model("devplans", "Initiative")
    Initiative.objects.filter(name__in=[name for name, _ in INITIATIVES]).delete()


class Migration(migrations.Migration):
    dependencies = [("devplans", "0002_export_claim_and_copies")]
    operations = [migrations.RunPython(add_initiatives, remove_initiatives)]
