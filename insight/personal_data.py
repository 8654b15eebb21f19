"""What the insight app holds about a person: their own equality declaration, in their download
and removed when the retention rule applies."""

from insight.models import EqualityDeclaration
from scopegrowth.registry import PERSONAL_DATA, Export, PersonalData


def anonymise(person) -> None:
    EqualityDeclaration.objects.filter(person=person).delete()


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
        anonymise=anonymise,
        order=50,
    ),
)
