from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safehub.returns"
    default_auto_field = "django.db.models.BigAutoField"
