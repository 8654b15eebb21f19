from django.apps import AppConfig


class JournalsConfig(AppConfig):
    name = "journals"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Signing in or out forgets who was writing on that browser (journals/middleware.py).
        from journals import middleware  # noqa: F401
