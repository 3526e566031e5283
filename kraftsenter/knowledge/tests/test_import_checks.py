"""Plausibility of a statistics import (importers/checks.py): partial and implausible data.

A small world of four municipalities (small_places) whose tables agree: commuting flows out of
each municipality are 1–3 % below its employed residents, flows in equal its jobs, and the
industry groups add up to its jobs. Each test breaks one thing the way a careless file would.
"""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Sum
from django.utils import translation

from conftest import SHARED_DATA
from kraftsenter.core.models import DataImport
from kraftsenter.knowledge.importers.base import ImportRefused, StatisticsDataset
from kraftsenter.knowledge.importers.checks import TOLERANCE, deviation, percent, year_span
from kraftsenter.knowledge.importers.files import read_directory
from kraftsenter.knowledge.importers.load import load_statistics
from kraftsenter.knowledge.models import (
    CommutingFlow,
    EmissionFigure,
    EmploymentFigure,
    IndustryEmployment,
)

pytestmark = pytest.mark.django_db

YEAR = 2021  # small_places has every municipality's population for 2021
FLOWS = {  # (home, work): employed persons
    ("3403", "3403"): 14000,
    ("3403", "3412"): 600,
    ("3412", "3403"): 3000,
    ("3412", "3412"): 1000,
    ("5601", "5601"): 9000,
    ("5601", "5610"): 30,
    ("5610", "5610"): 1100,
    ("5610", "5601"): 40,
}
EMPLOYMENT = {  # number: (residents 15–74, employed by residence, employed by workplace)
    "3403": (23000, 15000, 17000),
    "3412": (5800, 4100, 1600),
    "5601": (15000, 9300, 9040),
    "5610": (1800, 1150, 1130),
}
INDUSTRY = {  # number: (Industri, Varehandel)
    "3403": (1000, 16000),
    "3412": (100, 1500),
    "5601": (500, 8540),
    "5610": (30, 1100),
}
COMMUTING_HEADER = "aar,bosted_kommunenummer,arbeidssted_kommunenummer,sysselsatte\n"
EMPLOYMENT_HEADER = (
    "aar,kommunenummer,befolkning_15_74_bosted,sysselsatte_bosted,sysselsatte_arbeidssted\n"
)
INDUSTRY_HEADER = "kommunenummer,aar,naering_sn2007_gruppe,sysselsatte_arbeidssted\n"
EMISSIONS_HEADER = "kommunenummer,aar,sektor,utslippskilde,utslipp_tonn_co2e\n"


def commuting_csv(flows: dict = FLOWS, year: int = YEAR) -> str:
    return COMMUTING_HEADER + "".join(f"{year},{h},{w},{n}\n" for (h, w), n in flows.items())


def employment_csv(rows: dict = EMPLOYMENT, year: int = YEAR) -> str:
    body = "".join(
        f"{year},{number}," + ",".join("" if v is None else str(v) for v in values) + "\n"
        for number, values in rows.items()
    )
    return EMPLOYMENT_HEADER + body


def industry_csv(rows: dict = INDUSTRY, year: int = YEAR) -> str:
    return INDUSTRY_HEADER + "".join(
        f'{number},{year},Industri,{a}\n{number},{year},"Varehandel, reparasjon",{b}\n'
        for number, (a, b) in rows.items()
    )


def emissions_csv(numbers=("3403", "3412", "5601", "5610"), year: int = YEAR) -> str:
    return EMISSIONS_HEADER + "".join(f"{n},{year},Veitrafikk,Personbiler,{100}\n" for n in numbers)


def directory(path: Path, **files: str) -> Path:
    """A fresh directory with the given files: commuting, employment, industry, emissions."""
    names = {
        "commuting": "pendling_kommune_{}.csv",
        "employment": "sysselsatte_bosted_arbeidssted_{}.csv",
        "industry": "sysselsatte_naering_{}.csv",
        "emissions": "klimagass_{}.csv",
    }
    path.mkdir(parents=True, exist_ok=True)
    for part, text in files.items():
        (path / names[part].format(YEAR)).write_text(text, encoding="utf-8")
    return path


@pytest.fixture(autouse=True)
def english():
    """Messages are checked in English, the catalogue's source language."""
    with translation.override("en"):
        yield


@pytest.fixture
def world(small_places, tmp_path):
    """Every table of YEAR imported from files that agree with each other."""
    source = directory(
        tmp_path / "world",
        commuting=commuting_csv(),
        employment=employment_csv(),
        industry=industry_csv(),
        emissions=emissions_csv(),
    )
    run = load_statistics(read_directory(source))
    assert run.summary["partial"] is False and run.summary["notes"] == []
    return tmp_path


