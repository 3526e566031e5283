"""Choosing PostgreSQL's client programs and reading pg_restore's output (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from kraftsenter.operations import postgresql
from kraftsenter.operations.archive import BackupError
from kraftsenter.operations.postgresql import ClientTools


class FakeConnection:
    in_atomic_block = False

    def __init__(self, pg_version: int) -> None:
        self.pg_version = pg_version

    def ensure_connection(self) -> None:
        pass


def tools(*majors: int) -> list[ClientTools]:
    found = [ClientTools(Path(f"/usr/lib/postgresql/{m}/bin"), m, f"{m}.2") for m in majors]
    return sorted(found, key=lambda t: t.major, reverse=True)


@pytest.fixture
def installed(monkeypatch):
    def install(*majors: int) -> None:
        monkeypatch.setattr(postgresql, "installed_tools", lambda: tools(*majors))

    return install


def test_choose_tools_for_a_backup_takes_the_newest_client(installed):
    installed(15, 17, 16)

    chosen = postgresql.choose_tools(FakeConnection(150018), for_restore=False)

    assert chosen.major == 17 and chosen.path("pg_dump") == "/usr/lib/postgresql/17/bin/pg_dump"


def test_choose_tools_for_a_restore_prefers_the_servers_major_version(installed):
    installed(15, 17, 16)

    assert postgresql.choose_tools(FakeConnection(160004), for_restore=True).major == 16
    assert postgresql.choose_tools(FakeConnection(140009), for_restore=True).major == 17


def test_choose_tools_refuses_clients_older_than_the_server(installed):
    installed(15)

    with pytest.raises(BackupError, match="postgresql-client-16") as refused:
        postgresql.choose_tools(FakeConnection(160001), for_restore=False)
    assert refused.value.code == "tools"


def test_choose_tools_without_client_programs_names_the_package(installed):
    installed()

    with pytest.raises(BackupError, match="postgresql-client-15") as refused:
        postgresql.choose_tools(FakeConnection(150018), for_restore=True)
    assert refused.value.code == "tools"


def test_server_version_reads_both_numbering_schemes():
    assert postgresql.server_version(FakeConnection(150018)) == "15.18"
    assert postgresql.server_version(FakeConnection(90624)) == "9.6.24"


def test_libpq_environment_carries_the_password_outside_the_command_line():
    env = postgresql.libpq_environment(
        {
            "NAME": "kraftsenter",
            "USER": "ks",
            "PASSWORD": "s3cret",
            "HOST": "db.example",
            "PORT": 5433,
            "OPTIONS": {"sslmode": "require"},
        }
    )

    assert env["PGPASSWORD"] == "s3cret" and env["PGDATABASE"] == "kraftsenter"
    assert (env["PGHOST"], env["PGPORT"], env["PGSSLMODE"]) == ("db.example", "5433", "require")


def test_unescape_reads_postgresqls_copy_text_format():
    assert postgresql._unescape(r"a\tb\\c\nd") == "a\tb\\c\nd"
    assert postgresql._unescape(r"\N") is None
    assert postgresql._unescape("0001_initial") == "0001_initial"
