from django.apps import AppConfig


class MultiagencyConfig(AppConfig):
    name = "safehub.multiagency"
    label = "multiagency"
    verbose_name = "Multi-agency chronology"
    default_auto_field = "django.db.models.BigAutoField"