def stored() -> dict[str, object]:
    """Everything the statistics tables hold, to show that a refusal wrote nothing."""
    return {
        "commuting": sorted(
            CommutingFlow.objects.values_list("year", "home_id", "work_id", "employed")
        ),
        "employment": sorted(
            EmploymentFigure.objects.values_list(
                "year",
                "municipality_id",
                "population_15_74",
                "employed_residence",
                "employed_workplace",
            )
        ),
        "industry": sorted(
            IndustryEmployment.objects.values_list(
                "year", "municipality_id", "industry", "employed"
            )
        ),
        "emissions": EmissionFigure.objects.count(),
        "imports": DataImport.objects.filter(kind="statistics").count(),
    }


def refused(path: Path, **options) -> ImportRefused:
    before = stored()
    with pytest.raises(ImportRefused) as info:
        load_statistics(read_directory(path, years=options.pop("years", None)), **options)
    assert stored() == before  # a refused file writes nothing
    return info.value


def messages(exc: ImportRefused) -> str:
    return "\n".join(str(p) for p in exc.problems)


# Coverage: every municipality, every year asked for, every industry group ----------------------


def test_import_statistics_commuting_file_cut_at_a_row_boundary_is_refused_with_the_numbers(world):
    cut = dict(list(FLOWS.items())[:5])  # Karasjok's flows and one of Alta's are cut off
    exc = refused(directory(world / "cut", commuting=commuting_csv(cut)))
    assert exc.partial is True
    text = messages(exc)
    assert (
        "Commuting (SSB 03321) 2021: figures for 3 of the 4 municipalities; missing: 5610" in text
    )
    assert "the file holds 5 of the 8 figures stored; importing it would delete 1 of them" in text


def test_import_statistics_cut_file_with_allow_partial_replaces_only_the_municipalities_it_has(
    world,
):
    cut = dict(list(FLOWS.items())[:5])
    run = load_statistics(
        read_directory(directory(world / "cut", commuting=commuting_csv(cut))), allow_partial=True
    )
    assert run.summary["partial"] is True
    assert run.summary["commuting"]["deleted"] == 1  # Alta → Karasjok, within Alta's flows
    assert any("5 of the 8 figures stored" in note for note in run.summary["notes"])
    assert CommutingFlow.objects.filter(home__number="5610").count() == 2  # not in the file: kept


def test_import_statistics_cut_inside_a_municipalitys_flows_is_refused_even_with_allow_partial(
    world,
):
    cut = dict(list(FLOWS.items())[:3])  # Løten → Løten is lost: its flows out are 27 % short
    exc = refused(directory(world / "cut", commuting=commuting_csv(cut)), allow_partial=True)
    assert exc.partial is False
    assert (
        "Employed by residence in 3412 Løten 2021: 4,100 in SSB 11618, 3,000 by commuting outflow "
        "(SSB 03321): differs by 27 %, more than the 5 % allowed." in messages(exc)
    )


def test_import_statistics_missing_municipality_is_refused_and_named(small_places, tmp_path):
    rows = {n: v for n, v in EMPLOYMENT.items() if n != "5610"}
    exc = refused(directory(tmp_path, employment=employment_csv(rows)))
    assert exc.partial is True
    assert (
        "Employment (SSB 11618) 2021: figures for 3 of the 4 municipalities; missing: "
        "5610 Kárášjohka - Karasjok." in messages(exc)
    )


def test_import_statistics_missing_municipality_with_allow_partial_is_written_with_a_note(
    small_places, tmp_path
):
    rows = {n: v for n, v in EMPLOYMENT.items() if n in ("5601", "5610")}  # one county only
    path = directory(tmp_path, employment=employment_csv(rows))
    run = load_statistics(read_directory(path), allow_partial=True)
    assert run.summary["partial"] is True
    assert run.summary["employment"]["created"] == 2
    assert any("figures for 2 of the 4 municipalities" in n for n in run.summary["notes"])


def test_import_statistics_municipality_that_did_not_exist_that_year_is_not_required(
    small_places, tmp_path
):
    # small_places stores Løten's population for 2022 as "not available", as SSB's series on
    # 2024 borders does for 1580 Haram before 2024: a 2022 file need not have it.
    rows = {n: v for n, v in EMPLOYMENT.items() if n != "3412"}
    rows["3403"] = (23000, 15000, 14000)  # without Løten's commuters
    run = load_statistics(
        read_directory(directory(tmp_path, employment=employment_csv(rows, 2022)))
    )
    assert run.summary["partial"] is False


