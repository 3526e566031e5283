"""The backup file: a tar archive with ``manifest.json`` and the database, nothing else.

``manifest.json`` comes first, so it can be read without reading the database (also by hand:
``tar -xOf PATH manifest.json``). The database member is a SQLite file
(``database.sqlite3``, the archive gzip-compressed) or a ``pg_dump`` archive in custom format
(``database.pgdump``, already compressed, so the tar is not). Only these two names are ever
read from an archive, and they are copied out by name, never extracted by the paths the
archive claims, so a crafted archive cannot write anywhere else.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import tarfile
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from django.utils.translation import gettext as _

FORMAT = "kraftsenter-backup"
FORMAT_VERSION = 1
MANIFEST_NAME = "manifest.json"

SQLITE = "sqlite"
POSTGRESQL = "postgresql"
#: database kind → (name of the database member, tar compression, file signature)
KINDS: dict[str, tuple[str, str, bytes]] = {
    SQLITE: ("database.sqlite3", "gz", b"SQLite format 3\x00"),
    POSTGRESQL: ("database.pgdump", "", b"PGDMP"),
}
KIND_NAMES = {SQLITE: "SQLite", POSTGRESQL: "PostgreSQL"}


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator.

    ``code`` names the reason for scripts and tests (``not_a_backup``, ``wrong_kind``,
    ``newer_migrations``, ``damaged``, ``cancelled``, ``tools``, ``failed``, ``unsupported``).
    """

    def __init__(self, message: str, *, code: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass
class Manifest:
    """What a backup holds: when, from which database and code, and how many records."""

    created_at: str
    kind: str
    server_version: str
    database: str
    app_version: str
    migrations: dict[str, list[str]]
    counts: dict[str, int]
    member: str = ""
    size: int = 0
    sha256: str = ""
    format: str = FORMAT
    format_version: int = FORMAT_VERSION

    @property
    def kind_name(self) -> str:
        return KIND_NAMES.get(self.kind, self.kind)

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def migration_count(self) -> int:
        return sum(len(names) for names in self.migrations.values())

    def to_json(self) -> bytes:
        return json.dumps(asdict(self), indent=2, ensure_ascii=False, sort_keys=True).encode()

    @classmethod
    def from_json(cls, data: bytes) -> Manifest:
        try:
            raw = json.loads(data)
            if raw.get("format") != FORMAT:
                raise ValueError("format")
            if int(raw.get("format_version", 0)) > FORMAT_VERSION:
                raise BackupError(
                    _(
                        "The backup was written in a newer format (%(version)s) than this "
                        "version of Kraftsenter reads. Update Kraftsenter first."
                    )
                    % {"version": raw.get("format_version")},
                    code="newer_format",
                )
            known = set(cls.__dataclass_fields__)
            manifest = cls(**{k: v for k, v in raw.items() if k in known})
            if manifest.kind not in KINDS or not isinstance(manifest.counts, dict):
                raise ValueError("kind")
        except (ValueError, TypeError, AttributeError) as exc:
            raise BackupError(
                _("The backup's manifest cannot be read: %(error)s") % {"error": exc},
                code="not_a_backup",
            ) from None
        return manifest


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def work_directory(near: Path) -> Path:
    """A private temporary directory beside ``near`` (room for a copy of the database), or
    in the system's temporary directory where that cannot be written."""
    try:
        return Path(tempfile.mkdtemp(prefix=".kraftsenter-backup-", dir=near.parent))
    except OSError:
        return Path(tempfile.mkdtemp(prefix="kraftsenter-backup-"))


def write_archive(path: Path, manifest: Manifest, database_file: Path) -> None:
    """Write the archive next to ``path`` and move it into place only when it is complete."""
    member, compression, _signature = KINDS[manifest.kind]
    manifest.member = member
    manifest.size = database_file.stat().st_size
    manifest.sha256 = sha256_of(database_file)
    data = manifest.to_json()
    partial = path.with_name(f".{path.name}.partial")
    mode = f"w:{compression}" if compression else "w"
    try:
        with tarfile.open(partial, mode) as archive:  # type: ignore[call-overload]
            info = tarfile.TarInfo(MANIFEST_NAME)
            info.size = len(data)
            info.mtime = int(time.time())
            info.mode = 0o600
            archive.addfile(info, io.BytesIO(data))
            archive.add(database_file, arcname=member, recursive=False)
        os.chmod(partial, 0o600)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def not_a_backup(path: Path) -> BackupError:
    return BackupError(
        _("%(path)s is not a Kraftsenter backup (a file written by `kraftsenter backup`).")
        % {"path": path},
        code="not_a_backup",
    )


def read_manifest(path: Path) -> Manifest:
    """The manifest of the backup at ``path``; BackupError when it is not one."""
    if not path.is_file():
        raise BackupError(_("The file %(path)s does not exist.") % {"path": path}, code="missing")
    try:
        with tarfile.open(path, "r:*") as archive:
            first = archive.next()
            if first is None or first.name != MANIFEST_NAME or not first.isfile():
                raise not_a_backup(path)
            handle = archive.extractfile(first)
            if handle is None:
                raise not_a_backup(path)
            return Manifest.from_json(handle.read())
    except (tarfile.TarError, OSError, EOFError):
        raise not_a_backup(path) from None


def extract_database(path: Path, manifest: Manifest, into: Path) -> Path:
    """Copy the database member out to ``into``; check its size, checksum and signature."""
    member, _compression, signature = KINDS[manifest.kind]
    target = into / member
    damaged = BackupError(
        _(
            "The backup %(path)s is damaged: its database does not match the checksum in its "
            "manifest. Nothing was changed."
        )
        % {"path": path},
        code="damaged",
    )
    try:
        with tarfile.open(path, "r:*") as archive:
            info = archive.getmember(member)
            handle = archive.extractfile(info) if info.isfile() else None
            if handle is None:
                raise damaged
            with target.open("wb") as out:
                shutil.copyfileobj(handle, out, 1 << 20)
    except (KeyError, tarfile.TarError, OSError, EOFError):
        raise damaged from None
    if target.stat().st_size != manifest.size or sha256_of(target) != manifest.sha256:
        raise damaged
    with target.open("rb") as handle:
        if handle.read(len(signature)) != signature:
            raise damaged
    return target


def manifest_summary(manifest: Manifest) -> dict[str, Any]:
    """The figures the commands print: records, change records, users, tables."""
    return {
        "records": manifest.records,
        "tables": len(manifest.counts),
        "changes": manifest.counts.get("core.ChangeRecord", 0),
        "users": manifest.counts.get("auth.User", 0),
        "migrations": manifest.migration_count,
        "apps": len(manifest.migrations),
    }
