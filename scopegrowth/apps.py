from django.apps import AppConfig


class ScopeGrowthConfig(AppConfig):
    name = "scopegrowth"
    verbose_name = "People and organisation"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.contrib import admin

        from scopegrowth import dbfaults, prepared, registry, signals, sso  # noqa: F401
        from scopegrowth.admin import counts_only_deletion_everywhere
        from scopegrowth.celery import app, beat_schedule

        dbfaults.install()  # a read on a dropped database connection is run again once
        prepared.install()  # on PostgreSQL, precompiled reads are prepared per connection
        # Every app's plug-in modules (policies, personal data, reminders, schedule, demo, ...),
        # then the beat schedule they declared (read by `celery beat` and `worker -B`).
        registry.autodiscover()
        app.conf.beat_schedule = beat_schedule()
        # Every admin module is imported by now (django.contrib.admin's ready runs first).
        counts_only_deletion_everywhere(admin.site)
