from django.db import migrations

DEFAULT_LEVELS = [
    (
        1,
        "Developing in role",
        "Still building the capability and contribution the role asks for; performance is "
        "growing towards what is expected.",
    ),
    (
        2,
        "Established in role",
        "Consistently delivers what the role asks for, in what they do and how they do it, "
        "for their team, organisation and wider stakeholders.",
    ),
    (
        3,
        "Exceeding in role",
        "Contributes well beyond the role: their capability and impact are recognised across "
        "teams and by wider stakeholders.",
    ),
]


def add_levels(apps, schema_editor):
    ImpactLevel = apps.get_model("scopegrowth", "ImpactLevel")
    for order, name, guidance in DEFAULT_LEVELS:
        ImpactLevel.objects.get_or_create(
            organisation=None, name=name, defaults={"order": order, "guidance": guidance}
        )


def remove_levels(apps, schema_editor):
    ImpactLevel = apps.get_model("scopegrowth", "ImpactLevel")
    ImpactLevel.objects.filter(organisation=None, name__in=[n for _, n, _ in DEFAULT_LEVELS]).delete()


class Migration(migrations.Migration):
    dependencies = [("scopegrowth", "0002_framework")]
    operations = [migrations.RunPython(add_levels, remove_levels)]
