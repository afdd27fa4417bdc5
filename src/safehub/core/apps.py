from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "safehub.core"
    label = "core"

    def ready(self) -> None:
        from django.conf import settings
        from django.db.backends.signals import connection_created

        from safehub.core import (
            checks,  # noqa: F401 - registers the deployment checks
            queries,  # noqa: F401 - registers the in_ids lookup
        )

        engines = {database["ENGINE"] for database in settings.DATABASES.values()}
        if "django.db.backends.postgresql" in engines:
            from safehub.core import pgtime
            from safehub.core.prepared import configure

            connection_created.connect(configure, dispatch_uid="safehub-prepared-statements")
            connection_created.connect(pgtime.install, dispatch_uid="safehub-compiled-timestamptz")
