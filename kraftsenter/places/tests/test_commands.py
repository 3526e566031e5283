"""import_places announces a committed import to the apps above; places never imports them."""

from __future__ import annotations

import ast
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import SMALL_PLACES
from kraftsenter.core.models import DataImport
from kraftsenter.places.importers.files import read_directory
from kraftsenter.places.importers.load import load_places
from kraftsenter.places.models import Municipality
from kraftsenter.places.signals import FollowUpReport, reference_data_imported

PLACES = Path(__file__).resolve().parents[1]


@pytest.fixture
def received():
    calls: list[tuple] = []

    def receiver(sender, run, **kwargs):
        calls.append((sender, run.kind, Municipality.objects.count()))
        return FollowUpReport(part="test", created=1, notes=["A note from the receiver."])

    reference_data_imported.connect(receiver, dispatch_uid="test-receiver")
    yield calls
    reference_data_imported.disconnect(dispatch_uid="test-receiver")


@pytest.mark.django_db
def test_import_places_announces_the_import_after_writing_it(received, capsys):
    call_command("import_places", dir=str(SMALL_PLACES))
    assert received == [(DataImport, "places", 4)]
    out = capsys.readouterr().out
    assert "test: 1 nye, 0 endret, 0 uendret" in out
    assert "A note from the receiver." in out


@pytest.mark.django_db
def test_import_places_with_bad_input_announces_nothing(received, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(SMALL_PLACES, data)
    path = data / "kommuner_2024.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("5610,", "561,", 1), "utf-8")
    with pytest.raises(CommandError):
        call_command("import_places", dir=str(data))
    assert received == []


@pytest.mark.django_db
def test_load_places_alone_announces_nothing(received):
    load_places(read_directory(SMALL_PLACES))
    assert received == []


def test_places_write_side_does_not_import_the_apps_above():
    modules = [
        PLACES / "models.py",
        PLACES / "services.py",
        PLACES / "signals.py",
        *PLACES.glob("importers/*.py"),
        *PLACES.glob("management/commands/*.py"),
    ]
    offenders = []
    for path in modules:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else []
            )
            offenders += [
                f"{path.name}: {n}"
                for n in names
                if n.startswith("kraftsenter.") and n.split(".")[1] not in {"core", "places"}
            ]
    assert offenders == []
