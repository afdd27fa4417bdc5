"""Migration operations that run on one database only. PostgreSQL-only SQL (extensions,
trigram indexes, triggers) does nothing on SQLite, where the features that need it have a
tested fallback; SQLite-only SQL (SQLite's own triggers) does nothing on PostgreSQL."""

from django.db import migrations


class _VendorOnlySQL(migrations.RunSQL):
    vendor = ""

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == self.vendor:
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class PostgresOnlySQL(_VendorOnlySQL):
    vendor = "postgresql"


class SqliteOnlySQL(_VendorOnlySQL):
    vendor = "sqlite"
