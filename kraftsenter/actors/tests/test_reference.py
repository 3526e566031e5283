"""The reference import brings the organisations the registers name: those of municipalities
and county municipalities, and the national actors of the documented reference list."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import SMALL_PLACES
from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.reference import (
    COUNTY_MUNICIPALITY,
    NATIONAL_ACTOR,
    REFERENCE_FILE,
    read_reference_organisations,
)
from kraftsenter.actors.services import (
    organisation_archive,
    organisation_create,
    organisations_sync_from_places,
)
from kraftsenter.actors.validators import organisation_number_is_valid
from kraftsenter.core.history import history_for
from kraftsenter.core.imports import ImportFailed
from kraftsenter.core.models import ChangeRecord
from kraftsenter.places.models import County, Municipality

pytestmark = pytest.mark.django_db

HAMAR = "970540008"  # the number the small fixture gives Hamar
INNLANDET = "920717152"
FINNMARK = "830090282"
NATIONAL = [r for r in read_reference_organisations() if r.entry == NATIONAL_ACTOR]


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(SMALL_PLACES, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture does not contain {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def import_places(directory: Path = SMALL_PLACES, capsys=None) -> str:
    call_command("import_places", dir=str(directory))
    return capsys.readouterr().out if capsys is not None else ""


def place_org(kind: str, **place) -> Organisation:
    return Organisation.objects.get(kind=kind, **place)


# The reference list


def test_reference_list_is_valid_and_every_number_passes_mod11():
    rows = read_reference_organisations()
    numbers = [r.organisation_number for r in rows if r.organisation_number]
    assert len(numbers) == len(set(numbers)) == 29
    assert all(organisation_number_is_valid(n) for n in numbers)
    counties = {r.county: r.organisation_number for r in rows if r.entry == COUNTY_MUNICIPALITY}
    assert len(counties) == 14 and "03" not in counties
    assert counties["18"] == "964982953"
    names = {r.name: r for r in NATIONAL}
    assert len(names) == 16
    assert names["Sametinget"].organisation_number == "974760347"
    assert sum(r.kind == OrganisationKind.STATSFORVALTER for r in NATIONAL) == 10
    doga = names["DOGA – Design og arkitektur Norge"]
    assert doga.organisation_number == "" and "never guess" in doga.note


def test_reference_list_with_bad_rows_names_line_field_and_reason(tmp_path):
    bad = tmp_path / "reference.csv"
    lines = REFERENCE_FILE.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("930580694", "930580695")  # wrong check digit
    lines[2] = lines[2].replace("county_municipality,county_municipality", "x,county_municipality")
    lines.append("national_actor,spaceship,,Romfart,,,,")
    lines.append(lines[15])  # Sametinget twice
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as info:
        read_reference_organisations(bad)
    problems = {(p.line, p.field) for p in info.value.problems}
    assert problems == {
        (2, "organisation_number"),
        (3, "entry"),
        (32, "kind"),
        (33, "organisation_number"),
        (33, "name"),
    }
    assert "kontrollsifferet" in str(info.value)


# After the import alone


def test_import_alone_creates_the_organisations_with_their_numbers(capsys):
    out = import_places(capsys=capsys)
    hamar = place_org(OrganisationKind.MUNICIPALITY, municipality__number="3403")
    assert (hamar.name, hamar.organisation_number, hamar.county.number) == (
        "Hamar kommune",
        HAMAR,
        "34",
    )
    karasjok = place_org(OrganisationKind.MUNICIPALITY, municipality__number="5610")
    assert (karasjok.name, karasjok.organisation_number) == ("Karasjok kommune", "")
    innlandet = place_org(OrganisationKind.COUNTY_MUNICIPALITY, county__number="34")
    finnmark = place_org(OrganisationKind.COUNTY_MUNICIPALITY, county__number="56")
    assert (innlandet.name, innlandet.organisation_number) == ("Innlandet fylkeskommune", INNLANDET)
    assert (finnmark.name, finnmark.organisation_number) == ("Finnmark fylkeskommune", FINNMARK)
    record = history_for(hamar).get()
    assert (record.action, record.actor_name) == ("organisation.created", "import")
    assert f"organisations: {4 + 2 + len(NATIONAL)} nye, 0 endret, 0 uendret" in out


def test_import_alone_creates_every_national_actor_once():
    import_places()
    import_places()
    for row in NATIONAL:
        org = Organisation.objects.get(name=row.name)
        assert (org.kind, org.organisation_number) == (row.kind, row.organisation_number)
    assert Organisation.objects.get(name="Statsforvalteren i Innlandet").county.number == "34"
    # The county is set when it has been imported (Agder is not in the small set).
    assert Organisation.objects.get(name="Statsforvalteren i Agder").county is None
    assert Organisation.objects.get(name="Statsforvalteren i Troms og Finnmark").county is None


def test_second_import_changes_nothing_and_writes_no_history(capsys):
    import_places()
    before = ChangeRecord.objects.count()
    versions = dict(Organisation.objects.values_list("pk", "version"))
    out = import_places(capsys=capsys)
    assert ChangeRecord.objects.count() == before
    assert dict(Organisation.objects.values_list("pk", "version")) == versions
    assert f"organisations: 0 nye, 0 endret, {4 + 2 + len(NATIONAL)} uendret" in out
    counts = organisations_sync_from_places()
    assert (counts["created"], counts["updated"], counts["notes"]) == (0, 0, [])


def test_renamed_municipality_renames_its_organisation_with_history(data_dir):
    import_places(data_dir)
    loten = place_org(OrganisationKind.MUNICIPALITY, municipality__number="3412")
    edit(data_dir / "kommuner_2024.csv", "3412,Løten,Løten,", "3412,Løiten,Løiten,")
    import_places(data_dir)
    loten.refresh_from_db()
    assert (loten.name, loten.version) == ("Løiten kommune", 2)
    record = history_for(loten).first()
    assert (record.action, record.actor_name) == ("organisation.updated", "import")
    assert (record.before["name"], record.after["name"]) == ("Løten kommune", "Løiten kommune")
    assert Organisation.objects.filter(municipality__number="3412").count() == 1


def test_new_organisation_number_in_the_reference_data_is_added(data_dir):
    import_places(data_dir)
    edit(data_dir / "kommuner_2024.csv", "3412,false,,,11.35", "3412,false,,974760673,11.35")
    import_places(data_dir)
    loten = place_org(OrganisationKind.MUNICIPALITY, municipality__number="3412")
    assert loten.organisation_number == "974760673"
    assert history_for(loten).first().actor_name == "import"


def test_county_municipality_without_number_gets_it(small_places):
    innlandet = organisation_create(
        actor="someone",
        name="Innlandet fylkeskommune",
        kind=OrganisationKind.COUNTY_MUNICIPALITY,
        county=County.objects.get(number="34"),
    )
    counts = organisations_sync_from_places()
    innlandet.refresh_from_db()
    assert innlandet.organisation_number == INNLANDET
    assert Organisation.objects.filter(county__number="34", kind="county_municipality").count() == 1
    assert counts["updated"] == 1
    assert history_for(innlandet).first().actor_name == "import"


def test_organisations_follow_a_municipality_the_reference_data_moves_to_another_county(
    small_places,
):
    """A reference import writes municipalities in bulk; the follow-up gives every organisation
    of a moved municipality the new county (through the service: history names "import"), so
    the registers' county filters, which read that column, find it there."""
    from kraftsenter.agreements.filters import organisations_in

    loten = Municipality.objects.get(number="3412")
    club = organisation_create(
        actor="someone", name="Løten IL", kind=OrganisationKind.ASSOCIATION, municipality=loten
    )
    second = organisation_create(
        actor="someone",
        name="Løten Bygdekvinnelag",
        kind=OrganisationKind.ASSOCIATION,
        municipality=loten,
    )
    innlandet, other = loten.county, County.objects.exclude(pk=loten.county_id).first()
    Municipality.objects.filter(pk=loten.pk).update(county=other)
    counts = organisations_sync_from_places()
    for org in (club, second):
        org.refresh_from_db()
        assert org.county == other
        record = history_for(org).first()
        assert (record.action, record.actor_name) == ("organisation.updated", "import")
    assert counts["updated"] == 2  # the two associations (Løten kommune is created here)
    found = set(
        Organisation.objects.filter(pk__in=organisations_in(other)).values_list("pk", flat=True)
    )
    assert {club.pk, second.pk} <= found
    left = set(
        Organisation.objects.filter(pk__in=organisations_in(innlandet)).values_list("pk", flat=True)
    )
    assert not {club.pk, second.pk} & left
    # A second run changes nothing.
    again = organisations_sync_from_places()
    assert (again["created"], again["updated"]) == (0, 0)


