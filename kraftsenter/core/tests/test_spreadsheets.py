"""Every CSV download neutralises text that a spreadsheet would run as a formula, and keeps
numbers as numbers (core/spreadsheets.py)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import organisation_create
from kraftsenter.agreements.models import Commitment
from kraftsenter.agreements.tests.contract import CONTRACT as AGREEMENTS
from kraftsenter.agreements.tests.contract_commitment import CONTRACT as COMMITMENTS
from kraftsenter.agreements.tests.contract_partnership import CONTRACT as PARTNERSHIPS
from kraftsenter.agreements.tests.contract_plan import CONTRACT as PLANS
from kraftsenter.consultations.tests.contract import CONTRACT as CONSULTATIONS
from kraftsenter.cooperations import services as cooperation_services
from kraftsenter.cooperations.models import Participant
from kraftsenter.cooperations.tests.contract import CONTRACT as COOPERATIONS
from kraftsenter.core.spreadsheets import NumberText, SafeWriter, decimal_comma, safe_cell
from kraftsenter.knowledge.regions import CENTRE, Assignment, RegionParameters, RegionResult
from kraftsenter.places.models import County, Municipality

#: A record named like this must open as text, not run.
PAYLOADS = ('=HYPERLINK("http://x")', "+1", "-2+3", "@SUM(A1)", "\tfane", "\rretur")


def _cells(response) -> list[dict[str, str]]:
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    text = raw.decode("utf-8").removeprefix("\ufeff")
    return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=";"))


def _assert_neutralised(rows: list[dict[str, str]], column: str) -> None:
    values = {row[column] for row in rows}
    for payload in PAYLOADS:
        assert "'" + payload in values, (column, payload, values)
        assert payload not in values


# --- the rule ----------------------------------------------------------------------------------


@pytest.mark.parametrize("payload", PAYLOADS)
def test_safe_cell_prefixes_text_that_starts_a_formula(payload):
    assert safe_cell(payload) == "'" + payload


@pytest.mark.parametrize("text", ["  =1+1", "\n@SUM(A1)", "\u00a0-1+1"])
def test_safe_cell_prefixes_a_formula_after_leading_white_space(text):
    assert safe_cell(text) == "'" + text


@pytest.mark.parametrize("text", ["Hamar kommune", "Sør-Varanger", "a=b", "e-post@kommune.no", ""])
def test_safe_cell_leaves_other_text_alone(text):
    assert safe_cell(text) == text


@pytest.mark.parametrize("number", [-3.5, -2, Decimal("-3.50"), 0, 12])
def test_safe_cell_keeps_numbers_as_numbers(number):
    assert safe_cell(number) is number


def test_safe_cell_writes_none_as_empty_and_other_values_as_text():
    assert safe_cell(None) == ""
    assert safe_cell(dt.date(2024, 1, 2)) == "2024-01-02"
    assert safe_cell(True) == "True"


def test_number_text_is_a_number_with_a_decimal_comma_and_nothing_else():
    assert safe_cell(NumberText("-3,5")) == "-3,5"
    assert decimal_comma(Decimal("-3.500")) == "-3,5"
    assert decimal_comma(Decimal("12.5")) == "12,5" and decimal_comma(Decimal("50.000")) == "50"
    assert decimal_comma(Decimal("0.0000001")) == "0,0000001"
    assert decimal_comma(None) == ""
    for text in ("-2+3", "=1", "1.5", "1,5,5", "-", ""):
        with pytest.raises(ValueError):
            NumberText(text)


def test_safe_writer_quotes_and_neutralises_each_cell():
    out = io.StringIO()
    SafeWriter(out, delimiter=";", lineterminator="\n").writerow(["=1;2", -3.5, 'si "hei"'])
    assert out.getvalue() == '"\'=1;2";-3.5;"si ""hei"""\n'


# --- every download ----------------------------------------------------------------------------


@dataclass
class Export:
    """One download: plant(owner, payload) stores a record whose text shows in ``column``."""

    url: str
    column: str
    plant: Callable[[Any, str], Any]


def _renamed(contract, field: str) -> Callable[[Any, str], Any]:
    """A register's record as its contract makes it, its text then set to the payload (as an
    import or an older version of the forms could have stored it)."""

    def plant(owner, payload):
        record = contract.make(owner)
        type(record)._default_manager.filter(pk=record.pk).update(**{field: payload})
        return record

    return plant


def _municipality(owner, payload):
    county, _ = County.objects.get_or_create(
        number="34",
        defaults={"name": "Innlandet", "name_nb": "Innlandet", "valid_from": dt.date(2024, 1, 1)},
    )
    number = f"34{90 + Municipality.objects.filter(number__startswith='349').count():02d}"
    return Municipality.objects.create(
        number=number, name=payload, name_nb=payload, county=county, valid_from=dt.date(2024, 1, 1)
    )


def _organisation(owner, payload):
    organisation = organisation_create(
        actor="t", name=f"Forening {Organisation.objects.count()}", kind=OrganisationKind.VOLUNTARY
    )
    Organisation.objects.filter(pk=organisation.pk).update(name=payload)
    return organisation


