"""Importing cooperation spreadsheets: matching, every kind of bad row, all or nothing, pages.

Messages are translated by the catalogue, so the tests look at lines, columns and values.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import NoReverseMatch, include, path, reverse

from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.cooperations.importer import import_cooperations, read_cooperation_file, run_import
from kraftsenter.cooperations.models import AgreementVersion, Cooperation, CouncilDecision
from kraftsenter.cooperations.rules import mandatory_codes
from kraftsenter.cooperations.services import ParticipantInput, cooperation_create
from kraftsenter.core.imports import ImportFailed
from kraftsenter.core.models import ChangeRecord

GOOD_CSV = (
    "\ufeffsamarbeid;form;omrader;formal;status;startdato;deltaker;eierandel;vedtaksdato;"
    "saksnummer;avtalepunkter\n"
    "Hamarregionen IPR;interkommunalt politisk råd;regional_policy|Næring;Regional utvikling;"
    "aktiv;01.01.2020;3403;60;10.12.2019;19/123;alle\n"
    "Hamarregionen IPR;;;;;;LOTEN;40;2019-12-12;;\n"
    ";;;;;;;;;;\n"
    "Finnmark IKT KO;kommunalt oppgavefellesskap;ikt;;planlagt;2024-01-01;Kárášjohka;50,5;;;\n"
    "Finnmark IKT KO;;;;;;alta kommune;49.5;;;\n"
)

BAD_CSV = (
    "samarbeid,form,omrader,startdato,deltaker,eierandel\n"
    "A IPR,ipr,regional_policy,2020-13-01,Atlantis,60\n"  # 2: bad date, unknown name
    "A IPR,,,,3412,abc\n"  # 3: bad share
    "B IPR,flying circus,ict,,3403,50\n"  # 4: unknown form
    "B IPR,,,,Alta,50\n"  # 5: ambiguous name
    "C IPR,ipr,ict,,3403,50\n"  # 6: shares add up to 80: reported here
    "C IPR,,,,3412,30\n"
    "Gyldig KO,ko,ict,,5601,50\n"  # 8: valid, but the whole file is refused
    "Gyldig KO,,,,5610,50\n"
)


def write(tmp_path, name: str, text: str):
    target = tmp_path / name
    target.write_text(text, encoding="utf-8")
    return target


def problems_of(source, name: str = "f.csv") -> list:
    before = Cooperation.objects.count(), ChangeRecord.objects.count()
    with pytest.raises(ImportFailed) as info:
        run_import(source, filename=name, actor="import", dry_run=False)
    assert (Cooperation.objects.count(), ChangeRecord.objects.count()) == before
    return info.value.problems


def at(problems, line: int, field: str) -> str:
    found = [p.message for p in problems if p.line == line and p.field == field]
    assert found, f"no problem at line {line}, {field}: {problems}"
    return " ".join(found)


@pytest.mark.django_db
def test_csv_creates_cooperations_with_shares_decisions_and_status(tmp_path, orgs):
    csv_file = write(tmp_path, "samarbeid.csv", GOOD_CSV)
    summary = run_import(csv_file, filename="samarbeid.csv", actor="import", dry_run=False)
    assert summary.count == 2 and not summary.dry_run
    ipr = Cooperation.objects.get(name="Hamarregionen IPR")
    assert ipr.status == "active" and ipr.legal_form == "ipr"
    assert ipr.start_date == dt.date(2020, 1, 1) and ipr.purpose == "Regional utvikling"
    assert sorted(ipr.area_codes) == ["business", "regional_policy"]
    shares = {p.organisation_id: p.ownership_share for p in ipr.participants.all()}
    assert shares == {orgs["3403"].pk: Decimal("60"), orgs["3412"].pk: Decimal("40")}
    version = AgreementVersion.objects.get(cooperation=ipr)
    assert set(version.items_covered) == mandatory_codes("ipr")
    decision = CouncilDecision.objects.get(agreement_version=version, organisation=orgs["3403"])
    assert (decision.decided_on, decision.case_reference) == (dt.date(2019, 12, 10), "19/123")
    assert decision.body == "kommunestyret" and version.decisions.count() == 2
    ko = Cooperation.objects.get(name="Finnmark IKT KO")
    assert ko.status == "planned" and not ko.agreement_versions.exists()
    ko_shares = {p.organisation_id: p.ownership_share for p in ko.participants.all()}
    assert ko_shares == {orgs["5610"].pk: Decimal("50.5"), orgs["5601"].pk: Decimal("49.5")}
    history = ChangeRecord.objects.filter(object_id=str(ipr.pk), actor_name="import")
    assert {"cooperation.created", "cooperation.activated"} <= set(
        history.values_list("action", flat=True)
    )
    assert [r.line for r in summary.cooperations] == [2, 5]


@pytest.mark.django_db
def test_xlsx_with_date_number_and_percent_cells(tmp_path, orgs):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(
        ["Samarbeid", "Form", "Områder", "Status", "Startdato", "Vertskommune",
         "Statsforvalter varslet", "Deltaker", "Eierandel (%)", "Vedtaksdato",
         "Avtalepunkter"]
    )  # fmt: skip
    rows = [
        ["Barnevern Hamar", "vertskommune", "barnevern", "aktiv", dt.date(2021, 1, 1), "Hamar",
         dt.date(2021, 2, 1), 3403, None, dt.date(2020, 11, 1), "alle"],
        ["Barnevern Hamar", None, None, None, None, None, None, "Løten", None, "15.11.2020"],
        [],
        ["Innlandet Revisjon IKS", "IKS", "revisjon", None, None, None, None, 3403, 0.5],
        ["Innlandet Revisjon IKS", None, None, None, None, None, None, 34, 0.25],
        ["Innlandet Revisjon IKS", None, None, None, None, None, None,
         "revisjon innlandet iks", 0.25],
    ]  # fmt: skip
    for row in rows:
        sheet.append(row)
    for cell in sheet["I"][1:]:
        cell.number_format = "0%"
    target = tmp_path / "samarbeid.xlsx"
    book.save(target)

    plans = read_cooperation_file(target, filename="samarbeid.xlsx")
    assert [(p.name, p.line) for p in plans] == [
        ("Barnevern Hamar", 2),
        ("Innlandet Revisjon IKS", 5),
    ]
    summary = import_cooperations(plans, actor="import", dry_run=False)
    assert summary.count == 2
    host = Cooperation.objects.get(name="Barnevern Hamar")
    assert host.status == "active" and host.host == orgs["3403"]
    assert host.statsforvalter_notified_on == dt.date(2021, 2, 1)
    iks = Cooperation.objects.get(name="Innlandet Revisjon IKS")
    shares = {p.organisation_id: p.ownership_share for p in iks.participants.all()}
    assert shares == {
        orgs["3403"].pk: Decimal("50"),
        orgs["34"].pk: Decimal("25"),
        orgs["iks"].pk: Decimal("25"),
    }
    assert iks.legal_person is True


@pytest.mark.django_db
def test_dry_run_reports_but_writes_nothing(tmp_path, orgs):
    before = ChangeRecord.objects.count()
    summary = run_import(
        io.BytesIO(GOOD_CSV.encode()), filename="s.csv", actor="import", dry_run=True
    )
    assert summary.dry_run and summary.count == 2
    assert [(r.name, r.status, r.decisions) for r in summary.cooperations] == [
        ("Hamarregionen IPR", "active", 2),
        ("Finnmark IKT KO", "planned", 0),
    ]
    assert all(r.pk is None for r in summary.cooperations)
    assert not Cooperation.objects.exists() and ChangeRecord.objects.count() == before


@pytest.mark.django_db
def test_every_bad_row_is_reported_and_the_whole_file_refused(tmp_path, orgs):
    organisation_create(actor="t", name="Alta", kind=OrganisationKind.BUSINESS)
    problems = problems_of(write(tmp_path, "f.csv", BAD_CSV))
    assert all(p.source == "f.csv" for p in problems)
    assert "2020-13-01" in at(problems, 2, "startdato")
    assert "Atlantis" in at(problems, 2, "deltaker")
    assert "abc" in at(problems, 3, "eierandel")
    assert "flying circus" in at(problems, 4, "form")
    ambiguous = at(problems, 5, "deltaker")
    assert "Alta kommune" in ambiguous and "Alta;" in ambiguous + ";"
    assert "80" in at(problems, 6, "eierandel")  # the rule, against the cooperation's line
    assert not any(p.line in (8, 9) for p in problems)
    assert not Cooperation.objects.filter(name="Gyldig KO").exists()


@pytest.mark.django_db
def test_status_active_refused_when_rules_not_met(tmp_path, orgs):
    text = "samarbeid,form,omrader,status,deltaker,eierandel\nX IPR,ipr,ict,aktiv,3403,50\n"
    text += "X IPR,,,,3412,50\n"
    problems = problems_of(write(tmp_path, "f.csv", text))
    assert {(p.line, p.field) for p in problems} == {(2, "status")}
    assert any("§ 18-4" in p.message for p in problems)


@pytest.mark.django_db
def test_dissolved_needs_end_date_and_only_dissolved_has_one(tmp_path, orgs):
    head = "samarbeid,form,omrader,status,sluttdato,deltaker,merknad\n"
    text = head + "Venner,forening,kultur,oppløst,31.12.2022,3403,gammel\nVenner,,,,,5601,\n"
    run_import(write(tmp_path, "f.csv", text), filename="f.csv", actor="import", dry_run=False)
    coop = Cooperation.objects.get(name="Venner")
    assert (coop.status, coop.end_date) == ("dissolved", dt.date(2022, 12, 31))
    text = head + "Andre,forening,kultur,planlagt,31.12.2022,3403,\nAndre,,,,,5601,\n"
    assert at(problems_of(write(tmp_path, "f.csv", text)), 2, "sluttdato")


@pytest.mark.django_db
def test_header_row_and_consistency_problems(tmp_path, orgs):
    problems = problems_of(write(tmp_path, "f.csv", "samarbeid,form,omrader,deltakar\n"))
    assert at(problems, 1, "deltaker") and at(problems, 1, "deltakar")
    text = (
        "samarbeid,form,omrader,deltaker,eierandel,vertskommune,avtalepunkter\n"
        "Y,vertskommune,ict,3403,,5601,alle\n"
        "Y,iks,,3403,,,\n"
        "Z KO,ko,ict,3403,50,,name;moon\n"
        "Z KO,,,3412,50,,\n"
        ",,,3412,,,\n"
    )
    problems = problems_of(write(tmp_path, "f.csv", text))
    assert at(problems, 2, "vertskommune")  # host is not a participant
    assert at(problems, 3, "form")  # differs from line 2
    assert "2" in at(problems, 3, "deltaker")  # already listed on line 2
    assert "moon" in at(problems, 4, "avtalepunkter")
    assert at(problems, 6, "samarbeid")


@pytest.mark.django_db
def test_existing_cooperation_name_is_refused(tmp_path, orgs):
    cooperation_create(
        actor="t",
        name="Finnmark IKT KO",
        legal_form="ko",
        areas=["ict"],
        participants=[
            ParticipantInput(orgs["5601"], Decimal(50)),
            ParticipantInput(orgs["5610"], Decimal(50)),
        ],
    )
    problems = problems_of(write(tmp_path, "f.csv", GOOD_CSV))
    assert at(problems, 5, "samarbeid")


@pytest.mark.django_db
def test_not_a_spreadsheet(tmp_path, orgs):
    assert problems_of(io.BytesIO(b"\xff\xfe\x00x"), "f.csv")[0].line is None
    assert problems_of(io.BytesIO(b"not a zip"), "f.xlsx")[0].line is None
    assert problems_of(io.BytesIO(b"a,b"), "f.txt")[0].line is None


@pytest.mark.django_db
def test_command_dry_run_import_and_refusal(tmp_path, orgs):
    good = write(tmp_path, "samarbeid.csv", GOOD_CSV)
    out = io.StringIO()
    call_command("import_cooperations", str(good), "--dry-run", stdout=out)
    assert "Hamarregionen IPR" in out.getvalue() and "2" in out.getvalue()
    assert not Cooperation.objects.exists()
    call_command("import_cooperations", str(good), stdout=io.StringIO())
    assert Cooperation.objects.count() == 2
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_cooperations", str(write(tmp_path, "bad.csv", BAD_CSV)), stderr=err)
    assert "bad.csv" in err.getvalue() and "Atlantis" in err.getvalue()
    assert Cooperation.objects.count() == 2


# --- the upload page ---------------------------------------------------------------------------


def __getattr__(name: str):
    """This module doubles as a URL configuration until the import page is wired in."""
    if name != "urlpatterns":
        raise AttributeError(name)
    from config import urls as root
    from kraftsenter.cooperations import urls as cooperation_urls
    from kraftsenter.cooperations.import_views import cooperation_import

    patterns = [
        path("samarbeid/import/", cooperation_import, name="cooperation-import"),
        *cooperation_urls.urlpatterns,
    ]
    return [path("", include((patterns, "cooperations"))), *root.urlpatterns]


@pytest.fixture
def import_url(settings) -> str:
    try:
        return reverse("cooperations:cooperation-import")
    except NoReverseMatch:
        settings.ROOT_URLCONF = __name__
        return reverse("cooperations:cooperation-import")


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("redaktor", password="x-long-password-1")
    membership_add(actor="test", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    return user


def upload(text: str, name: str = "samarbeid.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


@pytest.mark.django_db
def test_page_needs_login_and_a_role(client, import_url, orgs):
    assert import_url == "/samarbeid/import/"
    response = client.get(import_url)
    assert response.status_code == 302 and "next=" in response["Location"]
    outsider = get_user_model().objects.create_user("ute", password="x-long-password-1")
    client.force_login(outsider)
    assert client.get(import_url).status_code == 403


@pytest.mark.django_db
def test_page_dry_run_then_import_as_editor(client, import_url, editor):
    client.force_login(editor)
    page = client.get(import_url)
    assert page.status_code == 200 and b'enctype="multipart/form-data"' in page.content
    hamar_only = GOOD_CSV.split(";;;;;;;;;;\n")[0]
    response = client.post(import_url, {"file": upload(hamar_only), "dry_run": "on"})
    assert response.status_code == 200 and "Hamarregionen IPR" in response.content.decode()
    assert not Cooperation.objects.exists()
    response = client.post(import_url, {"file": upload(hamar_only)})
    coop = Cooperation.objects.get(name="Hamarregionen IPR")
    assert response.status_code == 200 and coop.status == "active"
    assert ChangeRecord.objects.filter(object_id=str(coop.pk), actor=editor).exists()


@pytest.mark.django_db
def test_page_shows_problems_with_422(client, import_url, editor):
    client.force_login(editor)
    response = client.post(import_url, {"file": upload(BAD_CSV), "dry_run": "on"})
    html = response.content.decode()
    assert response.status_code == 422 and "Atlantis" in html and "<code>deltaker</code>" in html
    # The editor of Hamar may not register a cooperation of Alta and Karasjok alone.
    response = client.post(import_url, {"file": upload(GOOD_CSV)})
    assert response.status_code == 422 and not Cooperation.objects.exists()
    problem_lines = [p.line for p in response.context["problems"]]
    assert problem_lines == [5]


@pytest.mark.django_db
def test_page_refuses_other_file_types(client, import_url, editor):
    client.force_login(editor)
    response = client.post(import_url, {"file": upload("x", "samarbeid.xls")})
    assert response.status_code == 200 and response.context["form"].errors["file"]
