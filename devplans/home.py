"""The current plan on the home page."""

from devplans.selectors import current_plan_for
from scopegrowth.registry import HOME_CARDS, HomeCard

HOME_CARDS.register(
    "devplans", HomeCard(lambda user, user_roles: {"current_plan": current_plan_for(user)}, 30)
)
