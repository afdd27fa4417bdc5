from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "safehub.audit"
    label = "audit"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from safehub.audit.db_guard import install_sqlite_function

        connection_created.connect(install_sqlite_function, dispatch_uid="safehub-audit-sqlite")