def test_import_statistics_year_asked_for_but_missing_is_refused(small_places, tmp_path):
    path = directory(tmp_path, employment=employment_csv())
    exc = refused(path, years=[2020, YEAR])
    assert (
        "Employment (SSB 11618): no figures for 2020, which the import was asked for."
        in messages(exc)
    )
    run = load_statistics(read_directory(path, years=[2020, YEAR]), allow_partial=True)
    assert run.summary["employment"]["created"] == 4


def test_import_statistics_municipality_without_an_industry_group_is_refused(
    small_places, tmp_path
):
    text = industry_csv().replace('5610,2021,"Varehandel, reparasjon",1100\n', "")
    exc = refused(directory(tmp_path, industry=text))
    assert exc.partial is True
    assert (
        "Employment by industry (SSB 13470) 2021: 2 industry groups, but not all of them for "
        "5610 Kárášjohka - Karasjok; missing: Varehandel, reparasjon." in messages(exc)
    )


# Shrinking --------------------------------------------------------------------------------------


def test_import_statistics_fewer_figures_than_stored_is_refused(world):
    exc = refused(directory(world / "less", emissions=emissions_csv(("3403", "3412", "5601"))))
    assert (
        "Emissions (Miljødirektoratet) 2021: the file holds 3 of the 4 figures stored"
        in messages(exc)
    )


def test_import_statistics_unknown_figures_where_known_ones_are_stored_is_refused(world):
    rows = {n: (pop, res, None) for n, (pop, res, _work) in EMPLOYMENT.items()}
    exc = refused(directory(world / "blank", employment=employment_csv(rows)))
    assert exc.partial is True
    assert (
        "Employment (SSB 11618) 2021: 0 known figures of employed by workplace, where 4 are stored."
        in messages(exc)
    )


# Consistency: never accepted ------------------------------------------------------------------


def test_import_statistics_swapped_employment_columns_are_refused_against_commuting(world):
    swapped = employment_csv().replace(
        "sysselsatte_bosted,sysselsatte_arbeidssted", "sysselsatte_arbeidssted,sysselsatte_bosted"
    )
    before = EmploymentFigure.objects.get(municipality__number="3403")
    exc = refused(directory(world / "swap", employment=swapped), allow_partial=True)
    assert exc.partial is False
    text = messages(exc)
    assert (
        "Employed by residence in 3403 Hamar 2021: 17,000 in SSB 11618, 14,600 by commuting "
        "outflow (SSB 03321): differs by 14 %, more than the 5 % allowed." in text
    )
    assert (
        "Employed by workplace in 3412 Løten 2021: 4,100 in SSB 11618, 1,600 by commuting" in text
    )
    assert "sysselsatte_bosted and sysselsatte_arbeidssted swapped" in text
    after = EmploymentFigure.objects.get(municipality__number="3403")
    assert (after.employed_residence, after.employed_workplace) == (
        before.employed_residence,
        before.employed_workplace,
    )


def test_import_statistics_swapped_columns_without_commuting_are_refused_by_the_national_sums(
    small_places, tmp_path
):
    swapped = employment_csv().replace(
        "sysselsatte_bosted,sysselsatte_arbeidssted", "sysselsatte_arbeidssted,sysselsatte_bosted"
    )
    exc = refused(directory(tmp_path, employment=swapped))
    assert (
        "Employment 2021: 29,550 employed by workplace but 28,770 by residence in the whole country"
        in messages(exc)
    )


def test_import_statistics_residents_and_employed_swapped_are_refused(small_places, tmp_path):
    swapped = employment_csv().replace(
        "befolkning_15_74_bosted,sysselsatte_bosted", "sysselsatte_bosted,befolkning_15_74_bosted"
    )
    exc = refused(directory(tmp_path, employment=swapped), allow_partial=True)
    text = messages(exc)
    assert (
        "Employment in 3403 Hamar 2021: 23,000 employed residents but 15,000 residents 15–74"
        in text
    )
    assert "befolkning_15_74_bosted and sysselsatte_bosted swapped" in text
    assert str(exc.problems[0]).startswith(f"sysselsatte_bosted_arbeidssted_{YEAR}.csv, line 2: ")


