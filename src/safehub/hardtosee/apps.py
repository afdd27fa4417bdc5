from django.apps import AppConfig


class HardToSeeConfig(AppConfig):
    name = "safehub.hardtosee"
    label = "hardtosee"
    verbose_name = "Hard-to-see children"
