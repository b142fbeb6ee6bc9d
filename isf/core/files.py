"""Files the app keeps (uploads, error reports, job progress) go through Django's storage API, never a host's path.

The storage is ``STORAGES["default"]`` (``default_storage``): a directory by default (``ISF_MEDIA_DIR``, a shared
mount when workers run on other machines) or an S3-compatible store (django-storages, ``ISF_STORAGE=s3``; see
docs/operations-data.md). Files are addressed by their storage name (e.g. ``imports/uploads/3f2a….csv``), which
every host resolves through its own storage settings. Readers that need a file on disk (the CSV and XLSX readers
seek and fork) get one from :func:`local_copy`: the storage's own path when it has one, else a temporary copy.
"""

import os
import shutil
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from django.core.exceptions import SuspiciousFileOperation
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage, Storage, default_storage, storages

COPY_CHUNK = 1 << 20


def _storage() -> Storage:
    return storages["default"]


def file_save(*, name: str, chunks: Iterable[bytes] | None = None, content: bytes | None = None,
              file: File | None = None) -> str:
    """Store a file under ``name`` (replacing one of that name) from ``content``, a Django ``file`` (e.g. an
    upload, streamed in chunks) or ``chunks``; returns the storage name."""
    if default_storage.exists(name):
        default_storage.delete(name)
    if content is not None:
        return default_storage.save(name, ContentFile(content))
    if file is not None:
        return default_storage.save(name, file)
    with tempfile.TemporaryFile() as spool:
        for chunk in chunks or ():
            spool.write(chunk)
        spool.seek(0)
        return default_storage.save(name, File(spool, name=os.path.basename(name)))


def file_save_local(*, name: str, path: str | os.PathLike) -> str:
    """Store the local file ``path`` (e.g. a report just written) under ``name``; the local file is removed."""
    if default_storage.exists(name):
        default_storage.delete(name)
    with open(path, "rb") as f:
        stored = default_storage.save(name, File(f, name=os.path.basename(name)))
    Path(path).unlink(missing_ok=True)
    return stored


def file_exists(name: str) -> bool:
    """Whether the storage holds ``name``; a name outside the storage (e.g. an absolute path) is not held."""
    try:
        return bool(name) and default_storage.exists(name)
    except SuspiciousFileOperation:
        return False


def file_delete(name: str) -> bool:
    """Delete a stored file; True when there was one."""
    if not file_exists(name):
        return False
    default_storage.delete(name)
    return True


def file_read_text(name: str, encoding: str = "utf-8") -> str:
    with default_storage.open(name, "rb") as f:
        return f.read().decode(encoding)


@contextmanager
def local_copy(name: str) -> Iterator[str]:
    """A path on this host holding the stored file ``name`` for the block: the storage's own path when it keeps
    files in a directory (no copy), else a temporary copy that is removed afterwards. A file the storage does
    not hold raises ``FileNotFoundError``."""
    if not file_exists(name):
        raise FileNotFoundError(f"{name}: the stored file is gone (removed by the nightly housekeeping?)")
    storage = _storage()
    if isinstance(storage, FileSystemStorage):  # (InMemoryStorage has a path() too, but no file behind it)
        yield storage.path(name)
        return
    suffix = Path(name).suffix
    fd, tmp = tempfile.mkstemp(prefix="isf-", suffix=suffix)
    try:
        with os.fdopen(fd, "wb") as out, default_storage.open(name, "rb") as source:
            shutil.copyfileobj(source, out, COPY_CHUNK)
        yield tmp
    finally:
        Path(tmp).unlink(missing_ok=True)


def stored_files(folder: str) -> list[str]:
    """Storage names of the files directly in ``folder`` (none when it does not exist)."""
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [f"{folder.rstrip('/')}/{f}" for f in files]
