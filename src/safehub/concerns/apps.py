from django.apps import AppConfig


class ConcernsConfig(AppConfig):
    name = "safehub.concerns"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Rules are evaluated as each chronology entry is appended, partner events included.
        # The chronology sits below this app, so it calls us through its listener list.
        from safehub.casework.sections import register_my_work_section, register_team_section
        from safehub.chronology.services import on_append
        from safehub.concerns.selectors import open_alerts_of
        from safehub.concerns.services import evaluate_after_append
        from safehub.concerns.views import my_work_section, team_section

        on_append(evaluate_after_append)
        # A lead professional's open alerts in "my work" (casework sits below this app).
        register_my_work_section(my_work_section, probe=open_alerts_of)
        # Their team's open alerts, counted on a team manager's team page.
        register_team_section(team_section)
