from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "safehub.casework"
    default_auto_field = "django.db.models.BigAutoField"
