"""The replica router's rules, and the replica's settings, without a replica: writes and
migrations only ever go to the primary, reads go to the replica only inside a report's
block, and with no DATABASE_REPLICA_URL nothing is routed or asked. The real replica is in
tests/replica/."""

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from safehub.audit.models import AuditEvent
from safehub.config.databases import replica_database
from safehub.core import replica
from safehub.core.replica import REPLICA, ReplicaRouter, report_reads
from safehub.people.models import Person

ROOT = Path(__file__).resolve().parents[4]
POSTGRES = {
    "ENGINE": "django.db.backends.postgresql",
    "NAME": "safehub",
    "HOST": "db1.council.example",
    "PORT": 5432,
    "CONN_MAX_AGE": 60,
    "OPTIONS": {"options": "-c jit=off"},
}


def test_without_a_replica_url_there_is_one_database_and_no_router() -> None:
    assert list(settings.DATABASES) == ["default"]
    assert settings.DATABASE_ROUTERS == []


@pytest.mark.django_db
def test_without_a_replica_a_report_block_reads_the_primary_and_asks_nothing(
    django_assert_num_queries: Any,
) -> None:
    with django_assert_num_queries(0), report_reads() as alias:
        assert alias == "default"


def test_writes_and_migrations_go_only_to_the_primary() -> None:
    router = ReplicaRouter()
    read_on_replica = Person(pk=1)
    read_on_replica._state.db = REPLICA
    assert router.db_for_write(Person, instance=read_on_replica) == "default"
    assert router.db_for_write(AuditEvent) == "default"
    assert router.allow_migrate("default", "people") is True
    assert router.allow_migrate(REPLICA, "people") is False
    assert router.allow_migrate(REPLICA, "audit") is False


def test_reads_go_to_the_replica_only_inside_a_report_block(monkeypatch: Any) -> None:
    router = ReplicaRouter()
    read_on_replica = Person(pk=1)
    read_on_replica._state.db = REPLICA
    # Outside a report, even an object read from the replica has its relations read from
    # the primary.
    assert router.db_for_read(Person, instance=read_on_replica) == "default"
    monkeypatch.setattr(replica, "_choose", lambda: REPLICA)
    with report_reads() as alias:
        assert alias == REPLICA
        assert router.db_for_read(Person) == REPLICA
        with report_reads() as inner:  # a report inside another keeps the outer's choice
            assert inner == REPLICA
        assert router.db_for_write(Person) == "default"
    assert router.db_for_read(Person) == "default"


def test_objects_from_either_database_may_be_related() -> None:
    one, other = Person(pk=1), Person(pk=2)
    one._state.db, other._state.db = "default", REPLICA
    assert ReplicaRouter().allow_relation(one, other) is True


def test_the_replica_is_read_only_from_its_own_side_and_outside_requests() -> None:
    config = {**POSTGRES, "HOST": "db2.council.example"}
    made = replica_database(config, {"default": POSTGRES})
    assert made["HOST"] == "db2.council.example"
    assert "-c default_transaction_read_only=on" in made["OPTIONS"]["options"]
    assert "-c jit=off" in made["OPTIONS"]["options"]
    assert made["OPTIONS"]["connect_timeout"] == 3
    assert made["ATOMIC_REQUESTS"] is False
    assert made["TEST"] == {"MIRROR": "default"}


def test_a_replica_needs_postgresql_on_both_sides() -> None:
    sqlite = {"ENGINE": "django.db.backends.sqlite3", "NAME": "var/safehub.sqlite3"}
    with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL"):
        replica_database(POSTGRES, {"default": sqlite})
    with pytest.raises(ImproperlyConfigured, match="needs PostgreSQL"):
        replica_database(sqlite, {"default": POSTGRES})


def _settings_with(**env: str) -> subprocess.CompletedProcess[str]:
    """Django's settings loaded afresh in a process of their own with `env`: what the
    replica setting makes of the databases and routers."""
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(sorted(s.DATABASES), s.DATABASE_ROUTERS, "
        "s.DATABASES.get('replica', {}).get('HOST'))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "safehub.config.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_the_replica_setting_adds_the_alias_and_the_router() -> None:
    made = _settings_with(
        DATABASE_URL="postgres://app@db1.council.example/safehub",
        DATABASE_REPLICA_URL="postgres://app@db2.council.example/safehub",
    )
    assert made.returncode == 0, made.stderr
    assert made.stdout.split("\n")[0] == (
        "['default', 'replica'] ['safehub.core.replica.ReplicaRouter'] db2.council.example"
    )


def test_the_replica_setting_is_refused_beside_the_embedded_database() -> None:
    made = _settings_with(
        DATABASE_URL="sqlite:///var/replica-refused.sqlite3",
        DATABASE_REPLICA_URL="postgres://app@db2.council.example/safehub",
    )
    assert made.returncode != 0
    assert "DATABASE_REPLICA_URL needs PostgreSQL" in made.stderr
