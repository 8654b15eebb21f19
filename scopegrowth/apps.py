from django.apps import AppConfig


class ScopeGrowthConfig(AppConfig):
    name = "scopegrowth"
    verbose_name = "People and organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin

        from scopegrowth import signals  # noqa: F401  (login time for the absolute session cap)
        from scopegrowth.admin import counts_only_deletion_everywhere

        # Every admin module is imported by now (django.contrib.admin's ready runs first).
        counts_only_deletion_everywhere(admin.site)
