"""Consistent backups while the app runs, and restore into an empty database.

A backup is one tar file, written owner-only (0600: it holds password hashes and personal data): the database
(``database.sqlite3`` or ``database.pgdump``), every file of the file storage under ``media/`` (uploads, error
reports; read through the storage API, so an S3 store is backed up as well) and ``manifest.json``. Restore
puts both back. SQLite: the online backup API copies a consistent snapshot page by page while others read and
write. PostgreSQL: `pg_dump -Fc` (one snapshot transaction) and `pg_restore`. The database's format is
recognised on restore from its header, so a wrong file is refused before anything changes; a bare database file
(a backup of an earlier version) is restored as before, without files.
"""

import io
import json
import os
import posixpath
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from django.core.files.storage import default_storage
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


def _database_dump(path: Path) -> None:
    """The database into the file ``path``."""
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


def _storage_names(folder: str = "") -> list[str]:
    """Every file of the file storage, as storage names, walking its folders."""
    try:
        dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:  # a directory store that was never written to
        return []
    names = [posixpath.join(folder, f) for f in files]
    for d in dirs:
        names += _storage_names(posixpath.join(folder, d))
    return names


def _private_file(path: Path):
    """Open ``path`` for writing, readable by its owner only (also when it existed with other permissions)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)
    return os.fdopen(fd, "wb")


def _owner_only(info: tarfile.TarInfo) -> tarfile.TarInfo:
    info.mode, info.uid, info.gid, info.uname, info.gname = 0o600, 0, 0, "", ""
    return info


def backup_create(path: Path) -> dict:
    """Write the backup tar to ``path`` (owner-only); returns file, bytes, vendor and the number of stored files."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="isf-backup-") as tmp:  # 0700: the dump is never readable by others
        dump = Path(tmp) / ("database.sqlite3" if connection.vendor == "sqlite" else "database.pgdump")
        _database_dump(dump)
        names = _storage_names()
        manifest = {"format": "isf-backup", "version": 1, "vendor": connection.vendor, "database": dump.name,
                    "files": len(names)}
        with _private_file(path) as out, tarfile.open(fileobj=out, mode="w") as tar:
            data = json.dumps(manifest).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mode, info.mtime = len(data), 0o600, int(time.time())
            tar.addfile(info, io.BytesIO(data))
            tar.add(dump, arcname=dump.name, filter=_owner_only)
            for name in names:
                with default_storage.open(name, "rb") as f:
                    info = tarfile.TarInfo(f"media/{name}")
                    info.size, info.mode = default_storage.size(name), 0o600
                    info.mtime = int(default_storage.get_modified_time(name).timestamp())
                    tar.addfile(info, f)
    return {"file": str(path), "bytes": path.stat().st_size, "vendor": connection.vendor, "files": len(names)}


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


def _media_name(member: tarfile.TarInfo) -> str | None:
    """The storage name of a ``media/`` member of a backup, or None for anything else (a hostile name - absolute,
    with ``..`` - or not a regular file is refused)."""
    if not member.name.startswith("media/"):
        return None
    name = member.name[len("media/"):]
    if not member.isfile() or not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
        raise BackupError(f"{member.name}: not a file name a backup holds")
    return name


def backup_restore(path: Path) -> dict:
    """Restore a backup into an empty database and put its files back into the file storage."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: no such file")
    if database_has_data():
        raise BackupError("the database is not empty: restore only into an empty (new or flushed) database")
    if not tarfile.is_tarfile(path):
        _database_restore(path)  # a bare database file: a backup of an earlier version
        return {"file": str(path), "vendor": connection.vendor, "files": 0}
    try:
        with tarfile.open(path) as tar, tempfile.TemporaryDirectory(prefix="isf-restore-") as tmp:
            try:
                manifest = json.load(tar.extractfile("manifest.json"))
            except (KeyError, ValueError, AttributeError) as exc:
                raise BackupError(f"{path} is not an ISF backup (no manifest)") from exc
            if manifest.get("format") != "isf-backup" or manifest.get("database") not in (
                    "database.sqlite3", "database.pgdump"):
                raise BackupError(f"{path} is not an ISF backup (unknown manifest)")
            members = tar.getmembers()
            media = [(m, _media_name(m)) for m in members]
            dump = Path(tmp) / "database"
            source = tar.extractfile(manifest["database"])
            if source is None:
                raise BackupError(f"{path}: the backup holds no database")
            with _private_file(dump) as out:
                shutil.copyfileobj(source, out, 1 << 20)
            _database_restore(dump)
            from isf.core.files import file_save

            restored = 0
            for member, name in media:
                if name is not None:
                    file_save(name=name, chunks=_chunks(tar.extractfile(member)))
                    restored += 1
    except tarfile.TarError as exc:
        raise BackupError(f"{path}: the backup is damaged ({exc})") from exc
    return {"file": str(path), "vendor": connection.vendor, "files": restored}


def _chunks(f) -> Iterator[bytes]:
    while chunk := f.read(1 << 20):
        yield chunk


def _database_restore(path: Path) -> None:
    head = path.read_bytes()[:16] if path.stat().st_size < 64 else path.open("rb").read(16)
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
