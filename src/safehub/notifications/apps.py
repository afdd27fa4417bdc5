from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "safehub.notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from safehub.notifications.selectors import outbox_readiness
        from safehub.ui.health import register_readiness_check

        register_readiness_check("queue", outbox_readiness)
