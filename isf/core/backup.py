"""Consistent backups while the app runs, and restore into an empty database.

SQLite: the online backup API copies a consistent snapshot page by page while others read and
write. PostgreSQL: `pg_dump -Fc` (one snapshot transaction) and `pg_restore`. The file format is
recognised on restore from its header, so a wrong file is refused before anything changes.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.db import connection

SQLITE_MAGIC = b"SQLite format 3\x00"
PGDUMP_MAGIC = b"PGDMP"
DATA_TABLES_FOR_EMPTY_CHECK = ["org_user", "customers_account"]


class BackupError(Exception):
    pass


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"))
    if not candidates:
        raise BackupError(f"{name} is not installed (Debian package postgresql-client)")
    return str(candidates[-1])


def _pg_args() -> tuple[list[str], dict]:
    s = connection.settings_dict
    args = ["--dbname", s["NAME"]]
    host = s.get("HOST") or (s.get("OPTIONS") or {}).get("host")
    if host:
        args += ["--host", host]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {"PGPASSWORD": s.get("PASSWORD") or ""}
    return args, env


def backup_create(path: Path) -> dict:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        target = sqlite3.connect(str(path))
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    elif connection.vendor == "postgresql":
        args, env = _pg_args()
        result = subprocess.run([_pg_tool("pg_dump"), "-Fc", "--no-owner", "-f", str(path), *args],
                                capture_output=True, text=True, env={**_base_env(), **env}, timeout=6 * 3600)
        if result.returncode != 0:
            raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        raise BackupError(f"backups are not supported for {connection.vendor}")
    return {"file": str(path), "bytes": path.stat().st_size, "vendor": connection.vendor}


def _base_env() -> dict:
    import os

    return dict(os.environ)


def database_has_data() -> bool:
    tables = set(connection.introspection.table_names())
    with connection.cursor() as cursor:
        for table in DATA_TABLES_FOR_EMPTY_CHECK:
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")
                if cursor.fetchone():
                    return True
    return False


def backup_restore(path: Path) -> dict:
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    head = path.read_bytes()[:16] if path.stat().st_size < 64 else path.open("rb").read(16)
    if database_has_data():
        raise BackupError("the database is not empty: restore only into an empty (new or flushed) database")
    if head.startswith(SQLITE_MAGIC):
        if connection.vendor != "sqlite":
            raise BackupError(f"{path} is an SQLite backup, but the database is {connection.vendor}")
        connection.ensure_connection()
        source = sqlite3.connect(str(path))
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    elif head.startswith(PGDUMP_MAGIC):
        if connection.vendor != "postgresql":
            raise BackupError(f"{path} is a PostgreSQL dump, but the database is {connection.vendor}")
        args, env = _pg_args()
        connection.close()
        result = subprocess.run(
            [_pg_tool("pg_restore"), "--clean", "--if-exists", "--no-owner", "--single-transaction", *args,
             str(path)], capture_output=True, text=True, env={**_base_env(), **env}, timeout=6 * 3600,
        )
        if result.returncode != 0:
            raise BackupError(f"pg_restore failed: {result.stderr.strip()[:2000]}")
    else:
        raise BackupError(f"{path} is not an ISF backup (neither an SQLite database nor a pg_dump archive)")
    return {"file": str(path), "vendor": connection.vendor}
