"""Where bulk-export files live (issue 17, item 7): finished parts and ZIPs in the "exports"
storage of `STORAGES`, written and read only through Django's storage API, so every web and
worker host sees the same files; the writers' temporary files on this host's local disk.

The default storage is `PrivateExportStorage`: the folder `exports/` under
`PRIVATE_STORAGE_ROOT` (never under a URL), read each time it is used, files 0600. A deployment
on several hosts sets `EXPORT_STORAGE_BACKEND=s3` (or `azure`) instead (settings/storage.py).
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateExportStorage(FileSystemStorage):
    """`PRIVATE_STORAGE_ROOT/exports`, looked up when used (tests and hosts move it); private
    files and folders; no URL (downloads go through the access-checked view)."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)

    @property
    def base_location(self) -> str:
        return str(Path(settings.PRIVATE_STORAGE_ROOT) / "exports")

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise ValueError("export files have no URL: they are served by the download view")


def export_storage() -> Storage:
    return storages["exports"]


def temp_dir() -> Path:
    """This host's folder for half-written files (never shared, never in the storage)."""
    folder = Path(settings.PRIVATE_STORAGE_ROOT) / "tmp"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def write_to_storage(name: str, fill: Callable[[BinaryIO], None]) -> None:
    """Write `name` by `fill(file)` into a temporary file of this writer alone (0600 from the
    first byte), then store it whole: the storage never holds a half-written export. When
    another writer stored `name` first, theirs is kept."""
    stem = name.removesuffix(".zip")
    partial = temp_dir() / f"{stem}.{secrets.token_hex(8)}.tmp"
    descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as file:
            fill(file)
        os.chmod(partial, 0o600)
        storage = export_storage()
        with partial.open("rb") as file:
            saved = storage.save(name, File(file, name=name))
        if saved != name:  # the storage kept another writer's file under `name`
            storage.delete(saved)
    finally:
        partial.unlink(missing_ok=True)


def opened(names: list[str]) -> Iterator[BinaryIO]:
    """Each stored file of `names` in turn, open for reading (closed when the next is asked)."""
    storage = export_storage()
    for name in names:
        with storage.open(name, "rb") as file:
            yield file


def stored_names() -> list[str]:
    """Every file in the exports storage (few: they are deleted after a day)."""
    try:
        return export_storage().listdir("")[1]
    except FileNotFoundError:  # the default folder before the first export
        return []
