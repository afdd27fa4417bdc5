from functools import partial

from django.apps import AppConfig


class PermanenceConfig(AppConfig):
    name = "safehub.permanence"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Casework sits below this app: it offers the hook, this app fills it.
        from safehub.casework.sections import register_child_probe, register_child_section
        from safehub.permanence.selectors import HELD_KINDS, held_probe, held_rows
        from safehub.permanence.views import child_section

        register_child_section(child_section)
        for kind in HELD_KINDS:
            register_child_probe(held_probe(kind), partial(held_rows, kind))