# Matching what is already registered


def test_existing_organisation_with_the_same_name_is_updated_not_duplicated(small_places):
    existing = organisation_create(
        actor="demo",
        name="Distriktssenteret – Kompetansesenter for distriktsutvikling",
        kind=OrganisationKind.RESEARCH,
        description="Registrert for hånd.",
    )
    organisations_sync_from_places()
    found = Organisation.objects.get(name=existing.name)
    assert found.pk == existing.pk
    assert (found.kind, found.organisation_number, found.description) == (
        OrganisationKind.NATIONAL_KNOWLEDGE_ACTOR,
        "992375434",
        "Registrert for hånd.",
    )
    record = history_for(found).first()
    assert (record.action, record.actor_name) == ("organisation.updated", "import")


def test_existing_organisation_with_the_number_is_renamed(small_places):
    existing = organisation_create(
        actor="someone",
        name="Den Norske Stats Husbank",
        kind=OrganisationKind.STATE_AGENCY,
        organisation_number="942114184",
    )
    organisations_sync_from_places()
    existing.refresh_from_db()
    assert (existing.name, existing.kind) == ("Husbanken", OrganisationKind.STATE_FUNDING_AGENCY)
    assert Organisation.objects.filter(name__icontains="Husbank").count() == 1


def test_number_used_by_another_organisation_is_not_stolen_and_is_reported(small_places, capsys):
    loten = organisation_create(
        actor="someone",
        name="Løten kommune",
        kind=OrganisationKind.MUNICIPALITY,
        municipality=Municipality.objects.get(number="3412"),
        organisation_number=HAMAR,
    )
    out = import_places(capsys=capsys)
    loten.refresh_from_db()
    hamar = place_org(OrganisationKind.MUNICIPALITY, municipality__number="3403")
    assert loten.organisation_number == HAMAR
    assert hamar.organisation_number == ""
    [note] = [line for line in out.splitlines() if HAMAR in line]
    assert note.startswith("Hamar kommune") and "Løten kommune" in note


