from django.apps import AppConfig


class ChronologyConfig(AppConfig):
    name = "safehub.chronology"
    label = "chronology"

    def ready(self) -> None:
        from safehub.chronology.registry import autodiscover

        autodiscover()
