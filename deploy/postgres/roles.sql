-- SafeHub's PostgreSQL roles (docs/how-to/production-database.md, ADR 0011).
--
--   owner  (default safehub_owner) owns the schema and every table; `manage.py migrate`
--          runs as this role and nothing else does.
--   app    (default safehub_app) is what the application connects as. It owns nothing,
--          may read and write the tables it needs, may only read and insert into the
--          audit tables (no UPDATE, DELETE or TRUNCATE), may only read django_migrations,
--          and may create nothing.
--
-- Run as a superuser (or a role with CREATEROLE that is a member of the owner role),
-- connected to SafeHub's database, once at set-up and again after every `migrate`
-- (a new table gets no grants until then; the application is refused it, never given more):
--
--   psql "$ADMIN_DATABASE_URL" -v ON_ERROR_STOP=1 -f deploy/postgres/roles.sql
--
-- Other role names: PGOPTIONS='-c safehub.owner_role=NAME -c safehub.app_role=NAME' psql …
-- Passwords are not set here: `\password safehub_app` in psql, or your platform's
-- authentication. The script is idempotent.

DO $roles$
DECLARE
    owner_role text := coalesce(nullif(current_setting('safehub.owner_role', true), ''), 'safehub_owner');
    app_role text := coalesce(nullif(current_setting('safehub.app_role', true), ''), 'safehub_app');
    -- Append-only: read and insert only.
    audit_tables text[] := ARRAY['audit_auditevent', 'audit_auditseal'];
    -- Written by migrations only.
    read_only_tables text[] := ARRAY['django_migrations'];
    t text;
BEGIN
    IF owner_role = app_role THEN
        RAISE EXCEPTION 'the owner and the application must be different roles';
    END IF;

    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = owner_role) THEN
        EXECUTE format('CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE', owner_role);
    END IF;
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = app_role) THEN
        EXECUTE format(
            'CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOINHERIT',
            app_role
        );
    END IF;

    -- The application's role must not be able to act as the owner, or as anyone.
    IF EXISTS (
        SELECT FROM pg_roles
        WHERE rolname = app_role AND (rolsuper OR rolcreaterole OR rolbypassrls OR rolcreatedb)
    ) THEN
        RAISE EXCEPTION 'role % must not be a superuser or create roles or databases', app_role;
    END IF;
    IF pg_has_role(app_role, owner_role, 'MEMBER') THEN
        RAISE EXCEPTION 'role % must not be a member of the owner role %', app_role, owner_role;
    END IF;
    IF EXISTS (
        SELECT FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND pg_get_userbyid(c.relowner) = app_role
    ) THEN
        RAISE EXCEPTION 'role % owns objects in schema public; reassign them to %: '
            'REASSIGN OWNED BY % TO %', app_role, owner_role, app_role, owner_role;
    END IF;

    -- The owner creates and alters the schema (migrations).
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), owner_role);
    EXECUTE format('GRANT USAGE, CREATE ON SCHEMA public TO %I', owner_role);

    -- The application uses what is there.
    EXECUTE format('GRANT CONNECT ON DATABASE %I TO %I', current_database(), app_role);
    EXECUTE format('REVOKE CREATE ON SCHEMA public FROM %I', app_role);
    EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', app_role);
    EXECUTE format('REVOKE ALL ON ALL TABLES IN SCHEMA public FROM %I', app_role);
    EXECUTE format(
        'GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO %I', app_role
    );
    FOREACH t IN ARRAY audit_tables LOOP
        IF to_regclass(format('public.%I', t)) IS NOT NULL THEN
            EXECUTE format('REVOKE UPDATE, DELETE, TRUNCATE ON public.%I FROM %I', t, app_role);
        END IF;
    END LOOP;
    FOREACH t IN ARRAY read_only_tables LOOP
        IF to_regclass(format('public.%I', t)) IS NOT NULL THEN
            EXECUTE format('REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON public.%I FROM %I', t, app_role);
        END IF;
    END LOOP;
    -- Ids for new rows (nextval), but not setting a sequence back (setval needs UPDATE).
    EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM %I', app_role);
    EXECUTE format('GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO %I', app_role);
END
$roles$;
