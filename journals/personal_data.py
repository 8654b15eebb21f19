"""What the journals app holds about a person, for "download my data" and retention."""

from journals.models import Answer, Journal, JournalSection, PendingDraft, SectionShare
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

# Health notes: never kept past retention. Drafts first (they name the journal by id only).
HOLDINGS = (
    Holding(
        "journals.pendingdraft",
        lambda p: PendingDraft.objects.filter(
            journal_id__in=Journal.objects.filter(owner=p).values("pk")
        ),
        delete_rows=True,
    ),
    Holding(
        "journals.sectionshare",
        lambda p: SectionShare.objects.filter(journal_section__journal__owner=p),
        delete_rows=True,
    ),
    Holding(
        "journals.answer",
        lambda p: Answer.objects.filter(journal_section__journal__owner=p),
        delete_rows=True,
    ),
    Holding(
        "journals.journalsection",
        lambda p: JournalSection.objects.filter(journal__owner=p),
        delete_rows=True,
    ),
    Holding("journals.journal", lambda p: Journal.objects.filter(owner=p), delete_rows=True),
)


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
            Export(  # with whom each section is shared: reader_id is in the links above
                "journal_section_shares",
                "journals.sectionshare",
                lambda u: SectionShare.objects.filter(journal_section__journal__owner=u),
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
        holdings=HOLDINGS,
        order=10,
    ),
)
