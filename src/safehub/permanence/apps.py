from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "safehub.permanence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Casework sits below this app: it offers the hook, this app fills it.
        from safehub.casework.sections import register_child_section
        from safehub.permanence.views import child_section

        register_child_section(child_section)
