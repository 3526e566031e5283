"""kraftsenter backup / restore, on whichever database the suite runs on.

`make test` runs these on SQLite (the online backup API), `make test-pg` on PostgreSQL
(pg_dump / pg_restore into the test database). The round trip compares full dumps of every
table, so every record and every change record must come back as it was.
"""

from __future__ import annotations

import builtins
import io
import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create, organisation_update
from kraftsenter.core.models import ChangeRecord
from kraftsenter.demo.loader import load_demo_content
from kraftsenter.operations.archive import MANIFEST_NAME
from kraftsenter.operations.backup import backup_create, backup_restore

pytestmark = pytest.mark.django_db(transaction=True)


def table_dump() -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """Every row of every table in the database: {table: (columns, sorted rows)}."""
    quote = connection.ops.quote_name
    dump = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            cursor.execute(f"SELECT * FROM {quote(table)}")  # noqa: S608
            columns = [column[0] for column in cursor.description]
            dump[table] = (columns, sorted(cursor.fetchall(), key=repr))
    return dump


def differing_tables(before: dict, after: dict) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


def run(*args: str, answer: str | None = None, monkeypatch: Any = None) -> str:
    out = io.StringIO()
    if answer is not None:
        monkeypatch.setattr(builtins, "input", lambda prompt="": answer)
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def refusal(*args: str) -> str:
    """Run a command that must refuse; return the code of its reason."""
    with pytest.raises(CommandError) as refused:
        run(*args)
    return refused.value.__cause__.code  # type: ignore[union-attr]


def rewrite(path: Path, *, manifest: Any = None, database: Any = None) -> None:
    """Rewrite a backup's members in place (to make damaged or foreign backups)."""
    with tarfile.open(path, "r:*") as archive:
        members = [(m, archive.extractfile(m).read()) for m in archive.getmembers()]  # type: ignore[union-attr]
    with tarfile.open(path, "w") as archive:
        for member, data in members:
            if member.name == MANIFEST_NAME and manifest is not None:
                data = json.dumps(manifest(json.loads(data))).encode()
            elif member.name != MANIFEST_NAME and database is not None:
                data = database(data)
            member.size = len(data)
            archive.addfile(member, io.BytesIO(data))


@pytest.fixture
def places(builtin_places):
    return builtin_places


def test_backup_restore_round_trip_brings_back_every_row_and_its_history(places, tmp_path):
    load_demo_content(say=lambda message: None)
    hamar = Organisation.objects.get(name="Hamar kommune")
    organisation_update(
        actor="test",
        organisation=hamar,
        expected_version=hamar.version,
        website="https://www.hamar.kommune.no",
    )
    registers = ChangeRecord.objects.values("content_type").distinct().count()
    assert ChangeRecord.objects.count() > 100 and registers >= 8
    before = table_dump()
    path = tmp_path / "kraftsenter.tar"

    output = run("backup", str(path))

    assert str(path) in output and path.is_file()
    # Change, delete and add at the database level, and through a service.
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote('core_changerecord')} WHERE id IN "  # noqa: S608
            f"(SELECT id FROM {quote('core_changerecord')} ORDER BY id DESC LIMIT 25)"
        )
        cursor.execute(f"UPDATE {quote('actors_organisation')} SET name = name || ' (endret)'")  # noqa: S608
        cursor.execute(f"DELETE FROM {quote('agreements_reportentry')}")  # noqa: S608
        cursor.execute(f"DELETE FROM {quote('agreements_followupreport')}")  # noqa: S608
    organisation_create(
        actor="test", name="Etter sikkerhetskopien", kind=OrganisationKind.ASSOCIATION
    )
    changed = differing_tables(before, table_dump())
    assert {"core_changerecord", "actors_organisation", "agreements_followupreport"} <= set(changed)

    run("restore", str(path), "--yes")

    assert differing_tables(before, table_dump()) == []
    # The database goes on: the next record and its history get fresh ids.
    created = organisation_create(
        actor="test", name="Etter gjenopprettingen", kind=OrganisationKind.ASSOCIATION
    )
    assert ChangeRecord.objects.filter(object_id=str(created.pk)).count() == 1


def test_backup_manifest_counts_what_the_database_holds(small_places, tmp_path):
    organisation_create(actor="test", name="Telt", kind=OrganisationKind.ASSOCIATION)
    path = tmp_path / "b.tar"

    manifest = backup_create(path)

    assert manifest.kind == ("sqlite" if connection.vendor == "sqlite" else "postgresql")
    assert manifest.counts["actors.Organisation"] == Organisation.objects.count() == 1
    assert manifest.counts["core.ChangeRecord"] == ChangeRecord.objects.count() == 1
    assert manifest.counts["places.Municipality"] == 4
    assert "0001_initial" in manifest.migrations["core"]
    with tarfile.open(path) as archive:
        assert archive.getnames() == [MANIFEST_NAME, manifest.member]
        stored = json.loads(archive.extractfile(MANIFEST_NAME).read())  # type: ignore[union-attr]
    assert stored["counts"] == manifest.counts and stored["sha256"] == manifest.sha256


