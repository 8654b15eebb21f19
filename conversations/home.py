"""The next conversation on the home page."""

from conversations.selectors import next_conversation_for
from scopegrowth.registry import HOME_CARDS, HomeCard

HOME_CARDS.register(
    "conversations",
    HomeCard(lambda user, user_roles: {"next_conversation": next_conversation_for(user)}, 20),
)
