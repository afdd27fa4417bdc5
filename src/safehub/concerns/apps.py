from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "safehub.concerns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Rules are evaluated as each chronology entry is appended, partner events included.
        # The chronology sits below this app, so it calls us through its listener list.
        from safehub.chronology.services import on_append
        from safehub.concerns.services import evaluate_after_append

        on_append(evaluate_after_append)