def _county_cooperation(owner, payload):
    """A cooperation of Innlandet's county municipality and two municipalities."""
    COOPERATIONS.make(owner)  # brings county 34 and the organisations of Hamar and Løten
    county = County.objects.get(number="34")
    county_org = Organisation.objects.filter(
        kind=OrganisationKind.COUNTY_MUNICIPALITY, county=county
    ).first() or organisation_create(
        actor="t",
        name="Innlandet fylkeskommune",
        kind=OrganisationKind.COUNTY_MUNICIPALITY,
        county=county,
    )
    municipalities = Organisation.objects.filter(kind=OrganisationKind.MUNICIPALITY)
    cooperation = cooperation_services.cooperation_create(
        actor="t",
        name="Fylkesforeningen",
        legal_form="association",
        areas=["culture"],
        participants=[
            cooperation_services.ParticipantInput(o) for o in (county_org, *municipalities)
        ],
    )
    type(cooperation).objects.filter(pk=cooperation.pk).update(name=payload)
    return cooperation


EXPORTS = {
    "organisations": Export("/organisasjoner/", "navn", _organisation),
    "municipalities": Export("/kommuner/", "kommunenavn", _municipality),
    "cooperations": Export("/samarbeid/", "samarbeid", _renamed(COOPERATIONS, "name")),
    "municipality-cooperations": Export(
        "/kommuner/3403/samarbeid/", "samarbeid", _renamed(COOPERATIONS, "name")
    ),
    "county-cooperations": Export("/fylker/34/samarbeid/", "samarbeid", _county_cooperation),
    "consultations": Export("/konsultasjoner/", "sak", _renamed(CONSULTATIONS, "title")),
    "plans": Export("/planer/", "plan", _renamed(PLANS, "title")),
    "partnerships": Export("/partnerskap/", "partnerskap", _renamed(PARTNERSHIPS, "name")),
    "agreements": Export("/avtaler/", "avtale", _renamed(AGREEMENTS, "title")),
    "commitments": Export("/forpliktelser/", "forpliktelse", _renamed(COMMITMENTS, "description")),
}


@pytest.fixture
def owner(db):
    return organisation_create(
        actor="test", name="Eierforeningen", kind=OrganisationKind.ASSOCIATION
    )


@pytest.fixture
def site_admin_client(client, db):
    admin = get_user_model().objects.create_user(
        "site", password="x-long-password-1", is_superuser=True
    )
    client.force_login(admin)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("name", EXPORTS)
def test_csv_export_neutralises_formulas_in_every_download(name, owner, site_admin_client):
    export = EXPORTS[name]
    for payload in PAYLOADS:
        export.plant(owner, payload)
    response = site_admin_client.get(export.url, {"format": "csv"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    _assert_neutralised(_cells(response), export.column)


@pytest.mark.django_db
def test_csv_commitment_budget_stays_a_negative_number(owner, site_admin_client):
    commitment = COMMITMENTS.make(owner)
    Commitment.objects.filter(pk=commitment.pk).update(budget=Decimal("-3.50"))
    rows = _cells(site_admin_client.get("/forpliktelser/", {"format": "csv"}))
    row = next(r for r in rows if r["id"] == str(commitment.pk))
    assert row["budsjett"] == "-3.50"


@pytest.mark.django_db
def test_csv_overview_share_stays_a_negative_number(owner, site_admin_client):
    cooperation = COOPERATIONS.make(owner)
    Participant.objects.filter(cooperation=cooperation).update(
        ownership_share=Decimal("-3.5"), liability_share=Decimal("12.250")
    )
    rows = _cells(site_admin_client.get("/kommuner/3403/samarbeid/", {"format": "csv"}))
    assert [(r["eierandel"], r["ansvarsandel"]) for r in rows] == [("-3,5", "12,25")]


@pytest.mark.django_db
def test_csv_municipality_population_and_class_stay_numbers(small_places, site_admin_client):
    rows = _cells(site_admin_client.get("/kommuner/", {"format": "csv"}))
    assert rows and all(r["befolkning"].isdigit() for r in rows if r["befolkning"])
    assert any(r["sentralitetsklasse"].isdigit() for r in rows)


def test_computed_regions_csv_goes_through_the_same_rule():
    """The computed regions' CSV (``/regioner/beregn/?format=csv`` and ``compute_regions
    --format csv``) holds numbers and codes only, but is written the same way. Its lines end
    in ``\n`` (as the import formats), so a carriage return inside a cell is not quoted: the
    raw lines are read here."""
    assignments = {
        p: Assignment(number=p, name=p, role=CENTRE, centre="3403", share=1.0, reason="")
        for p in PAYLOADS
    }
    result = RegionResult(year=2022, parameters=RegionParameters(), assignments=assignments)
    lines = result.to_csv().split("\n")
    assert lines[0] == "kommunenummer,centre_kommunenummer,role"
    for payload in PAYLOADS:
        quoted = '"' + "'" + payload.replace('"', '""') + '"'
        assert f"'{payload},3403,centre" in lines or f"{quoted},3403,centre" in lines, payload
        assert not any(line.startswith((payload, '"' + payload)) for line in lines)
