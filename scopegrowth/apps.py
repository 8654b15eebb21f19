from django.apps import AppConfig


class ScopeGrowthConfig(AppConfig):
    name = "scopegrowth"
    verbose_name = "People and organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # signals: login time for the absolute session cap
        from scopegrowth import registry, signals  # noqa: F401

        registry.autodiscover()  # every app's policies.py, providers.py, ... (see registry.py)
