from django.apps import AppConfig


class FrontdoorConfig(AppConfig):
    name = "safehub.frontdoor"
    verbose_name = "Front door (MASH)"
    default_auto_field = "django.db.models.BigAutoField"
