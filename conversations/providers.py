"""What this app provides to a lower layer by name (`scopegrowth.registry.PROVIDERS`), so that
layer never imports it: the journal overview shows the owner's next conversation."""

from __future__ import annotations

from conversations.selectors import next_conversation_for
from scopegrowth.registry import PROVIDERS

PROVIDERS.register("next_conversation_for", next_conversation_for)
