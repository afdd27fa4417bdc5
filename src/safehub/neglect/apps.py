from django.apps import AppConfig


class NeglectConfig(AppConfig):
    name = "safehub.neglect"
    default_auto_field = "django.db.models.BigAutoField"
