from django.apps import AppConfig


class ReturnsConfig(AppConfig):
    name = "safehub.returns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # The census check runs on the insight job queue and shows its issues in "my work";
        # both apps sit below this one, so they offer the hooks and this app fills them.
        from safehub.casework.sections import register_my_work_section
        from safehub.insight.models import JobKind
        from safehub.insight.services import register_runner
        from safehub.returns.selectors import open_tasks_of
        from safehub.returns.services import run_validation_job
        from safehub.returns.views import my_work_section

        register_runner(JobKind.CIN_VALIDATION, run_validation_job)
        register_my_work_section(my_work_section, probe=open_tasks_of)
