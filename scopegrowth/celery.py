"""The Celery app. Settings come from Django's (`CELERY_*`).

The beat schedule is the core's `registry.BEAT_SCHEDULE`: each feature app adds its entries in
its `schedule.py` (found at start-up with the other plug-in modules), the core adds the
heartbeat. Run exactly one beat process.
"""

import os

from celery import Celery, signals

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "scopegrowth.settings")

app = Celery("scopegrowth")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def beat_schedule() -> dict:
    """Every registered beat entry (Django must be set up)."""
    from scopegrowth import registry

    registry.autodiscover()
    return dict(registry.BEAT_SCHEDULE.items())


@signals.beat_init.connect
@signals.beat_embedded_init.connect
def _load_beat_schedule(sender, **kwargs) -> None:
    """Django's `ready()` sets the schedule; a beat started before Django was set up gets it
    here."""
    import django

    django.setup()
    sender.app.conf.beat_schedule = beat_schedule()
