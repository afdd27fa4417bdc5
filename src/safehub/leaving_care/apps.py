from django.apps import AppConfig


class LeavingCareConfig(AppConfig):
    name = "safehub.leaving_care"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The child's casework page and "my work" show a care leaver section each; casework
        # sits below this app, so it offers the hooks and this app fills them.
        from safehub.casework.sections import (
            register_child_probe,
            register_child_section,
            register_my_work_section,
        )
        from safehub.leaving_care.models import CareLeaver
        from safehub.leaving_care.selectors import RECORD_PROBE, advised_by
        from safehub.leaving_care.views import child_section, my_work_section

        register_child_section(child_section)
        register_child_probe(RECORD_PROBE, lambda child: CareLeaver.objects.filter(child=child))
        register_my_work_section(my_work_section, probe=advised_by)
