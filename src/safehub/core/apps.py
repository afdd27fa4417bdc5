from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safehub.core"
    label = "core"

    def ready(self) -> None:
        from safehub.core import checks  # noqa: F401 - registers the deployment checks