def test_archived_organisation_is_left_as_it_is_and_reported(small_places):
    organisations_sync_from_places()
    hamar = place_org(OrganisationKind.MUNICIPALITY, municipality__number="3403")
    organisation_archive(actor="someone", organisation=hamar)
    Municipality.objects.filter(number="3403").update(name_nb="Hamar by")
    counts = organisations_sync_from_places()
    hamar.refresh_from_db()
    assert hamar.name == "Hamar kommune" and hamar.is_archived
    assert Organisation.objects.filter(municipality__number="3403").count() == 1
    assert counts["created"] == 0 and len(counts["notes"]) == 1
    assert "Hamar kommune" in counts["notes"][0]


def test_ended_municipality_keeps_its_organisation_and_is_reported(small_places):
    organisations_sync_from_places()
    Municipality.objects.filter(number="5601").update(valid_to=dt.date(2025, 12, 31))
    before = ChangeRecord.objects.count()
    counts = organisations_sync_from_places()
    alta = place_org(OrganisationKind.MUNICIPALITY, municipality__number="5601")
    assert not alta.is_archived and alta.version == 1
    assert ChangeRecord.objects.count() == before
    assert len(counts["notes"]) == 1
    assert "Alta kommune" in counts["notes"][0] and "2025-12-31" in counts["notes"][0]


def test_demo_completes_the_national_actors_instead_of_duplicating_them(builtin_places):
    from kraftsenter.demo.loader import load_demo_content

    load_demo_content(say=lambda s: None)
    for row in NATIONAL:
        assert Organisation.objects.filter(name=row.name).count() == 1, row.name
    assert Organisation.objects.get(name="Sametinget").organisation_number == "974760347"
    before = ChangeRecord.objects.count()
    counts = organisations_sync_from_places()
    assert (counts["created"], counts["updated"]) == (0, 0)
    assert ChangeRecord.objects.count() == before


def test_failing_follow_up_is_reported_and_the_places_stay(monkeypatch, capsys):
    def broken():
        raise ImportFailed([])

    monkeypatch.setattr("kraftsenter.actors.services.read_reference_organisations", broken)
    with pytest.raises(CommandError):
        call_command("import_places", dir=str(SMALL_PLACES))
    assert Municipality.objects.count() == 4
    assert not Organisation.objects.exists()
