from django.apps import AppConfig


class CarePlanningConfig(AppConfig):
    name = "safehub.careplanning"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The child's casework page shows a care planning section; casework sits below
        # this app, so it offers the hook and this app fills it.
        from safehub.careplanning.views import child_section
        from safehub.casework.sections import register_child_section

        register_child_section(child_section)
