"""The journal's card on the home page."""

from journals.selectors import home_journal_card
from scopegrowth.registry import HOME_CARDS, HomeCard

HOME_CARDS.register(
    "journals", HomeCard(lambda user, user_roles: {"journal_card": home_journal_card(user)}, 10)
)
