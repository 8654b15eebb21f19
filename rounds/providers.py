"""What the rounds app provides to a lower floor: the manager's dashboard asks for
"dashboard.panels" (each open round with the figures of the manager's own reports)."""

from rounds.selectors import manager_rounds
from scopegrowth.registry import PROVIDERS

PROVIDERS.register("dashboard.panels", manager_rounds)
