"""Small-town regions from commuting: the method, its validation, the command, the page.

A small synthetic world (ten municipalities, one of them without figures) exercises each rule;
the integration test runs the whole country from ../shared/data.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import time
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from kraftsenter.core.models import ChangeRecord
from kraftsenter.knowledge.models import CommutingFlow
from kraftsenter.knowledge.region_views import region_compute, saved_regions
from kraftsenter.knowledge.regions import (
    RegionInputError,
    RegionParameters,
    compare_with_saved,
    compute_for_year,
    compute_regions,
    load_region_data,
    save_regions,
)
from kraftsenter.places.choices import RegionSource
from kraftsenter.places.models import County, Municipality, PopulationFigure, Region
from kraftsenter.places.services import region_create, region_update

pytestmark = pytest.mark.django_db

# The page is wired at /regioner/beregn/ in the site's URLconf; the tests bring their own route.
urlpatterns = [path("test/regioner/beregn/", region_compute), *site_urlpatterns]
PAGE = "/test/regioner/beregn/"
FORM = {
    "year": 2022,
    "min_population": 5000,
    "max_population": 50000,
    "centrality_classes": [2, 3, 4, 5],
    "threshold_percent": 10,
    "larger_market_percent": 15,
}

YEAR = 2022
A, B, C, D, E, F, G, H, K, J = (f"34{n:02d}" for n in range(1, 11))
WORLD = {  # number: (name, population 1 January 2023, centrality class)
    A: ("Senterby", 20_000, 3),  # centre
    B: ("Nabo", 3_000, 5),  # 30 % to A: hinterland
    C: ("Todelt", 2_000, 5),  # 20 % to A, 15 % to D: split
    D: ("Andreby", 8_000, 4),  # centre; 7.5 % to A is too little to join it
    E: ("Omvei", 1_000, 6),  # 8 % to B + 4 % to A: indirect via B
    F: ("Avsides", 1_500, 6),  # 5 % to A: alone
    G: ("Storby", 120_000, 1),  # too big to be a small-town centre
    H: ("Forstad", 10_000, 2),  # candidate, but 40 % to G: a larger labour market
    K: ("Tomrom", 2_000, 5),  # no commuting figures
    J: ("Kanten", 4_000, 3),  # exactly 10 % to A: hinterland
}
FLOWS = {  # home: {work: employed}
    A: {A: 9_000, G: 500, D: 300, B: 200},
    B: {B: 600, A: 300, G: 100},
    C: {C: 550, A: 200, D: 150, G: 100},
    D: {D: 3_500, A: 300, G: 200},
    E: {E: 800, B: 80, A: 40, F: 30, G: 50},
    F: {F: 900, A: 50, G: 30, E: 20},
    G: {G: 60_000, A: 100},
    H: {H: 4_400, G: 4_000, A: 1_200, D: 400},
    J: {J: 900, A: 100},
}


def make_flows(year: int, flows: dict[str, dict[str, int]]) -> None:
    ids = dict(Municipality.objects.values_list("number", "id"))
    CommutingFlow.objects.bulk_create(
        CommutingFlow(year=year, home_id=ids[h], work_id=ids[w], employed=n)
        for h, row in flows.items()
        for w, n in row.items()
    )


@pytest.fixture
def world(db):
    county = County.objects.create(
        number="34", name="Innlandet", name_nb="Innlandet", valid_from=dt.date(2024, 1, 1)
    )
    for number, (name, population, centrality) in WORLD.items():
        m = Municipality.objects.create(
            number=number,
            name=name,
            name_nb=name,
            county=county,
            centrality_class=centrality,
            valid_from=dt.date(2024, 1, 1),
        )
        PopulationFigure.objects.create(municipality=m, year=YEAR + 1, population=population)
    Municipality.objects.create(  # merged away: no longer a current municipality
        number="3499",
        name="Gammel",
        name_nb="Gammel",
        county=county,
        valid_from=dt.date(2020, 1, 1),
        valid_to=dt.date(2023, 12, 31),
    )
    make_flows(YEAR, FLOWS)


def compute(**parameters):
    return compute_for_year(YEAR, RegionParameters(**parameters))


def roles(result) -> dict[str, tuple[str, str]]:
    return {n: (a.role, a.centre) for n, a in result.assignments.items()}


def test_defaults_assign_every_current_municipality_once(world):
    result = compute()
    assert roles(result) == {
        A: ("centre", A),
        B: ("hinterland", A),
        C: ("hinterland", A),
        D: ("centre", D),
        E: ("hinterland", A),
        F: ("alone", F),
        G: ("alone", G),
        H: ("alone", H),
        K: ("alone", K),
        J: ("hinterland", A),
    }
    assert result.regions() == {A: [A, B, C, E, J], D: [D]}


def test_centres_by_population_and_centrality(world):
    result = compute(min_population=1_000, max_population=30_000, centrality_classes=(3,))
    centres = {n for n, a in result.assignments.items() if a.role == "centre"}
    assert centres == {A, J}
    assert result.assignments[D].reason == "below_threshold"  # 7.5 % to A


def test_candidate_sending_many_to_a_larger_labour_market_is_no_centre(world):
    h = compute().assignments[H]
    assert (h.role, h.reason, h.via, h.share) == ("alone", "larger_labour_market", G, 40.0)
    # With a higher bar it is a centre of its own.
    assert compute(larger_market_percent=50).assignments[H].role == "centre"


def test_centres_from_a_list_replace_the_rule(world):
    result = compute(centres=(A, J))  # J is too small for the rule, D meets it
    assert {n for n, a in result.assignments.items() if a.role == "centre"} == {A, J}
    assert result.assignments[J].reason == "listed"
    assert roles(result)[B] == ("hinterland", A)
    assert (result.assignments[D].role, result.assignments[D].reason) == (
        "alone",
        "below_threshold",
    )
    # A listed centre that is not the largest destination: C works more in A, a larger market.
    c = compute(centres=(D,)).assignments[C]
    assert (c.role, c.reason, c.via) == ("alone", "larger_labour_market", A)


def test_hinterland_by_threshold(world):
    assert compute().assignments[J].share == 10.0  # the threshold itself is enough
    result = compute(threshold_percent=25)
    assert roles(result)[B] == ("hinterland", A)  # 30 %
    assert roles(result)[C] == ("alone", C)  # 20 %
    assert roles(result)[J] == ("alone", J)


def test_split_commuting_joins_the_larger_flow_and_records_the_other(world):
    c = compute().assignments[C]
    assert (c.role, c.centre, c.reason, c.share) == ("hinterland", A, "split", 20.0)
    assert (c.secondary, c.secondary_share) == (D, 15.0)


def test_indirect_commuting_one_step_via_hinterland(world):
    e = compute().assignments[E]
    assert (e.role, e.centre, e.reason, e.via, e.share) == ("hinterland", A, "indirect", B, 12.0)
    # Combined 12 % is below a 15 % threshold; B is then no longer hinterland at 25 %.
    assert compute(threshold_percent=15).assignments[E].role == "alone"


def test_alone_below_threshold_and_without_figures(world):
    result = compute()
    f = result.assignments[F]
    assert (f.role, f.centre, f.reason, f.via, f.share) == ("alone", F, "below_threshold", A, 5.0)
    assert (result.assignments[K].role, result.assignments[K].reason) == (
        "alone",
        "no_commuting_data",
    )
    assert "3499" not in result.assignments


def test_load_region_data_uses_two_queries(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        data = load_region_data(YEAR)
    assert data.population[A] == 20_000 and data.flows[B][A] == 300
    assert data.old_numbers == frozenset({"3499"})


@pytest.mark.parametrize(
    ("year", "parameters", "field", "needle"),
    [
        (2019, {}, "year", "2022"),
        (YEAR, {"threshold_percent": 100.5}, "threshold_percent", "100.5"),
        (YEAR, {"threshold_percent": -1}, "threshold_percent", "-1"),
        (YEAR, {"larger_market_percent": 101}, "larger_market_percent", "101"),
        (YEAR, {"centres": (A, "9999")}, "centres", "9999"),
        (YEAR, {"centres": ("12",)}, "centres", "12"),
        (YEAR, {"centres": ("3499",)}, "centres", "3499"),
        (YEAR, {"min_population": 9_000, "max_population": 100}, "min_population", "9000"),
        (YEAR, {"min_population": -1}, "min_population", ""),
        (YEAR, {"centrality_classes": (0, 7)}, "centrality_classes", "7"),
        (YEAR, {"centrality_classes": ()}, "centrality_classes", ""),
    ],
)
def test_bad_input_names_the_parameter_and_value(world, year, parameters, field, needle):
    with pytest.raises(RegionInputError) as info:
        compute_for_year(year, RegionParameters(**parameters))
    assert list(info.value.errors) == [field]
    assert needle in " ".join(info.value.errors[field])


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(RegionInputError) as info:
        compute_for_year(2019, RegionParameters(threshold_percent=200, centres=("9999",)))
    assert set(info.value.errors) == {"year", "threshold_percent"}  # no data: centres unchecked
    with pytest.raises(RegionInputError) as info:
        compute_for_year(YEAR, RegionParameters(threshold_percent=200, centres=("9999",)))
    assert set(info.value.errors) == {"threshold_percent", "centres"}


def test_compute_regions_is_pure(world, django_assert_num_queries):
    data = load_region_data(YEAR)
    with django_assert_num_queries(0):
        compute_regions(data, RegionParameters())


def run(*args: str) -> str:
    out, err = io.StringIO(), io.StringIO()
    call_command("compute_regions", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_command_csv_has_exact_header_and_one_row_per_municipality(world):
    rows = list(csv.reader(io.StringIO(run("--year", str(YEAR), "--format", "csv"))))
    assert rows[0] == ["kommunenummer", "centre_kommunenummer", "role"]
    assert [r[0] for r in rows[1:]] == sorted(WORLD)
    assert {r[2] for r in rows[1:]} <= {"centre", "hinterland", "alone"}
    assert [B, A, "hinterland"] in rows and [F, F, "alone"] in rows and [D, D, "centre"] in rows


def test_command_table_lists_every_municipality(world):
    text = run("--year", str(YEAR), "--centres", f"{A},{D}", "--threshold", "12.5")
    for number in WORLD:
        assert f"\n{number} " in text


@pytest.mark.parametrize(
    "args",
    [
        ["--year", "2019"],
        ["--threshold", "101"],
        ["--larger-market", "-5"],
        ["--centres", f"{A},9999"],
        ["--centres", A, "--centrality", "3"],
        ["--centrality", "x"],
        ["--min-population", "9000", "--max-population", "100"],
    ],
)
def test_command_bad_input_stops_and_writes_nothing(world, args):
    full = args if args[0] == "--year" else ["--year", str(YEAR), *args]
    with pytest.raises(CommandError):
        run(*full, "--save")
    with pytest.raises(CommandError):
        run("--year", str(YEAR), "--replace")  # --replace without --save
    assert Region.objects.count() == 0


@pytest.mark.parametrize(
    ("args", "needles"),
    [
        # A year without commuting figures: the option, the year, and the years there are.
        (["--year", "2019"], ["--year", "2019", str(YEAR)]),
        # An unknown municipality in the centre list: the option and the number.
        (["--year", str(YEAR), "--centres", f"{A},9999"], ["--centres", "9999"]),
        (["--year", str(YEAR), "--centres", "9998,9999"], ["--centres", "9998, 9999"]),
    ],
)
def test_command_bad_input_message_names_the_option_and_the_value(world, args, needles):
    with pytest.raises(CommandError) as info:
        run(*args, "--save")
    for needle in needles:
        assert needle in str(info.value)
    assert Region.objects.count() == 0


def test_command_save_creates_computed_regions_with_year_and_parameters(world):
    run("--year", str(YEAR), "--save")
    saved = {r.centre.number: r for r in Region.objects.all()}
    assert set(saved) == {A, D}
    region = saved[A]
    assert region.name == "Senterby-regionen (beregnet 2022)"
    assert region.source == RegionSource.COMPUTED
    assert sorted(region.hinterland.values_list("number", flat=True)) == [B, C, E, J]
    detail = region.source_detail
    assert detail["year"] == YEAR and detail["method_version"] == 1
    assert detail["parameters"]["threshold_percent"] == 10.0
    assert detail["members"][C]["reason"] == "split" and detail["members"][E]["via"] == B
    assert ChangeRecord.objects.filter(actor_name="compute_regions").count() == 2


def test_command_save_twice_needs_replace_which_archives_the_old(world):
    run("--year", str(YEAR), "--save")
    first = set(Region.objects.values_list("pk", flat=True))
    with pytest.raises(CommandError):
        run("--year", str(YEAR), "--save")
    assert Region.objects.count() == 2
    run("--year", str(YEAR), "--save", "--replace", "--threshold", "25")
    assert set(Region.objects.archived().values_list("pk", flat=True)) == first
    active = Region.objects.active().get(centre__number=A)
    assert sorted(active.hinterland.values_list("number", flat=True)) == [B]
    assert active.source_detail["parameters"]["threshold_percent"] == 25.0


def test_saved_region_can_be_edited_by_hand(world):
    created, archived = save_regions(compute())
    region = next(r for r in created if r.centre.number == A)
    f = Municipality.objects.get(number=F)
    region_update(
        actor=None,
        region=region,
        expected_version=1,
        name=region.name,
        centre=region.centre,
        hinterland=[*region.hinterland.all(), f],
    )
    region.refresh_from_db()
    assert archived == 0 and region.version == 2 and region.source == RegionSource.COMPUTED
    assert F in region.hinterland.values_list("number", flat=True)


def test_compare_with_saved_regions(world):
    munis = {m.number: m for m in Municipality.objects.all()}
    region_create(
        actor=None, name="Senterbyregionen", centre=munis[A], hinterland=[munis[B], munis[F]]
    )
    region_create(actor=None, name="Storbyregionen", centre=munis[G], hinterland=[munis[H]])
    comparison = compare_with_saved(compute(), saved_regions())
    by_name = {c.saved.name if c.saved else c.computed_centre: c for c in comparison.regions}
    senter = by_name["Senterbyregionen"]
    assert senter.computed_centre == A
    assert [n for n, _name in senter.same] == [A, B]
    assert [n for n, _name in senter.added] == [C, E, J]
    assert [n for n, _name in senter.removed] == [F]
    storby = by_name["Storbyregionen"]
    assert storby.computed_centre == "" and [n for n, _ in storby.removed] == [G, H]
    assert [n for n, _ in by_name[D].added] == [D]  # computed, matched by no saved region
    saved_in = {a.number: names for a, names in comparison.municipalities}
    assert saved_in[F] == ["Senterbyregionen"] and saved_in[C] == []


@pytest.fixture
def page_urls(settings):
    settings.ROOT_URLCONF = __name__


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create_superuser("admin", password="x-very-long-1")


def test_page_computes_with_defaults_for_everyone(world, page_urls, client):
    response = client.get(PAGE)
    assert response.status_code == 200
    assert response.context["result"].year == YEAR
    assert response.context["counts"] == {"centre": 2, "hinterland": 4, "alone": 4}
    assert '<form method="post"' not in response.content.decode()  # no save for anonymous


def test_page_bad_parameters_are_422_on_the_field(world, page_urls, client):
    response = client.get(PAGE, {**FORM, "threshold_percent": 150})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"threshold_percent"}
    response = client.get(PAGE, {**FORM, "year": 2019, "centres": "9999"})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == {"year"}  # no data: centres unchecked
    response = client.get(PAGE, {**FORM, "centres": "9999, 3499"})
    assert response.status_code == 422 and Region.objects.count() == 0
    assert len(response.context["form"].errors["centres"]) == 2  # unknown, and no longer valid


def test_page_csv_download(world, page_urls, client):
    response = client.get(PAGE, {"format": "csv"})
    lines = response.content.decode().splitlines()
    assert response["Content-Type"].startswith("text/csv")
    assert lines[0] == "kommunenummer,centre_kommunenummer,role" and len(lines) == 11


def test_page_save_is_for_site_admins_only(world, page_urls, client, admin, django_user_model):
    params = FORM
    assert client.post(PAGE, params).status_code == 403
    client.force_login(django_user_model.objects.create_user("kari", password="x-very-long-1"))
    assert client.post(PAGE, params).status_code == 403
    assert Region.objects.count() == 0
    client.force_login(admin)
    response = client.post(PAGE, params)
    assert response.status_code == 302 and response["Location"].startswith(PAGE + "?year=2022")
    assert Region.objects.filter(source=RegionSource.COMPUTED).count() == 2
    again = client.post(PAGE, params)  # saved already, no replace: 422, nothing written
    assert again.status_code == 422 and Region.objects.count() == 2
    assert client.post(PAGE, {**params, "replace": "on"}).status_code == 302
    assert Region.objects.active().count() == 2 and Region.objects.archived().count() == 2


def test_page_save_needs_csrf_token(world, page_urls, admin):
    client = Client(enforce_csrf_checks=True)
    client.force_login(admin)
    assert client.post(PAGE, {"year": YEAR}).status_code == 403
    assert Region.objects.count() == 0


@pytest.mark.integration
def test_whole_country_2022_from_shared_data(capsys):
    from conftest import SHARED_DATA
    from kraftsenter.places.importers.files import read_directory
    from kraftsenter.places.importers.load import load_places

    if not (SHARED_DATA / "pendling_kommune_2020_2022.csv").exists():
        pytest.fail(f"The shared reference data is missing at {SHARED_DATA}.")
    load_places(read_directory(SHARED_DATA))
    flows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with open(SHARED_DATA / "pendling_kommune_2020_2022.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["aar"] == "2022":
                home, work = row["bosted_kommunenummer_2024"], row["arbeidssted_kommunenummer_2024"]
                flows[home][work] += int(row["sysselsatte"])
    make_flows(2022, flows)

    started = time.perf_counter()
    data = load_region_data(2022)
    loaded = time.perf_counter()
    result = compute_regions(data, RegionParameters())
    done = time.perf_counter()
    with capsys.disabled():
        print(
            f"\ncompute_regions 2022: load {1000 * (loaded - started):.0f} ms, "
            f"compute {1000 * (done - loaded):.1f} ms"
        )

    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert len(rows) == 358 and {r[2] for r in rows[1:]} == {"centre", "hinterland", "alone"}
    a = result.assignments
    hamar = [n for n, x in a.items() if x.role == "hinterland" and x.centre == "3403"]
    assert sorted(hamar) == ["3411", "3412", "3413"]  # Ringsaker, Løten, Stange
    assert a["3403"].role == "centre" and a["3412"].reason == "split"  # Løten: also Elverum
    assert a["3405"].role == "centre" and {a["3440"].centre, a["3441"].centre} == {"3405"}
    assert (a["0301"].role, a["4601"].role, a["5001"].role) == ("alone",) * 3  # big cities
    assert a["3205"].reason == "larger_labour_market" and a["3205"].via == "0301"  # Lillestrøm
    assert a["1580"].reason == "no_commuting_data"  # Haram: its commuters sit in 1508 until 2024
    for x in a.values():  # every hinterland municipality passes the threshold
        assert x.role != "hinterland" or x.share >= 10.0
