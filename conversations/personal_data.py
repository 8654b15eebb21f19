"""What the conversations app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from conversations.models import Conversation, Preparation, StageRecord
from scopegrowth import access
from scopegrowth.registry import PERSONAL_DATA, Export, PersonalData


def conversations_of(user):
    """The user's own conversations, and those they facilitate only while `access` still lets
    them see them (a former line manager or coach gets none)."""
    facilitated = access.scope(user, "view", Conversation.objects.filter(facilitator=user))
    return Conversation.objects.filter(Q(individual=user) | Q(pk__in=facilitated.values("pk")))


def anonymise(person) -> None:
    Preparation.objects.filter(conversation__individual=person).delete()
    StageRecord.objects.filter(conversation__individual=person).update(
        facilitator_notes="", agreed_summary=""
    )
    Conversation.objects.filter(individual=person).update(
        agenda="", agreed_now_evidence="", agreed_future_why="", cancel_reason=""
    )


PERSONAL_DATA.register(
    "conversations",
    PersonalData(
        exports=(
            Export(
                "conversations",
                "conversations.conversation",
                conversations_of,
            ),
            Export(
                "conversation_stages",
                "conversations.stagerecord",
                lambda u: StageRecord.objects.filter(conversation__individual=u),
                frozenset({"facilitator_notes"}),
            ),
        ),
        not_exported={
            "conversations.preparation": (
                "your facilitator's private preparation notes: ask your organisation's "
                "information governance team through a subject access request"
            ),
        },
        anonymise=anonymise,
        order=20,
    ),
)
