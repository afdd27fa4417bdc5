#!/usr/bin/env python3
"""Backup and point-in-time restore drill, on this machine, measured.

1. `initdb` a scratch primary cluster under /tmp on its own port, with WAL archiving as
   `postgresql.backup.conf` sets it (archive into the drill directory), migrate SafeHub into
   it and load the small demo council; seal the audit trail.
2. Take a base backup with pg_basebackup (timed).
3. Keep writing (audit rows, marker rows) across a minute boundary: the chosen minute is the
   restore target. Measure the recovery point: how long the last write before "the
   disaster" waited until its WAL was in the archive with no forced switch (archive_timeout
   bounds it).
4. Stop the primary (it is lost), restore the base backup into a second scratch cluster on
   another port with `restore_command` from the archive and `recovery_target_time` = the
   chosen minute, and time it until it accepts writes (recovery time).
5. Check: row counts of the restored database equal those recorded at the target, nothing
   written after it is there, and `manage.py audit_verify` passes against it.

Results go to bench/results/backup_restore.json. Run as root (the clusters run as the
postgres user) or as postgres:  .venv/bin/python scripts/backup/restore_drill.py
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import pwd
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
RUNUSER = "/usr/sbin/runuser"
BIN = Path(sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1])
COUNTED = [
    "people_person",
    "chronology_chronologyentry",
    "casework_episode",
    "audit_auditevent",
    "audit_auditseal",
    "drill_marker",
]


def as_postgres(args: list[str], **kw) -> subprocess.CompletedProcess:
    """Run a PostgreSQL server program as the postgres user (initdb refuses root)."""
    if os.geteuid() == 0:
        args = [RUNUSER, "-u", "postgres", "--", *args]
    return subprocess.run(args, check=True, capture_output=True, text=True, **kw)


def psql(port: int, sql: str, db: str = "safehub") -> str:
    out = subprocess.run(
        [
            str(BIN / "psql"),
            "-h",
            "127.0.0.1",
            "-p",
            str(port),
            "-U",
            "postgres",
            "-d",
            db,
            "-Atqc",
            sql,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip()


def manage(port: int, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{port}/safehub",
        "DEMO_MODE": "true",
        "AUDIT_SEAL_SETTLE_SECONDS": "0",
        "AUDIT_SEAL_KEY": "restore-drill-key-not-secret-000000000000",
    }
    return subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        check=check,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )


def start(data: Path, port: int, log: Path) -> None:
    as_postgres(
        [
            str(BIN / "pg_ctl"),
            "-D",
            str(data),
            "-l",
            str(log),
            "-o",
            f"-p {port} -k /tmp -c listen_addresses=127.0.0.1",
            "-w",
            "start",
        ]
    )


def stop(data: Path, mode: str = "fast") -> None:
    as_postgres([str(BIN / "pg_ctl"), "-D", str(data), "-m", mode, "-w", "stop"])


def counts(port: int) -> dict[str, int]:
    return {t: int(psql(port, f"select count(*) from {t}")) for t in COUNTED}  # noqa: S608 (our own table names)


def write_markers(port: int, phase: str, n: int) -> None:
    """Committed writes the drill can count: marker rows and audit rows (as the app would)."""
    for i in range(n):  # phase and i are the drill's own constants, never input
        psql(
            port,
            f"insert into drill_marker(phase, n, at) values ('{phase}', {i}, now());"  # noqa: S608
            "insert into audit_auditevent(at, actor_username, actor_role, action, "
            "subject_ids, object_type, object_id, detail, reason, channel, request_id) "
            f"values (now(), 'drill', '', 'view', '', 'drill', '{phase}{i}', '{{}}', '', "
            "'system', '')",
        )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--port", type=int, default=55433, help="the scratch primary's port")
    parser.add_argument("--restore-port", type=int, default=55434)
    parser.add_argument("--scale", default="small", help="seed_demo scale to load")
    parser.add_argument("--keep", action="store_true", help="leave the scratch clusters")
    parser.add_argument("--out", default=str(ROOT / "bench" / "results" / "backup_restore.json"))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="safehub-drill-", dir="/tmp"))
    pg = pwd.getpwnam("postgres")
    os.chown(work, pg.pw_uid, pg.pw_gid)
    primary, archive, base, restored = (
        work / d for d in ("primary", "archive", "base", "restored")
    )
    archive.mkdir()
    os.chown(archive, pg.pw_uid, pg.pw_gid)
    result: dict = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "scale": args.scale,
        "postgres": str(BIN),
    }
    try:
        as_postgres([str(BIN / "initdb"), "-D", str(primary), "-U", "postgres", "-A", "trust"])
        conf = (
            Path(__file__)
            .with_name("postgresql.backup.conf")
            .read_text()
            .replace("/var/lib/safehub/wal-archive", str(archive))
        )
        (primary / "postgresql.auto.conf").write_text(conf)
        start(primary, args.port, work / "primary.log")
        psql(args.port, "create database safehub", db="postgres")
        t = time.monotonic()
        manage(args.port, "migrate", "--no-input")
        manage(args.port, "seed_demo", "--scale", args.scale, "--as-of", "2026-12-01")
        result["load_seconds"] = round(time.monotonic() - t, 1)
        psql(args.port, "create table drill_marker(phase text, n int, at timestamptz)")
        # Audit rows to seal (the demo loader writes none), then sealed: the restored
        # copy's seals must all verify.
        write_markers(args.port, "before_backup", 20)
        manage(args.port, "audit_seal")

        t = time.monotonic()
        as_postgres(
            [
                str(BIN / "pg_basebackup"),
                "-h",
                "127.0.0.1",
                "-p",
                str(args.port),
                "-U",
                "postgres",
                "-D",
                str(base),
                "--wal-method=stream",
                "--checkpoint=fast",
            ]
        )
        result["base_backup_seconds"] = round(time.monotonic() - t, 2)
        as_postgres([str(BIN / "pg_verifybackup"), str(base)])
        result["base_backup_bytes"] = sum(f.stat().st_size for f in base.rglob("*") if f.is_file())

        # Writes before the chosen minute, then the minute boundary, then writes after it.
        write_markers(args.port, "before_target", 50)
        now = datetime.fromisoformat(
            psql(
                args.port,
                "select to_char(now() at time zone 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US')",
            )
        )
        target = (now + timedelta(minutes=1)).replace(second=0, microsecond=0)
        time.sleep(max(0.0, (target - now).total_seconds()) + 1.0)
        at_target = counts(args.port)
        write_markers(args.port, "after_target", 30)
        result["target_time_utc"] = target.isoformat() + "Z"
        result["counts_at_target"] = at_target

        # Recovery point: how long the last committed write waited to reach the archive.
        lsn = psql(args.port, "select pg_current_wal_lsn()")
        segment = psql(args.port, f"select pg_walfile_name('{lsn}')")
        t = time.monotonic()
        while not (archive / segment).exists():
            if time.monotonic() - t > 180:
                raise RuntimeError(f"segment {segment} was not archived in 180 s")
            time.sleep(0.5)
        result["recovery_point_seconds"] = round(time.monotonic() - t, 1)
        result["archive_timeout_seconds"] = 60

        stop(primary, "immediate")  # the primary is lost
        t = time.monotonic()
        shutil.copytree(base, restored, symlinks=True)
        shutil.chown(restored, "postgres", "postgres")
        for path in restored.rglob("*"):
            shutil.chown(path, "postgres", "postgres")
        (restored / "postgresql.auto.conf").write_text(
            f"restore_command = 'cp {archive}/%f %p'\n"
            f"recovery_target_time = '{target.isoformat()}+00'\n"
            "recovery_target_action = 'promote'\n"
            "archive_mode = off\n"
        )
        (restored / "recovery.signal").touch()
        shutil.chown(restored / "recovery.signal", "postgres", "postgres")
        start(restored, args.restore_port, work / "restored.log")
        while psql(args.restore_port, "select pg_is_in_recovery()") == "t":
            time.sleep(0.2)
        result["recovery_time_seconds"] = round(time.monotonic() - t, 2)

        restored_counts = counts(args.restore_port)
        phases = psql(
            args.restore_port,
            "select string_agg(distinct phase, ',' order by phase) from drill_marker",
        )
        verify = manage(args.restore_port, "audit_verify", check=False)
        result["counts_restored"] = restored_counts
        result["checks"] = {
            "counts_match_target": restored_counts == at_target,
            "nothing_after_target": "after_target" not in phases,
            "writes_before_target_kept": "before_target" in phases,
            "audit_seals_restored": restored_counts["audit_auditseal"] > 0,
            "audit_verify_passed": verify.returncode == 0,
        }
        result["audit_verify_output"] = (verify.stdout + verify.stderr).strip()
        result["ok"] = all(result["checks"].values())
        stop(restored)
    finally:
        for data in (primary, restored):
            if (data / "postmaster.pid").exists():
                subprocess.run(
                    [
                        RUNUSER,
                        "-u",
                        "postgres",
                        "--",
                        str(BIN / "pg_ctl"),
                        "-D",
                        str(data),
                        "-m",
                        "immediate",
                        "stop",
                    ],
                    capture_output=True,
                )
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if result.get("ok") else 1


if __name__ == "__main__":
    sys.exit(main())
