"""The open rounds a person is in, on their home page: the deadlines and what is overdue."""

from rounds.selectors import my_rounds
from scopegrowth.registry import HOME_CARDS, HomeCard

HOME_CARDS.register("rounds", HomeCard(lambda user, user_roles: {"my_rounds": my_rounds(user)}, 5))
