from django.apps import AppConfig


class SubjectAccessConfig(AppConfig):
    name = "safehub.subjectaccess"
    verbose_name = "Subject access requests"
    default_auto_field = "django.db.models.BigAutoField"
