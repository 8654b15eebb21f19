from django.apps import AppConfig


class ScopeGrowthConfig(AppConfig):
    name = "scopegrowth"
    verbose_name = "People and organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from scopegrowth import registry, signals  # noqa: F401  (signals: login time, sessions)

        # Every app's plug-in modules (policies, personal data, reminders, schedule, demo, ...).
        registry.autodiscover()
