"""What the conversations app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from conversations.models import Conversation, Preparation, Reflection, StageNote, StageRecord
from scopegrowth import access
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

PROCESS = "when and how the conversation ran, and the agreed positions (anonymous figures)"

HOLDINGS = (
    Holding(
        "conversations.preparation",
        lambda p: Preparation.objects.filter(conversation__individual=p),
        delete_rows=True,
    ),
    # The facilitator's stop / start / continue on a conversation: words, deleted with it.
    Holding(
        "conversations.reflection",
        lambda p: Reflection.objects.filter(conversation__individual=p),
        delete_rows=True,
    ),
    Holding(
        "conversations.stagenote",
        lambda p: StageNote.objects.filter(conversation__individual=p),
        delete_rows=True,
    ),
    Holding(
        "conversations.stagerecord",
        lambda p: StageRecord.objects.filter(conversation__individual=p),
        remove=frozenset({"agreed_summary"}),
        keep={f: PROCESS for f in ("id", "conversation", "stage", "completed_at", "version")}
        | {"updated_at": PROCESS},
    ),
    Holding(
        "conversations.conversation",
        lambda p: Conversation.objects.filter(individual=p),
        # Where they met (a room or a video-call link) goes with the words.
        remove=frozenset(
            {"location", "agenda", "cancel_reason", "agreed_now_evidence", "agreed_future_why"}
        ),
        keep={
            f: PROCESS
            for f in (
                "id",
                "individual",
                "facilitator",
                "journal",
                "scheduled_at",
                "duration_minutes",
                "status",
                "cancelled_at",
                "completed_at",
                "shared_at_completion",  # section titles and times, no answers
                "ics_uid",
                "ics_sequence",
                "agreed_now_growth",
                "agreed_now_impact",
                "agreed_future_growth",
                "agreed_future_impact",
                "version",
                "created_at",
                "updated_at",
            )
        },
    ),
)


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


def own_reflections(user):
    """The user's own stop / start / continue reflections: theirs to keep, also once they no
    longer support the person (it is about how they ran the conversation)."""
    return Reflection.objects.filter(author=user)


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
            Export("your_reflections", "conversations.reflection", own_reflections),
        ),
        not_exported={
            "conversations.preparation": (
                "the private preparation and notes other people wrote (your facilitator's "
                "about you, or your own once you no longer support that person): ask your "
                "organisation's information governance team through a subject access request"
            ),
            "conversations.reflection": (
                "a facilitator's private stop / start / continue reflection on how they ran "
                "a conversation with you (about their own practice; yours, if you facilitate, "
                "are under your_reflections)"
            ),
        },
        holdings=HOLDINGS,
        order=20,
    ),
)
