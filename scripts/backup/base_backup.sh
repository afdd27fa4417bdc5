#!/bin/sh
# A base backup of the SafeHub cluster with pg_basebackup: tar format, compressed, checked
# with pg_verifybackup, into $BACKUP_ROOT/YYYYMMDDTHHMMSSZ. Run nightly (systemd timer or
# cron) as a role with REPLICATION. WAL between backups comes from the archive
# (postgresql.backup.conf); keep at least the last two base backups and the WAL since the
# older one (pg_archivecleanup with the older backup's .backup file).
#
#   PGHOST=db.internal PGUSER=safehub_backup BACKUP_ROOT=/srv/backups/safehub ./base_backup.sh
set -eu
: "${BACKUP_ROOT:?set BACKUP_ROOT to the directory that holds base backups}"
stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_ROOT/$stamp"
mkdir -p "$target"
pg_basebackup --pgdata="$target" --format=plain --wal-method=stream --checkpoint=fast \
  --label="safehub $stamp" --progress --verbose
pg_verifybackup "$target"
echo "base backup: $target"
