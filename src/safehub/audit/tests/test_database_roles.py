"""The production set-up (deploy/postgres/roles.sql): the application connects as a role that
owns nothing and may read and insert audit rows but not update, delete or empty them, while
it still reads and writes ordinary tables. PostgreSQL only; throwaway roles, removed after."""

import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from psycopg import errors

from safehub.core.checks import audit_role_check

ROLES_SQL = Path(__file__).resolve().parents[4] / "deploy" / "postgres" / "roles.sql"

pytestmark = pytest.mark.postgres_only


def _conninfo(**overrides: Any) -> dict[str, Any]:
    settings = connection.settings_dict
    info = {
        "host": settings["HOST"] or None,
        "port": settings["PORT"] or None,
        "user": settings["USER"] or None,
        "password": settings["PASSWORD"] or None,
        "dbname": settings["NAME"],
    }
    info.update(overrides)
    return {k: v for k, v in info.items() if v is not None}


def _apply_script(cursor: Any, owner: str, app: str) -> None:
    cursor.execute("SELECT set_config('safehub.owner_role', %s, false)", [owner])
    cursor.execute("SELECT set_config('safehub.app_role', %s, false)", [app])
    cursor.execute(ROLES_SQL.read_text())


@pytest.fixture
def roles(django_db_setup: Any, django_db_blocker: Any) -> Iterator[tuple[str, str]]:
    """Throwaway owner and application roles with the script's grants on the test database,
    committed so that a separate connection can log in as the application; dropped after."""
    if connection.vendor != "postgresql":
        pytest.skip("database roles and grants are PostgreSQL's")
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"safehub_test_owner_{suffix}", f"safehub_test_app_{suffix}"
    with django_db_blocker.unblock():
        admin_info = _conninfo()
    with psycopg.connect(**admin_info, autocommit=True) as admin:
        try:
            _apply_script(admin.cursor(), owner, app)
            yield owner, app
        finally:
            cursor = admin.cursor()
            for role in (app, owner):
                if cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone():
                    cursor.execute(f'DROP OWNED BY "{role}"')
                    cursor.execute(f'DROP ROLE "{role}"')


def _refused(conn: psycopg.Connection, sql: str, params: list[Any] | None = None) -> None:
    with pytest.raises(errors.InsufficientPrivilege), conn.transaction():
        conn.execute(sql, params)


INSERT_AUDIT = (
    "INSERT INTO audit_auditevent (at, actor_username, actor_role, action, subject_ids, "
    "object_type, object_id, detail, reason, channel, request_id) "
    "VALUES (now(), 'role-test', '', 'view', '', '', '', '{}', '', 'system', '') RETURNING id"
)


def test_the_application_role_reads_and_inserts_audit_rows_but_cannot_change_them(roles) -> None:
    _owner, app = roles
    # Everything the application does here is rolled back at the end: nothing is left in the
    # test database for other tests to find.
    with psycopg.connect(**_conninfo(user=app, password=None)) as conn:
        assert conn.execute("SELECT current_user").fetchone() == (app,)
        inserted = conn.execute(INSERT_AUDIT).fetchone()
        assert inserted is not None
        (row_id,) = inserted
        found = conn.execute("SELECT actor_username FROM audit_auditevent WHERE id = %s", [row_id])
        assert found.fetchone() == ("role-test",)
        # The sealer runs as the application too: it reads and inserts seals.
        conn.execute(
            "INSERT INTO audit_auditseal (number, first_event_id, last_event_id, row_count, "
            "fields, rows_digest, previous_digest, digest, sealed_at) "
            "VALUES (999999, -2, -1, 1, 'id', 'r', '', 'role-test', now())"
        )
        seals = conn.execute("SELECT count(*) FROM audit_auditseal").fetchone()
        assert seals is not None
        assert seals[0] >= 1

        _refused(conn, "UPDATE audit_auditevent SET reason = 'x' WHERE id = %s", [row_id])
        _refused(conn, "DELETE FROM audit_auditevent WHERE id = %s", [row_id])
        _refused(conn, "TRUNCATE audit_auditevent")
        for sql in (
            "UPDATE audit_auditseal SET row_count = 1",
            "DELETE FROM audit_auditseal",
            "TRUNCATE audit_auditseal",
        ):
            _refused(conn, sql)

        # An ordinary table: read, write, change and delete as usual.
        conn.execute(
            "INSERT INTO django_session (session_key, session_data, expire_date) "
            "VALUES ('role-test-session', 'data', now())"
        )
        conn.execute(
            "UPDATE django_session SET session_data = 'changed' WHERE session_key = %s",
            ["role-test-session"],
        )
        changed = conn.execute(
            "SELECT session_data FROM django_session WHERE session_key = 'role-test-session'"
        )
        assert changed.fetchone() == ("changed",)
        conn.execute("DELETE FROM django_session WHERE session_key = 'role-test-session'")

        # Migrations are the owner's: the application may not record one, nor create tables,
        # nor set a sequence back.
        _refused(
            conn, "INSERT INTO django_migrations (app, name, applied) VALUES ('x', 'y', now())"
        )
        _refused(conn, "CREATE TABLE role_test_scratch (id int)")
        _refused(conn, "SELECT setval(pg_get_serial_sequence('audit_auditevent', 'id'), 1)")
        conn.rollback()
    assert conn.closed


def test_the_script_refuses_an_application_role_that_could_act_as_the_owner(roles) -> None:
    owner, app = roles
    with psycopg.connect(**_conninfo(), autocommit=True) as admin:
        admin.execute(f'GRANT "{owner}" TO "{app}"')
        try:
            with pytest.raises(errors.RaiseException, match="must not be a member of the owner"):
                _apply_script(admin.cursor(), owner, app)
        finally:
            admin.execute(f'REVOKE "{owner}" FROM "{app}"')


@pytest.mark.django_db
def test_check_deploy_refuses_a_role_that_could_change_the_audit_trail() -> None:
    """`check --deploy --database default`: connected as a superuser (as the suite is), the
    check fails; as the script's application role, it passes. The roles are made inside
    this test's transaction and vanish with it."""
    if connection.vendor != "postgresql":
        assert audit_role_check(databases=["default"]) == []
        return
    errors_now = audit_role_check(databases=["default"])
    assert {e.id for e in errors_now} == {"safehub.E003"}
    assert "is a superuser" in errors_now[0].msg
    suffix = uuid.uuid4().hex[:10]
    owner, app = f"safehub_test_owner_{suffix}", f"safehub_test_app_{suffix}"
    with connection.cursor() as cursor:
        _apply_script(cursor, owner, app)
        cursor.execute(f'SET ROLE "{app}"')
        try:
            assert audit_role_check(databases=["default"]) == []
        finally:
            cursor.execute("RESET ROLE")
        cursor.execute(f'GRANT UPDATE ON audit_auditevent TO "{app}"')
        cursor.execute(f'SET ROLE "{app}"')
        try:
            (problem,) = audit_role_check(databases=["default"])
        finally:
            cursor.execute("RESET ROLE")
    assert "may UPDATE, DELETE or TRUNCATE it" in problem.msg
    assert "audit_auditevent" in problem.msg
    assert audit_role_check(databases=None) == []  # plain `check --deploy`: not asked
