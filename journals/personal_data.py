"""What the journals app holds about a person, for "download my data" and retention."""

from journals.models import Answer, Journal, JournalSection
from scopegrowth.registry import PERSONAL_DATA, Export, PersonalData


def anonymise(person) -> None:
    Journal.objects.filter(owner=person).delete()  # health notes: never kept past retention


PERSONAL_DATA.register(
    "journals",
    PersonalData(
        exports=(
            Export("journals", "journals.journal", lambda u: Journal.objects.filter(owner=u)),
            Export(
                "journal_sections",
                "journals.journalsection",
                lambda u: JournalSection.objects.filter(journal__owner=u),
            ),
            Export(
                "journal_answers",
                "journals.answer",
                lambda u: Answer.objects.filter(journal_section__journal__owner=u),
            ),
        ),
        not_exported={
            "journals.pendingdraft": "temporary copies of unsaved text, deleted within a day",
        },
        anonymise=anonymise,
        order=10,
    ),
)
