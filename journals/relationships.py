"""What the journals app does when someone stops supporting a person (the core's
`RELATIONSHIP_CHANGED`, run inside the change's transaction): what the person shared with
them by name is no longer shared. A new supporter gets nothing: the person shares with them."""

from scopegrowth.registry import RELATIONSHIP_CHANGED, RelationshipChange


def end_shares_of_former_supporter(change: RelationshipChange) -> None:
    if change.old is None:
        return
    from journals.services import shares_end_for_former_supporter

    shares_end_for_former_supporter(actor=change.actor, person=change.person, supporter=change.old)


RELATIONSHIP_CHANGED.register(
    "journals.end_shares_of_former_supporter", end_shares_of_former_supporter
)
