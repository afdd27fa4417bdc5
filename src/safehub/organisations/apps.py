from django.apps import AppConfig


class OrganisationsConfig(AppConfig):
    name = "safehub.organisations"
    label = "organisations"
