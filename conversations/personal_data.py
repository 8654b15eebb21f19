"""What the conversations app holds about a person, for "download my data" and retention."""

from django.db.models import Q

from conversations.models import Conversation, Preparation, StageRecord
from scopegrowth.registry import PERSONAL_DATA, Export, Holding, PersonalData

PROCESS = "when and how the conversation ran, and the agreed positions (anonymous figures)"

HOLDINGS = (
    Holding(
        "conversations.preparation",
        lambda p: Preparation.objects.filter(conversation__individual=p),
        delete_rows=True,
    ),
    Holding(
        "conversations.stagerecord",
        lambda p: StageRecord.objects.filter(conversation__individual=p),
        remove=frozenset({"facilitator_notes", "agreed_summary"}),
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
                "ics_uid",
                "ics_sequence",
                "invite_sent_sequence",
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


PERSONAL_DATA.register(
    "conversations",
    PersonalData(
        exports=(
            Export(
                "conversations",
                "conversations.conversation",
                lambda u: Conversation.objects.filter(Q(individual=u) | Q(facilitator=u)),
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
        holdings=HOLDINGS,
        order=20,
    ),
)
