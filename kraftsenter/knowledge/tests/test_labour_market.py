"""Labour-market regions for the whole country: each step of the method, both sides of
self-containment, the command and the page in this mode, the two modes side by side, bad input,
and the whole country from ../shared/data.

The small world below has three labour markets, a municipality without figures and a remote one.
Jobs (column sums): Storby 10 480, Jobby 5 200, Byen 3 460, Forstad 1 030, Tettsted 980.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict

import pytest
from django.core.management import CommandError, call_command
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns
from kraftsenter.knowledge import labour_market as lm
from kraftsenter.knowledge.labour_market import LabourMarketParameters, compute_both_for_year
from kraftsenter.knowledge.models import CommutingFlow
from kraftsenter.knowledge.region_views import region_compute
from kraftsenter.knowledge.regions import RegionInputError, RegionParameters, save_regions
from kraftsenter.places.choices import RegionSource
from kraftsenter.places.models import County, Municipality, PopulationFigure, Region

YEAR = 2022
S, F, J, T, B, G, X, Y, Z, R, W, K = (f"50{n:02d}" for n in range(1, 13))
WORLD = {  # number: (name, population 1 January 2023, centrality class)
    S: ("Storby", 100_000, 1),  # the biggest job centre
    F: ("Forstad", 8_000, 2),  # 40 % to Storby: no centre, attaches to Storby
    J: ("Jobby", 12_000, 3),  # large job centre: 12 % to Storby, 18 % to its region; stays
    T: ("Tettsted", 6_000, 4),  # small centre: 8 % to Storby, 12 % to its region; folds
    B: ("Byen", 9_000, 4),  # centre of a second labour market, 5 % to Storby
    G: ("Bygda", 2_000, 5),  # 30 % to Byen
    X: ("Mellom", 3_000, 5),  # 20 % to Byen, 15 % to Storby: the centre receiving most wins
    Y: ("Kjede", 1_500, 5),  # 30 % to Bygda and nothing to any centre: via Bygda to Byen
    Z: ("Tomrom", 500, 6),  # no commuting figures: a centre of its own
    R: ("Fjern", 1_000, 6),  # 5 % to Byen: a region of its own
    W: ("Verksted", 4_000, 4),  # 40 % to Jobby
    K: ("Kanten", 1_200, 5),  # 11 % to Byen, 19 % to Storby's region: folds into Storby's
}
FLOWS = {  # home: {work: employed}
    S: {S: 9_000, J: 300, B: 100},
    F: {F: 600, S: 400},
    J: {J: 4_100, S: 600, F: 300},
    T: {T: 880, S: 80, F: 40},
    B: {B: 2_850, S: 150},
    G: {G: 700, B: 300},
    X: {X: 650, B: 200, S: 150},
    Y: {Y: 700, G: 300},
    R: {R: 500, B: 25},
    W: {W: 1_200, J: 800},
    K: {K: 700, B: 110, S: 100, F: 90},
}
NUMBERS = sorted(WORLD)
DEFAULTS = LabourMarketParameters()


def delimit(flows=FLOWS, numbers=NUMBERS, **parameters):
    return lm.delimit(flows, numbers, LabourMarketParameters(**parameters))


def regions_of(placements) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for number, p in sorted(placements.items()):
        out[p.region].append(number)
    return dict(out)


# --- The method, step by step (pure: no database) --------------------------------------------


def test_defaults_are_the_documented_ones():
    assert (DEFAULTS.centre_percent, DEFAULTS.fold_percent) == (15.0, 10.0)
    assert (DEFAULTS.large_jobs, DEFAULTS.large_percent) == (5_000, 20.0)


def test_delimit_places_every_municipality_in_one_region():
    assert regions_of(delimit()) == {
        S: [S, F, T, K],
        J: [J, W],
        B: [B, G, X, Y],
        Z: [Z],
        R: [R],
    }


def test_step_1_centres_send_less_than_the_threshold_to_each_bigger_place():
    t = lm.totals(FLOWS)
    assert t.jobs[S] == 10_480 and t.employed[J] == 5_000
    assert lm.find_centres(FLOWS, NUMBERS, t, DEFAULTS) == {S, J, T, B, Z, R, K}
    # Mellom sends 20 % to Byen: a centre only when the threshold is above that.
    assert X in lm.find_centres(FLOWS, NUMBERS, t, LabourMarketParameters(centre_percent=21))


def test_step_1_the_share_to_one_place_counts_not_the_sum():
    # Kanten sends 11 % to Byen, 10 % to Storby and 9 % to Forstad: 30 % away, 11 % at most.
    k = delimit()[K]
    assert k.reason == "folded" and k.via == S and k.share == pytest.approx(19.0)


def test_step_2_a_municipality_attaches_to_the_centre_receiving_most_of_its_commuters():
    placements = delimit()
    x = placements[X]  # 200 to Byen, 150 to Storby, although Storby has three times the jobs
    assert (x.region, x.role, x.reason, x.via, x.share) == (B, "hinterland", "commutes", B, 20.0)
    f = placements[F]
    assert (f.region, f.reason, f.share) == (S, "commutes", 40.0)


def test_step_2_without_flows_to_any_centre_it_follows_its_largest_flow():
    y = delimit()[Y]
    assert (y.region, y.reason, y.via, y.share) == (B, "via_hinterland", G, 30.0)


def test_step_3_a_small_centre_folds_into_a_bigger_region_past_the_threshold():
    t = delimit()[T]  # 8 % to Storby and 4 % to Forstad, which is in Storby's region
    assert (t.region, t.role, t.reason, t.via) == (S, "hinterland", "folded", S)
    assert t.share == pytest.approx(12.0)
    assert delimit(fold_percent=12.5)[T].role == "centre"  # below the threshold it stays


def test_step_3_a_large_job_centre_is_not_absorbed_at_a_low_share():
    j = delimit()[J]  # 5 200 jobs: a large job centre; 18 % to Storby's region
    assert (j.role, j.region, j.reason) == ("centre", J, "self_contained")
    assert j.share == pytest.approx(82.0)
    # As a small centre (5 200 jobs below the bar) 18 % is enough, and Verksted goes along.
    small = delimit(large_jobs=6_000)
    assert (small[J].region, small[J].reason, small[W].region) == (S, "folded", S)
    assert delimit(large_percent=18)[J].region == S


def test_step_3_a_centre_with_few_commuters_anywhere_stays_alone():
    r = delimit()[R]
    assert (r.role, r.region, r.reason) == ("centre", R, "self_contained")
    assert r.share == pytest.approx(500 / 525 * 100)


def test_a_municipality_without_flows_is_its_own_centre():
    z = delimit()[Z]
    assert (z.role, z.region, z.reason, z.share) == ("centre", Z, "no_commuting_data", 0.0)


def test_ties_go_to_more_jobs_then_the_lower_number_whatever_the_order():
    p, q, v, u = "6001", "6002", "6003", "6004"
    flows = {  # Pe and Qu have the same jobs (1 220); V and U send them the same
        q: {q: 900},
        p: {p: 900},
        v: {v: 600, q: 200, p: 200},  # 20 % to each: no centre, attaches to the tie's winner
        u: {u: 760, q: 120, p: 120},  # 12 % to each: a centre that folds into the winner
    }
    t = lm.totals(flows)
    assert t.jobs[p] == t.jobs[q] == 1_220 and t.outranks(p, q)
    placements = lm.delimit(flows, [q, v, u, p], DEFAULTS)
    assert regions_of(placements) == {p: [p, v, u], q: [q]}
    reordered = {home: dict(reversed(row.items())) for home, row in reversed(flows.items())}
    assert lm.delimit(reordered, [p, u, v, q], DEFAULTS) == placements
    # More jobs beat the lower number: give Qu one more job.
    more = {**flows, q: {q: 901}}
    assert lm.delimit(more, [p, q, u, v], DEFAULTS)[v].region == q


def test_flows_to_places_outside_the_list_are_left_out():
    flows = {**FLOWS, F: {**FLOWS[F], "9999": 5_000}}  # e.g. a number no longer valid
    assert delimit(flows=flows)[F].share == pytest.approx(40.0)
    assert "9999" not in delimit(flows=flows)


def test_self_containment_has_two_sides():
    region_of = {S: S, F: S, T: S, K: S}
    both = lm.self_containment(FLOWS, region_of)[S]
    # Residents: 12 400 employed, 11 890 of them work in the region (supply side).
    assert (both.employed, both.living_and_working) == (12_400, 11_890)
    assert both.residents_percent == pytest.approx(11_890 / 12_400 * 100)
    # Jobs: 13 090 jobs, 11 890 held by residents (demand side).
    assert both.jobs == 13_090
    assert both.jobs_percent == pytest.approx(11_890 / 13_090 * 100)
    empty = lm.self_containment(FLOWS, {Z: Z})[Z]
    assert (empty.residents_percent, empty.jobs_percent) == (None, None)


def test_bad_parameters_are_named_with_their_value():
    errors = lm.validate_parameters(
        LabourMarketParameters(centre_percent=101, fold_percent=-1, large_jobs=-5)
    )
    assert set(errors) == {"centre_percent", "fold_percent", "large_jobs"}
    assert "101" in errors["centre_percent"][0] and "-5" in errors["large_jobs"][0]
    assert lm.validate_parameters(LabourMarketParameters(large_percent=0)) == {}


# --- In the platform: the command and the page ------------------------------------------------


@pytest.fixture
def world(db):
    county = County.objects.create(
        number="50", name="Trøndelag", name_nb="Trøndelag", valid_from=dt.date(2024, 1, 1)
    )
    ids = {}
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
        ids[number] = m.pk
    CommutingFlow.objects.bulk_create(
        CommutingFlow(year=YEAR, home_id=ids[h], work_id=ids[w], employed=n)
        for h, row in FLOWS.items()
        for w, n in row.items()
    )


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("compute_regions", "--year", str(YEAR), *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_command_csv_in_labour_market_mode(world):
    rows = list(csv.reader(io.StringIO(run("--mode", "labour-market", "--format", "csv"))))
    assert rows[0] == ["kommunenummer", "centre_kommunenummer", "role"]
    assert [r[0] for r in rows[1:]] == NUMBERS
    assert {r[2] for r in rows[1:]} == {"centre", "hinterland"}  # "alone" is not used
    for row in ([T, S, "hinterland"], [X, B, "hinterland"], [Z, Z, "centre"], [J, J, "centre"]):
        assert row in rows


def test_command_small_town_mode_stays_the_default(world):
    default = run("--format", "csv")
    assert default == run("--mode", "small-town", "--format", "csv")
    assert [Z, Z, "alone"] in list(csv.reader(io.StringIO(default)))


def test_command_table_in_labour_market_mode_counts_the_regions(world):
    text = run("--mode", "labour-market", "--fold-threshold", "12.5")
    # The command speaks bokmål, the site's language.
    assert "2022: 6 arbeidsmarkedsregioner, 3 av dem med én kommune" in text
    for number in WORLD:
        assert f"\n{number} " in text


def test_command_save_labour_market_regions_beside_small_town_ones(world):
    run("--save")
    run("--mode", "labour-market", "--save")
    market = Region.objects.filter(source_detail__method=lm.METHOD)
    assert market.count() == 5 and Region.objects.count() == 5 + 3
    storby = market.get(centre__number=S)
    assert storby.name == "Storby arbeidsmarkedsregion (beregnet 2022)"
    assert sorted(storby.hinterland.values_list("number", flat=True)) == [F, T, K]
    detail = storby.source_detail
    assert detail["parameters"] == {
        "centre_percent": 15.0,
        "fold_percent": 10.0,
        "large_jobs": 5_000,
        "large_percent": 20.0,
    }
    assert detail["members"][T]["reason"] == "folded" and detail["method_version"] == 1
    with pytest.raises(CommandError):  # saved already: replace, or nothing is written
        run("--mode", "labour-market", "--save")
    run("--mode", "labour-market", "--save", "--replace", "--fold-threshold", "15")  # Tettsted
    assert Region.objects.active().filter(source_detail__method=lm.METHOD).count() == 6
    assert Region.objects.active().filter(source=RegionSource.COMPUTED).count() == 6 + 3
    assert Region.objects.archived().filter(source_detail__method=lm.METHOD).count() == 5


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--mode", "commuting"], "commuting"),
        (["--mode", "labour-market", "--year", "2019"], "2022"),
        (["--mode", "labour-market", "--fold-threshold", "101"], "--fold-threshold"),
        (["--mode", "labour-market", "--centre-threshold", "-1"], "--centre-threshold"),
        (["--mode", "labour-market", "--large-jobs", "-10"], "--large-jobs"),
        (["--mode", "labour-market", "--centres", B], "--centres"),
        (["--mode", "labour-market", "--threshold", "12"], "--threshold"),
        (["--fold-threshold", "12"], "--fold-threshold"),
    ],
)
def test_command_bad_input_is_precise_and_saves_nothing(world, args, needle):
    with pytest.raises(CommandError) as info:
        run(*args, "--save")
    assert needle in str(info.value)
    assert Region.objects.count() == 0


def test_both_modes_from_one_load_and_every_problem_at_once(world, django_assert_num_queries):
    with django_assert_num_queries(2):
        both = compute_both_for_year(YEAR, RegionParameters(), DEFAULTS)
    assert both.result("labour-market").method == lm.METHOD
    assert both.result("small-town").regions() == {B: [B, G, X, K], J: [J, W], T: [T]}
    with pytest.raises(RegionInputError) as info:
        compute_both_for_year(
            2019, RegionParameters(threshold_percent=200), LabourMarketParameters(fold_percent=-1)
        )
    assert set(info.value.errors) == {"year", "threshold_percent", "fold_percent"}


def test_compare_modes_names_the_municipalities_that_move(world):
    both = compute_both_for_year(YEAR, RegionParameters(), DEFAULTS)
    side = lm.compare_modes(both.small_town, both.labour_market, both.flows)
    # Kanten is Byen's small-town hinterland (11 %) but folds into Storby's labour market (19 %).
    assert side.moves == [lm.Move(K, B, S, B)]
    by_centre = {s.centre: s for s in side.regions}
    assert by_centre[S].small_town_centres == [T]  # Tettsted's small-town region nests
    assert by_centre[S].in_no_small_town_region == [S, F]
    assert by_centre[J].small_town_centres == [J] and by_centre[R].in_no_small_town_region == [R]
    assert [s.centre for s in side.regions][:3] == [S, J, B]  # most employed residents first


urlpatterns = [path("test/regioner/beregn/", region_compute), *site_urlpatterns]
PAGE = "/test/regioner/beregn/"
FORM = {
    "year": YEAR,
    "mode": "labour-market",
    "min_population": 5000,
    "max_population": 50000,
    "centrality_classes": [2, 3, 4, 5],
    "threshold_percent": 10,
    "larger_market_percent": 15,
}


@pytest.fixture
def page_urls(settings):
    settings.ROOT_URLCONF = __name__


def test_page_labour_market_mode_with_the_two_modes_side_by_side(world, page_urls, client):
    response = client.get(PAGE, FORM)  # the labour-market parameters left empty: defaults
    assert response.status_code == 200
    assert response.context["mode"] == "labour-market"
    assert response.context["result"].method == lm.METHOD
    assert response.context["counts"] == {"centre": 5, "hinterland": 7, "alone": 0}
    assert response.context["alone"] == []
    moves = response.context["moves"]
    assert [(m["name"], m["small_town"], m["labour_market"]) for m in moves] == [
        ("Kanten", "Byen", "Storby")
    ]
    summaries = {r["centre_name"]: r for r in response.context["summaries"]}
    storby = summaries["Storby"]["s"].containment
    assert storby.residents_percent == pytest.approx(11_890 / 12_400 * 100)
    page = response.content.decode()
    for text in ("Bosattes selvforsyningsgrad", "Arbeidsplassenes selvforsyningsgrad", "Kanten"):
        assert text in page


def test_page_small_town_mode_shows_the_labour_market_side_too(world, page_urls, client):
    response = client.get(PAGE)  # defaults: small-town regions
    assert response.status_code == 200 and response.context["mode"] == "small-town"
    assert response.context["counts"] == {"centre": 3, "hinterland": 4, "alone": 5}
    assert len(response.context["moves"]) == 1
    side = {r["centre_name"]: r for r in response.context["side_by_side"]}
    assert side["Storby"]["small_town"] == "Tettsted" and "Fjern" not in side
    assert response.context["single"] == 2  # Fjern and Tomrom: alone in both modes


def test_page_link_that_names_only_the_mode(world, page_urls, client):
    response = client.get(PAGE, {"mode": "labour-market"})
    assert response.status_code == 200 and response.context["result"].method == lm.METHOD


def test_page_csv_in_labour_market_mode(world, page_urls, client):
    response = client.get(PAGE, {**FORM, "format": "csv"})
    assert "arbeidsmarkedsregioner-2022.csv" in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "kommunenummer,centre_kommunenummer,role" and len(lines) == 13
    assert f"{K},{S},hinterland" in lines


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"fold_percent": 150}, {"fold_percent"}),
        ({"large_jobs": -1}, {"large_jobs"}),
        ({"mode": "commuting"}, {"mode"}),
        ({"year": 2019, "centre_percent": -3}, {"year", "centre_percent"}),
    ],
)
def test_page_bad_input_is_422_on_the_field(world, page_urls, client, changes, fields):
    response = client.get(PAGE, {**FORM, **changes})
    assert response.status_code == 422
    assert set(response.context["form"].errors) == fields
    assert response.context["result"] is None


def test_page_save_labour_market_regions_is_for_site_admins(
    world, page_urls, client, django_user_model
):
    assert client.post(PAGE, FORM).status_code == 403
    admin = django_user_model.objects.create_superuser("admin", password="x-very-long-1")
    client.force_login(admin)
    response = client.post(PAGE, FORM)
    assert response.status_code == 302 and "mode=labour-market" in response["Location"]
    assert Region.objects.filter(source_detail__method=lm.METHOD).count() == 5
    assert client.post(PAGE, {**FORM, "fold_percent": 101}).status_code == 422
    assert Region.objects.count() == 5


def test_saving_needs_the_year_to_have_data(world):
    with pytest.raises(RegionInputError) as info:
        lm.compute_for_year(2019, DEFAULTS)
    assert "2022" in info.value.errors["year"][0]
    result = lm.compute_for_year(YEAR, DEFAULTS)
    created, archived = save_regions(result)
    assert (len(created), archived) == (5, 0)


# --- The whole country (../shared/data) -----------------------------------------------------


def _real_flows(year: int) -> dict[str, dict[str, int]]:
    from conftest import SHARED_DATA

    source = SHARED_DATA / "pendling_kommune_2020_2022.csv"
    if not source.exists():
        pytest.skip(f"The shared reference data is not at {SHARED_DATA} (real-data test).")
    flows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    with open(source, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["aar"] == str(year):
                home, work = row["bosted_kommunenummer_2024"], row["arbeidssted_kommunenummer_2024"]
                flows[home][work] += int(row["sysselsatte"])
    return {home: dict(row) for home, row in flows.items()}


def _real_numbers() -> list[str]:
    from conftest import SHARED_DATA

    with open(SHARED_DATA / "kommuner_2024.csv", encoding="utf-8") as handle:
        return [row["kommunenummer"] for row in csv.DictReader(handle)]


@pytest.mark.integration
def test_whole_country_2022_from_shared_data():
    flows = _real_flows(2022)
    numbers = _real_numbers()
    placements = lm.delimit(flows, numbers, DEFAULTS)
    assert len(numbers) == 357 and sorted(placements) == sorted(numbers)
    regions = regions_of(placements)
    # 159 official BA regions (TØI 1713/2019, with travel time); commuting alone gives 149, and
    # docs/labour-market-regions-method.md documents 140-180 as the band to expect.
    assert 140 <= len(regions) <= 180
    assert placements["1580"].reason == "no_commuting_data"  # Haram: counted in Ålesund

    def members(centre: str) -> set[str]:
        return set(regions[placements[centre].region])

    # Oslo with its commuter belt: Bærum, Asker, Lillestrøm, Nordre Follo, Ullensaker, Nesodden,
    # Ås, Lørenskog, Rælingen, Nittedal.
    belt = {"3201", "3203", "3205", "3207", "3209", "3212", "3218", "3222", "3224", "3232"}
    assert belt <= members("0301") and placements["0301"].role == "centre"
    assert {"5001", "5031", "5028", "5029"} <= members("5001")  # Trondheim, Malvik, Melhus, Skaun
    assert {"4601", "4627", "4626", "4631", "4624"} <= members("4601")  # Bergen, Askøy ...
    assert members("3403") == {"3403", "3411", "3412", "3413"}  # Hamar, Ringsaker, Løten, Stange
    # Tromsø nearly alone: five small neighbours (Balsfjord, Karlsøy, Lyngen, Storfjord, Kåfjord).
    assert members("5501") == {"5501", "5532", "5534", "5536", "5538", "5540"}
    assert members("5601") == {"5601", "5614"}  # Alta and Loppa (12.6 %): see the method document
    assert placements["1119"].region == "1103"  # Hå (Jæren) in Stavanger's region


@pytest.mark.integration
def test_whole_country_is_stable_from_year_to_year():
    numbers = _real_numbers()
    by_year = {y: lm.delimit(_real_flows(y), numbers, DEFAULTS) for y in (2020, 2021, 2022)}

    def changed(a: int, b: int) -> int:
        return sum(by_year[a][n].region != by_year[b][n].region for n in numbers)

    assert [len(regions_of(by_year[y])) for y in (2020, 2021, 2022)] == [146, 149, 149]
    assert (changed(2021, 2022), changed(2020, 2021), changed(2020, 2022)) == (7, 15, 16)


@pytest.mark.integration
def test_whole_country_regions_hold_most_of_their_workers():
    flows = _real_flows(2022)
    placements = lm.delimit(flows, _real_numbers(), DEFAULTS)
    containment = lm.self_containment(flows, {n: p.region for n, p in placements.items()})
    worst = min(c.residents_percent for c in containment.values() if c.residents_percent)
    assert worst >= 60.0
