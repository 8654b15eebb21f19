"""What this app provides to the conversations app by name (`scopegrowth.registry.PROVIDERS`),
so conversations (a lower layer) never imports it:

- "plan_for_conversation": the plan a conversation page links to;
- "conversation_has_plan": stage 3 completes only once the plan is started;
- "plan_start_from_stage_three": stage 3's "Start the development plan" button;
- "dashboard_plan_columns": the plan columns of the facilitator's dashboard, as expressions on
  each person, so the dashboard stays one query for everyone;
- "development_initiatives": the active initiatives with their descriptions, for the core's
  framework page.
"""

from __future__ import annotations

from devplans import selectors, services
from scopegrowth.registry import PROVIDERS

PROVIDERS.register("plan_for_conversation", selectors.plan_for_conversation)
PROVIDERS.register("conversation_has_plan", selectors.conversation_has_plan)
PROVIDERS.register("plan_start_from_stage_three", services.plan_start_from_stage_three)
PROVIDERS.register("dashboard_plan_columns", selectors.dashboard_plan_columns)
PROVIDERS.register("development_initiatives", selectors.active_initiatives)
