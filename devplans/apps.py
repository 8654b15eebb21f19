from django.apps import AppConfig


class DevplansConfig(AppConfig):
    name = "devplans"
    default_auto_field = "django.db.models.BigAutoField"