def test_import_statistics_commuting_that_contradicts_stored_employment_is_refused(world):
    halved = {key: n // 2 if key[0] == "3403" else n for key, n in FLOWS.items()}
    exc = refused(directory(world / "half", commuting=commuting_csv(halved)), allow_partial=True)
    text = messages(exc)
    assert (
        "Employed by residence in 3403 Hamar 2021: 15,000 in SSB 11618, 7,300 by commuting" in text
    )
    assert (
        "Employed by workplace in 3403 Hamar 2021: 17,000 in SSB 11618, 10,000 by commuting" in text
    )
    assert str(exc.problems[0]).startswith(f"pendling_kommune_{YEAR}.csv: ")


def test_import_statistics_industry_that_contradicts_employment_is_refused(world):
    rows = {**INDUSTRY, "3403": (1000, 8000)}
    exc = refused(directory(world / "industry", industry=industry_csv(rows)), allow_partial=True)
    assert (
        "Employed by workplace in 3403 Hamar 2021: 17,000 in SSB 11618, 9,000 in the industry "
        "groups (SSB 13470): differs by 47 %, more than the 5 % allowed." in messages(exc)
    )


def test_import_statistics_one_countys_commuting_is_compared_where_it_is_complete(world):
    # Finnmark's flows only: each municipality's flows out are whole, and every municipality
    # of residence is still there (stored), so flows in are compared too.
    finnmark = {key: n for key, n in FLOWS.items() if key[0] in ("5601", "5610")}
    path = directory(world / "finnmark", commuting=commuting_csv(finnmark))
    run = load_statistics(read_directory(path), allow_partial=True)
    assert run.summary["commuting"] == {"created": 0, "updated": 0, "unchanged": 4, "deleted": 0}
    assert not [n for n in run.summary["notes"] if "not compared" in n]


def test_import_statistics_flows_in_are_not_compared_without_every_municipality_of_residence(
    small_places, tmp_path
):
    path = directory(
        tmp_path,
        commuting=commuting_csv({k: n for k, n in FLOWS.items() if k[0] != "3412"}),
        employment=employment_csv(),
    )
    run = load_statistics(read_directory(path), allow_partial=True)
    assert any("was not compared with commuting inflows" in n for n in run.summary["notes"])


# The command ----------------------------------------------------------------------------------


def run_command(path: Path, *args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_statistics", "--dir", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_statistics_command_refusal_says_why_and_how_to_mean_it(small_places, tmp_path):
    rows = {n: v for n, v in EMPLOYMENT.items() if n != "5610"}
    path = directory(tmp_path, employment=employment_csv(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_statistics", "--dir", str(path), stdout=io.StringIO(), stderr=err)
    assert "missing: 5610" in err.getvalue()
    assert "run the import again with --allow-partial" in err.getvalue()
    assert not EmploymentFigure.objects.exists()

    out, _err = run_command(path, "--allow-partial")
    assert "Partial import from" in out and "Import finished" not in out
    assert EmploymentFigure.objects.count() == 3


def test_import_statistics_command_implausible_file_gets_no_allow_partial_hint(world):
    swapped = employment_csv().replace(
        "sysselsatte_bosted,sysselsatte_arbeidssted", "sysselsatte_arbeidssted,sysselsatte_bosted"
    )
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_statistics",
            "--dir",
            str(directory(world / "swap", employment=swapped)),
            "--allow-partial",
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "swapped" in err.getvalue() and "--allow-partial" not in err.getvalue()


def test_import_statistics_command_says_import_fullfort_only_when_complete(world):
    with translation.override("nb"):
        out, _err = run_command(world / "world")
        assert "Import fullført" in out
        partial = directory(world / "partial", emissions=emissions_csv(("3403", "3412", "5601")))
        out, _err = run_command(partial, "--allow-partial")
        assert "fullført" not in out.lower()


# Helpers ----------------------------------------------------------------------------------------


def test_import_checks_helpers_format_spans_and_shares():
    assert year_span([2009, 2011, 2013, 2015, 2016, 2017]) == "2009, 2011, 2013, 2015–2017"
    assert (percent(0.05), percent(0.0366), percent(0.47), percent(float("inf"))) == (
        "5",
        "3.7",
        "47",
        "∞",
    )
    assert deviation(0, 0) == 0 and deviation(100, 95) == pytest.approx(0.05)


def test_load_statistics_empty_dataset_part_checks_nothing(small_places):
    run = load_statistics(StatisticsDataset(source="test", emissions=[]))
    assert run.summary["emissions"]["created"] == 0 and run.summary["partial"] is False


# The real files in ../shared/data --------------------------------------------------------------


@pytest.mark.integration
@pytest.mark.skipif(
    not (SHARED_DATA / "pendling_kommune_2020_2022.csv").is_file(),
    reason=f"the real data is not at {SHARED_DATA} (set KRAFTSENTER_TEST_DATA to run this)",
)
def test_import_statistics_real_files_pass_the_checks_and_probe_files_are_refused(tmp_path, capsys):
    """The national files (commuting 03321, employment 11618, 2020–2022) pass every check
    without --allow-partial; the Telemark files (13470, emissions) need it and still pass the
    consistency checks. The probe's broken files are refused and write nothing."""
    from kraftsenter.places.importers.files import read_directory as read_places
    from kraftsenter.places.importers.load import load_places

    started = time.perf_counter()
    load_places(read_places(SHARED_DATA))
    national = read_directory(SHARED_DATA)
    telemark = StatisticsDataset(
        source=national.source, industry=national.industry, emissions=national.emissions
    )
    national.industry = national.emissions = None
    run = load_statistics(national)
    assert run.summary["partial"] is False
    assert run.summary["commuting"]["created"] == 78_583
    run = load_statistics(telemark, allow_partial=True)
    assert run.summary["partial"] is True  # 17 of 357 municipalities: said so in the notes
    assert run.summary["industry"]["created"] == 2_890

    # The deviations the tolerance has to hold, measured on what was imported.
    flows = CommutingFlow.objects
    outflow = {
        (r["year"], r["home_id"]): r["n"]
        for r in flows.values("year", "home_id").annotate(n=Sum("employed"))
    }
    inflow = {
        (r["year"], r["work_id"]): r["n"]
        for r in flows.values("year", "work_id").annotate(n=Sum("employed"))
    }
    groups = {
        (r["year"], r["municipality_id"]): r["n"]
        for r in IndustryEmployment.objects.values("year", "municipality_id").annotate(
            n=Sum("employed")
        )
    }
    largest = {"residence": 0.0, "workplace": 0.0, "industry": 0.0}
    for figure in EmploymentFigure.objects.all():
        key = (figure.year, figure.municipality_id)
        if key in outflow:
            largest["residence"] = max(
                largest["residence"], deviation(figure.employed_residence, outflow[key])
            )
            largest["workplace"] = max(
                largest["workplace"], deviation(figure.employed_workplace, inflow[key])
            )
        if key in groups:
            largest["industry"] = max(
                largest["industry"], deviation(figure.employed_workplace, groups[key])
            )
    with capsys.disabled():
        print(
            "\nlargest deviation on the real data: "
            + ", ".join(f"{k} {100 * v:.2f} %" for k, v in largest.items())
        )
    assert largest["workplace"] == 0  # the same register count
    assert 0.03 < largest["residence"] < TOLERANCE  # shelf, Svalbard, abroad: 3.66 %
    assert 0.01 < largest["industry"] < TOLERANCE  # 13470 against 11618: 1.58 %

    # The probe: a commuting file cut at a row boundary, and two employment columns swapped.
    lines = (
        (SHARED_DATA / "pendling_kommune_2020_2022.csv")
        .read_text(encoding="utf-8")
        .splitlines(True)
    )
    cut = tmp_path / "cut"
    cut.mkdir()
    (cut / "pendling_kommune_2020_2022.csv").write_text("".join(lines[:1001]), encoding="utf-8")
    with pytest.raises(ImportRefused) as info:
        load_statistics(read_directory(cut))
    assert "the file holds 1,000 of the 25,424 figures stored" in messages(info.value)
    header, *rows = (
        (SHARED_DATA / "sysselsatte_bosted_arbeidssted_2020_2022.csv")
        .read_text(encoding="utf-8")
        .splitlines(True)
    )
    swap = tmp_path / "swap"
    swap.mkdir()
    swapped = header.replace(
        "sysselsatte_bosted,sysselsatte_arbeidssted", "sysselsatte_arbeidssted,sysselsatte_bosted"
    )
    assert swapped != header
    (swap / "sysselsatte_bosted_arbeidssted_2020_2022.csv").write_text(
        swapped + "".join(rows), encoding="utf-8"
    )
    with pytest.raises(ImportRefused) as info:
        load_statistics(read_directory(swap), allow_partial=True)
    assert "sysselsatte_bosted and sysselsatte_arbeidssted swapped" in messages(info.value)
    assert flows.count() == 78_583 and flows.aggregate(n=Sum("employed"))["n"] == 8_237_003
    jobs = EmploymentFigure.objects.filter(year=2022).aggregate(n=Sum("employed_workplace"))
    assert jobs["n"] == flows.filter(year=2022).aggregate(n=Sum("employed"))["n"] == 2_809_789
    counts = dict(EmploymentFigure.objects.values_list("year").annotate(n=Count("id")))
    assert counts == {2020: 356, 2021: 356, 2022: 356}
    with capsys.disabled():
        print(f"real-data import and probe files: {time.perf_counter() - started:.1f} s")
