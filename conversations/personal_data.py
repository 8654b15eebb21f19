"""What the conversations app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from conversations.models import Conversation, Preparation, StageNote, StageRecord
from scopegrowth import access
from scopegrowth.registry import PERSONAL_DATA, Export, PersonalData


def conversations_of(user):
    """The user's own conversations, and those they facilitate only while `access` still lets
    them see them (a former line manager or coach gets none)."""
    facilitated = access.scope(user, "view", Conversation.objects.filter(facilitator=user))
    return Conversation.objects.filter(Q(individual=user) | Q(pk__in=facilitated.values("pk")))


def _preparing(user):
    return access.scope(user, "prepare", Conversation).values("pk")


def own_preparations(user):
    """The preparation the user wrote, for conversations they may still prepare for."""
    return Preparation.objects.filter(author=user, conversation__in=_preparing(user))


def own_stage_notes(user):
    """The stage notes the user wrote, for conversations they may still prepare for."""
    return StageNote.objects.filter(author=user, conversation__in=_preparing(user))


def anonymise(person) -> None:
    Preparation.objects.filter(conversation__individual=person).delete()
    StageNote.objects.filter(conversation__individual=person).delete()
    StageRecord.objects.filter(conversation__individual=person).update(agreed_summary="")
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
            ),
            Export("your_preparations", "conversations.preparation", own_preparations),
            Export("your_stage_notes", "conversations.stagenote", own_stage_notes),
        ),
        not_exported={
            "conversations.preparation": (
                "the private preparation and notes other people wrote (your facilitator's "
                "about you, or your own once you no longer support that person): ask your "
                "organisation's information governance team through a subject access request"
            ),
        },
        anonymise=anonymise,
        order=20,
    ),
)