def test_restore_of_a_file_that_is_not_a_backup_refuses_and_changes_nothing(small_places, tmp_path):
    before = table_dump()
    text = tmp_path / "notes.txt"
    text.write_text("not a backup")
    bare = tmp_path / "bare.tar"
    with tarfile.open(bare, "w") as archive:
        archive.add(text, arcname="database.sqlite3")

    assert refusal("restore", str(text), "--yes") == "not_a_backup"
    assert refusal("restore", str(bare), "--yes") == "not_a_backup"
    assert refusal("restore", str(tmp_path / "missing.tar"), "--yes") == "missing"
    assert differing_tables(before, table_dump()) == []


def test_restore_of_a_backup_of_the_other_database_kind_refuses(small_places, tmp_path):
    path = tmp_path / "b.tar"
    backup_create(path)
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    rewrite(path, manifest=lambda m: {**m, "kind": other})
    before = table_dump()

    assert refusal("restore", str(path), "--yes") == "wrong_kind"
    assert differing_tables(before, table_dump()) == []


def test_restore_of_a_backup_from_a_newer_migration_state_refuses(small_places, tmp_path):
    path = tmp_path / "b.tar"
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote('django_migrations')} (app, name, applied) "  # noqa: S608
            "VALUES ('places', '9999_from_the_future', CURRENT_TIMESTAMP)"
        )
    backup_create(path)
    with connection.cursor() as cursor:
        table = quote("django_migrations")
        cursor.execute(f"DELETE FROM {table} WHERE name = '9999_from_the_future'")  # noqa: S608
    before = table_dump()

    with pytest.raises(CommandError, match="places.9999_from_the_future"):
        run("restore", str(path), "--yes")
    assert differing_tables(before, table_dump()) == []


def test_restore_of_a_damaged_backup_refuses(small_places, tmp_path):
    path = tmp_path / "b.tar"
    backup_create(path)
    rewrite(
        path,
        database=lambda data: data[:1000] + bytes(b ^ 0xFF for b in data[1000:1100]) + data[1100:],
    )
    before = table_dump()

    assert refusal("restore", str(path), "--yes") == "damaged"
    assert differing_tables(before, table_dump()) == []


def test_restore_asks_first_and_an_answer_other_than_yes_changes_nothing(
    small_places, tmp_path, monkeypatch
):
    path = tmp_path / "b.tar"
    backup_create(path)
    organisation_create(actor="test", name="Etterpå", kind=OrganisationKind.ASSOCIATION)
    before = table_dump()
    asked: list[str] = []

    def answer(prompt: str = "") -> str:
        asked.append(prompt)
        return "kanskje"

    monkeypatch.setattr(builtins, "input", answer)
    with pytest.raises(CommandError) as refused:
        run("restore", str(path))
    assert refused.value.__cause__.code == "cancelled"  # type: ignore[union-attr]
    assert len(asked) == 1 and differing_tables(before, table_dump()) == []

    run("restore", str(path), answer="yes", monkeypatch=monkeypatch)
    assert not Organisation.objects.filter(name="Etterpå").exists()


def test_restore_of_a_backup_from_an_older_migration_state_names_the_migrations_to_apply(
    small_places, tmp_path
):
    path = tmp_path / "b.tar"
    quote = connection.ops.quote_name
    table = quote("django_migrations")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT app, name FROM {table} ORDER BY id DESC")  # noqa: S608
        dropped = tuple(cursor.fetchone())
        cursor.execute(f"DELETE FROM {table} WHERE app = %s AND name = %s", dropped)  # noqa: S608
    backup_create(path)

    result = backup_restore(path, confirm=lambda manifest: True)

    assert dropped in result.pending


def test_backup_to_a_directory_or_a_missing_folder_refuses(db, tmp_path):
    assert refusal("backup", str(tmp_path)) == "unsupported"
    assert refusal("backup", str(tmp_path / "missing" / "b.tar")) == "missing"


def test_restore_command_exits_non_zero_with_a_plain_message(tmp_path):
    junk = tmp_path / "junk.tar"
    junk.write_bytes(b"\x00" * 512)
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
        "KRAFTSENTER_DEBUG": "1",
    }
    result = subprocess.run(
        [sys.executable, str(Path(settings.BASE_DIR) / "manage.py"), "restore", str(junk), "--yes"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1
    assert str(junk) in result.stderr and "Traceback" not in result.stderr
