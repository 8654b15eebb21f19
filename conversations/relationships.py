"""What the conversations app does when a line manager changes (the core's
`RELATIONSHIP_CHANGED`, run inside the change's transaction): the person's open conversations
with the old manager pass to the new one. Preparation stays with its author."""

from scopegrowth.registry import RELATIONSHIP_CHANGED, RelationshipChange


def pass_open_conversations(change: RelationshipChange) -> None:
    if change.kind != "manager" or change.old is None or change.new is None:
        return
    from conversations.services import conversations_pass_to_new_manager

    conversations_pass_to_new_manager(
        actor=change.actor, person=change.person, old=change.old, new=change.new
    )


RELATIONSHIP_CHANGED.register("conversations.pass_open_conversations", pass_open_conversations)
