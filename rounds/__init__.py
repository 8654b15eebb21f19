"""Conversation rounds: HR runs the year (issue 19).

A round names what everyone in its audience is asked to do and by when (journal ready by,
conversation held by, plan agreed by). It creates nobody's journal text and adds no column to
journals, conversations or plans: whether a record counts for a round is decided live, by this
rule (`rounds.audience` and `rounds.selectors`):

- **Audience**: the round's organisation's active people who have not left, and, unless the round
  is for the whole organisation, whose *current* team is one of the chosen teams or in one of the
  chosen directorates. Someone who joins an included team later is in it; a leaver (inactive, or
  with a leaving date) is out; a mover follows their current team.
- **Window**: from the moment the round was opened to the moment it was closed (or now while it
  is open). A draft round has no window and counts nothing.
- A journal **belongs** to the round when its owner is in the audience and it was marked ready
  in the window; a conversation, when its individual is in the audience and it was completed in
  the window; a plan, when it was agreed in the window; a review, when it was due in the window
  (held on time: held on or before its due date).

Records outside every round keep working exactly as before: nothing here writes to them.
"""
