"""A scratch PostgreSQL primary and a real streaming replica of it, on this machine: both
initdb'd under a temporary directory and run by pg_ctl on ports of their own (as
bench/load/faults.py runs its own server), so stopping or pausing them disturbs nobody.

The primary is given the suite's migrated test database by pg_dump (migrating afresh takes
half a minute); the replica is then made from it by pg_basebackup -R and streams from it."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg

TOOLS = ("initdb", "pg_ctl", "pg_basebackup", "pg_dump", "psql")
DATABASE = "safehub"


def server_binaries() -> Path | None:
    """The newest PostgreSQL server binaries installed (Debian's layout), if any."""
    for directory in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if all((directory / tool).exists() for tool in TOOLS):
            return directory
    return None


def _as_postgres(*argv: str) -> list[str]:
    """initdb and the server refuse to run as root; as root they run as `postgres`."""
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else list(argv)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Pair:
    bin: Path
    root: Path
    primary_port: int = 0
    replica_port: int = 0

    def url(self, port: int, database: str = DATABASE) -> str:
        return f"postgres://postgres@127.0.0.1:{port}/{database}"

    def _run(self, *argv: str) -> None:
        subprocess.run(_as_postgres(*argv), check=True, capture_output=True, timeout=120)

    def _pg_ctl(self, name: str, port: int, action: str) -> None:
        data = self.root / name
        options = (
            f"-p {port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c max_connections=30 -c shared_buffers=16MB"
        )
        argv = [str(self.bin / "pg_ctl"), "-D", str(data), "-w", "-l", f"{data}.log"]
        self._run(*argv, "-o", options, "-m", "fast", action)

    def start(self, source_url: str) -> None:
        """Start the primary with a copy of `source_url`'s database, then its replica."""
        self.root.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres", "postgres")
        self.primary_port, self.replica_port = _free_port(), _free_port()
        self._run(str(self.bin / "initdb"), "-D", str(self.root / "primary"), "-A", "trust",
                  "-U", "postgres", "--no-sync")  # fmt: skip
        self._pg_ctl("primary", self.primary_port, "start")
        with psycopg.connect(self.url(self.primary_port, "postgres"), autocommit=True) as db:
            db.execute(f"CREATE DATABASE {DATABASE}")
        dump = subprocess.run(
            [str(self.bin / "pg_dump"), "--no-owner", "--no-privileges", "-d", source_url],
            check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        subprocess.run(
            [str(self.bin / "psql"), "-q", "-v", "ON_ERROR_STOP=1", "-d",
             self.url(self.primary_port)],
            input=dump.stdout, check=True, capture_output=True, timeout=120,
        )  # fmt: skip
        self._run(str(self.bin / "pg_basebackup"), "-D", str(self.root / "replica"),
                  "-h", "127.0.0.1", "-p", str(self.primary_port), "-U", "postgres",
                  "-R", "-X", "stream", "--checkpoint=fast", "--no-sync")  # fmt: skip
        self.start_replica()

    def start_replica(self) -> None:
        self._pg_ctl("replica", self.replica_port, "start")
        self.wait_until_streaming()

    def stop_replica(self) -> None:
        self._pg_ctl("replica", self.replica_port, "stop")

    def wait_until_streaming(self, seconds: float = 30) -> None:
        deadline = time.monotonic() + seconds
        with psycopg.connect(self.url(self.primary_port), autocommit=True) as db:
            while time.monotonic() < deadline:
                row = db.execute(
                    "SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'"
                ).fetchone()
                if row and row[0]:
                    return
                time.sleep(0.1)
        raise TimeoutError("The replica did not start streaming from the primary")

    def stop(self) -> None:
        for name, port in (("replica", self.replica_port), ("primary", self.primary_port)):
            if (self.root / name / "postmaster.pid").exists():
                self._pg_ctl(name, port, "stop")
        shutil.rmtree(self.root, ignore_errors=True)
