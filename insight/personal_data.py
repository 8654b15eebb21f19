"""What the insight app holds about a person: their own equality declaration, in their download
and removed when the retention rule applies."""

from insight.models import EqualityDeclaration
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

PERSONAL_DATA.register(
    "insight",
    PersonalData(
        exports=(
            Export(
                "your_equality_declaration",
                "insight.equalitydeclaration",
                lambda u: EqualityDeclaration.objects.filter(person=u),
            ),
        ),
        not_exported={},
        holdings=(
            # Special category data: never kept past retention.
            Holding(
                "insight.equalitydeclaration",
                lambda p: EqualityDeclaration.objects.filter(person=p),
                delete_rows=True,
            ),
        ),
        order=50,
    ),
)
