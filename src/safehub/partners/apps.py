from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "safehub.partners"
    verbose_name = "Partner information"
    default_auto_field = "django.db.models.BigAutoField"
