from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safehub.notifications"
    default_auto_field = "django.db.models.BigAutoField"
