from django.apps import AppConfig


class UiConfig(AppConfig):
    name = "safehub.ui"
    label = "ui"
