"""The backup file's manifest (no database needed)."""

from __future__ import annotations

import json

import pytest

from kraftsenter.operations.archive import BackupError, Manifest


def manifest_json(**changes: object) -> bytes:
    data = {
        "format": "kraftsenter-backup",
        "format_version": 1,
        "created_at": "2026-11-30T02:15:00+00:00",
        "kind": "sqlite",
        "server_version": "SQLite 3.40.1",
        "database": "var/kraftsenter.sqlite3",
        "app_version": "0.1.0",
        "migrations": {"core": ["0001_initial"]},
        "counts": {"core.ChangeRecord": 3, "auth.User": 1},
        "unknown_later_field": "ignored",
    }
    data.update(changes)
    return json.dumps(data).encode()


def test_manifest_from_json_reads_what_backup_wrote_and_ignores_unknown_fields():
    manifest = Manifest.from_json(manifest_json())

    assert (manifest.kind_name, manifest.records, manifest.migration_count) == ("SQLite", 4, 1)
    assert Manifest.from_json(manifest.to_json()) == manifest


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"format": "something-else"}, "not_a_backup"),
        ({"kind": "oracle"}, "not_a_backup"),
        ({"counts": None}, "not_a_backup"),
        ({"format_version": 2}, "newer_format"),
    ],
)
def test_manifest_from_json_refuses_what_it_cannot_trust(changes, code):
    with pytest.raises(BackupError) as refused:
        Manifest.from_json(manifest_json(**changes))
    assert refused.value.code == code


def test_manifest_from_json_refuses_text_that_is_not_json():
    with pytest.raises(BackupError) as refused:
        Manifest.from_json(b"\x1f\x8b not json")
    assert refused.value.code == "not_a_backup"
