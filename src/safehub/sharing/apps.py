from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "safehub.sharing"
    verbose_name = "Information sharing"
    default_auto_field = "django.db.models.BigAutoField"
