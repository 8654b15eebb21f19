from django.apps import AppConfig


class ScopeGrowthConfig(AppConfig):
    name = "scopegrowth"
    verbose_name = "People and organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from scopegrowth import dbfaults, signals  # noqa: F401  (signals: the absolute session cap)

        dbfaults.install()  # a read on a dropped database connection is run again once
