"""Plan deadlines and duties are warnings saved with the plan and shown on its page, in the
county view and in the API; only impossible data is refused. Each council's own adoption of an
inter-municipal plan (pbl. § 9-3 tredje ledd)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from kraftsenter.agreements import services
from kraftsenter.agreements.models import Plan, PlanAdoption
from kraftsenter.core.history import history_for

from .conftest import bearer

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture(autouse=True)
def english(client):
    """The messages in English (the msgids), whatever the bokmål catalogue says."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


def codes(plan: Plan) -> dict[str, str]:
    return {w["code"]: w["field"] for w in plan.warnings}


def strategy(owner, **kw):
    data = dict(
        actor="t",
        title=f"Kommunal planstrategi {owner.name}",
        kind="municipal_planning_strategy",
        owner=owner,
        election_year=2023,
        constituted_on=D(2023, 10, 19),
    )
    data.update(kw)
    return services.plan_create(**data)


def late_strategy(owner, **kw):
    """Adopted 14 months after the constitution; the proposal public 20 days before."""
    data = dict(
        status="adopted",
        deadline=D(2024, 12, 19),
        proposal_published_on=D(2024, 11, 29),
        adopted_on=D(2024, 12, 19),
    )
    data.update(kw)
    return strategy(owner, **data)


def test_a_late_strategy_is_saved_with_its_warnings_not_refused(orgs):
    first = late_strategy(orgs["3403"])
    second = late_strategy(orgs["3412"])
    for plan in (first, second):
        plan.refresh_from_db()
        assert codes(plan) == {
            "strategy_planned_late": "deadline",
            "strategy_adopted_late": "adopted_on",
            "strategy_proposal_public": "proposal_published_on",
        }
        by_code = {w["code"]: w for w in plan.warnings}
        adopted = by_code["strategy_adopted_late"]
        assert adopted["message"].startswith("The deadline has passed")
        assert adopted["source"] == "pbl. § 10-1 første ledd"
        proposal = by_code["strategy_proposal_public"]
        assert "20 days" in proposal["message"]
        assert proposal["source"] == "pbl. § 10-1 andre ledd"
    assert Plan.objects.count() == 2
    in_time = strategy(orgs["5601"], deadline=D(2024, 6, 20), proposal_published_on=D(2024, 5, 1))
    assert in_time.warnings == []


def test_a_council_constituted_in_november_is_saved_with_a_warning(orgs):
    plan = strategy(orgs["3403"], constituted_on=D(2023, 11, 14))
    assert codes(plan) == {"constitution_late": "constituted_on"}
    assert plan.warnings[0]["source"] == "kommuneloven § 7-1 første ledd"
    # The strategy's deadline runs from the actual constitution.
    other = strategy(orgs["3412"], constituted_on=D(2023, 11, 14), deadline=D(2024, 11, 14))
    assert codes(other) == {"constitution_late": "constituted_on"}
    with pytest.raises(ValidationError):
        strategy(orgs["5601"], constituted_on=D(2024, 1, 9))


@pytest.mark.parametrize(
    "kind,owner,source",
    [
        ("regional_plan", "34", "pbl. § 8-3 tredje ledd"),
        ("regional_planning_strategy", "34", "pbl. § 7-2 første ledd"),
        ("land_use_part", "3403", "pbl. § 11-14 første ledd"),
        ("community_part", "3412", "pbl. § 11-14 første ledd"),
    ],
)
def test_a_four_week_hearing_is_saved_with_its_warning(orgs, kind, owner, source):
    plan = services.plan_create(
        actor="t",
        title="Plan på høring",
        kind=kind,
        owner=orgs[owner],
        election_year=2023,
        status="hearing",
        hearing_start=D(2024, 3, 1),
        hearing_end=D(2024, 3, 29),
        programme_hearing_start=D(2023, 12, 1),
        programme_hearing_end=D(2024, 1, 15),
    )
    [warning] = plan.warnings
    assert warning["code"] == "hearing_six_weeks" and warning["field"] == "hearing_end"
    assert warning["source"] == source and "28 days" in warning["message"]


def test_a_kommuneplan_on_hearing_without_a_planning_programme_is_warned(orgs):
    plan = services.plan_create(
        actor="t",
        title="Kommuneplanens arealdel Løten",
        kind="land_use_part",
        owner=orgs["3412"],
        status="hearing",
        hearing_start=D(2024, 3, 1),
        hearing_end=D(2024, 4, 15),
    )
    assert codes(plan) == {"planning_programme": "programme_hearing_start"}
    assert plan.warnings[0]["source"] == "pbl. § 4-1 første ledd"
    plan = services.plan_update(
        actor="t",
        plan=plan,
        expected_version=plan.version,
        programme_hearing_start=D(2023, 11, 1),
        programme_hearing_end=D(2023, 12, 1),
    )
    # The programme's hearing was 30 days: the one warning is replaced by another.
    assert codes(plan) == {"hearing_six_weeks": "programme_hearing_end"}
    assert plan.warnings[0]["source"] == "pbl. § 11-13 første ledd"


def test_an_update_refreshes_the_saved_warnings_in_one_history_entry(orgs):
    plan = late_strategy(orgs["3403"])
    plan = services.plan_update(
        actor="t",
        plan=plan,
        expected_version=plan.version,
        deadline=D(2024, 10, 17),
        adopted_on=D(2024, 10, 17),
        proposal_published_on=D(2024, 9, 1),
        reason="Riktig vedtaksdato",
    )
    assert plan.warnings == [] and plan.version == 2
    assert [c.action for c in history_for(plan)] == ["plan.updated", "plan.created"]
    plan.refresh_from_db()
    assert plan.warnings == []


def test_impossible_dates_are_still_refused_and_nothing_is_written(orgs):
    with pytest.raises(ValidationError) as caught:
        strategy(
            orgs["3403"],
            status="adopted",
            adopted_on=D(2024, 6, 1),
            proposal_published_on=D(2024, 6, 2),
            hearing_start=D(2024, 6, 3),
            hearing_end=D(2024, 5, 1),
        )
    found = {f: {e.code for e in errs} for f, errs in caught.value.error_dict.items()}
    assert found == {
        "proposal_published_on": {"proposal_after_adoption"},
        "hearing_start": {"hearing_after_adoption"},
        "hearing_end": {"period_order"},
    }
    with pytest.raises(ValidationError) as caught:
        strategy(orgs["3412"], status="adopted", adopted_on=D(2024, 6, 1), revised_on=D(2024, 5, 1))
    assert set(caught.value.error_dict) == {"revised_on"}
    assert Plan.objects.count() == 0


def test_an_action_part_of_a_thematic_sub_plan_is_revised_yearly(client, orgs):
    sub_plan = services.plan_create(
        actor="t",
        title="Kommunedelplan for klima og energi",
        kind="municipal_sub_plan",
        owner=orgs["3403"],
        status="adopted",
        adopted_on=D(2023, 6, 15),
        programme_hearing_start=D(2022, 9, 1),
        programme_hearing_end=D(2022, 10, 20),
    )
    action = services.plan_create(
        actor="t",
        title="Handlingsdel klima 2024–2027",
        kind="action_part",
        owner=orgs["3403"],
        parent=sub_plan,
        status="adopted",
        proposal_published_on=D(2023, 5, 25),
        adopted_on=D(2023, 6, 15),
    )
    html = client.get(f"/planer/{action.pk}/").content.decode()
    # Adopted in 2023, never revised: the yearly revision is past.
    assert "The deadline has passed: Next yearly revision of the action part" in html
    assert "pbl. § 11-2 tredje ledd" in html
    action = services.plan_update(
        actor="t", plan=action, expected_version=action.version, revised_on=dt.date.today()
    )
    html = client.get(f"/planer/{action.pk}/").content.decode()
    assert "The deadline has passed" not in html
    assert "Last yearly revision on" in html


def test_the_plan_page_shows_the_saved_warnings_of_each_plan(client, orgs):
    first = late_strategy(orgs["3403"])
    second = services.plan_create(
        actor="t",
        title="Regional plan for vannforvaltning",
        kind="regional_plan",
        owner=orgs["34"],
        status="hearing",
        hearing_start=D(2024, 3, 1),
        hearing_end=D(2024, 3, 29),
    )
    html = client.get(f"/planer/{first.pk}/").content.decode()
    assert html.count('data-code="strategy_') == 3
    assert "The deadline has passed: adopted on" in html
    assert "pbl. § 10-1 andre ledd" in html
    html = client.get(f"/planer/{second.pk}/").content.decode()
    assert 'data-code="hearing_six_weeks"' in html and 'data-code="planning_programme"' in html
    assert "pbl. § 8-3 tredje ledd" in html and "pbl. § 4-1 første ledd" in html
    assert "strategy_adopted_late" not in html


def test_the_county_view_shows_the_warnings_of_each_strategy(client, orgs):
    late_strategy(orgs["3403"])
    late_strategy(orgs["3412"], proposal_published_on=D(2024, 11, 1))
    html = client.get("/planer/fylker/34/?valgar=2023").content.decode()
    assert html.count('data-code="strategy_adopted_late"') == 2
    assert html.count('data-code="strategy_proposal_public"') == 1  # Løten's was 48 days
    assert html.count("Adopted after the deadline") >= 2
    # The county municipality registered nothing: its deadline has passed.
    assert "The deadline has passed" in html


def test_the_api_exposes_the_warnings_with_code_message_and_source(client, users, orgs):
    response = client.post(
        "/api/v1/plans",
        {
            "title": "Planstrategi Hamar",
            "kind": "municipal_planning_strategy",
            "owner": orgs["3403"].pk,
            "election_year": 2023,
            "constituted_on": "2023-10-19",
            "status": "adopted",
            "deadline": "2024-12-19",
            "proposal_published_on": "2024-11-29",
            "adopted_on": "2024-12-19",
        },
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    assert response.status_code == 201
    warnings = {w["code"]: w for w in response.json()["warnings"]}
    assert set(warnings) == {
        "strategy_planned_late",
        "strategy_adopted_late",
        "strategy_proposal_public",
    }
    assert warnings["strategy_adopted_late"]["source"] == "pbl. § 10-1 første ledd"
    assert warnings["strategy_adopted_late"]["field"] == "adopted_on"
    assert warnings["strategy_adopted_late"]["message"].startswith("The deadline has passed")
    listed = client.get("/api/v1/plans").json()["items"]
    assert [len(p["warnings"]) for p in listed] == [3]


# --- each council's adoption of an inter-municipal plan -----------------------------------------


@pytest.fixture
def joint(orgs):
    """An inter-municipal land-use plan of Hamar (owner), Løten and Innlandet, adopted."""
    return services.plan_create(
        actor="t",
        title="Interkommunal kommunedelplan for Mjøsstranda",
        kind="inter_municipal_plan",
        owner=orgs["3403"],
        partners=[orgs["3412"], orgs["34"]],
        status="adopted",
        adopted_on=D(2024, 11, 20),
    )


def adoption_warning(plan: Plan) -> str:
    plan.refresh_from_db()
    found = [w for w in plan.warnings if w["code"] == "participant_adoption"]
    return found[0]["message"] if found else ""


def test_each_council_adopts_for_its_own_area(joint, orgs, users):
    message = adoption_warning(joint)
    assert "pbl. § 9-3 tredje ledd" in message
    for name in ("Hamar", "Løten", "Innlandet"):
        assert name in message
    services.plan_adoption_record(
        actor=users["hamar"], plan=joint, organisation=orgs["3403"], adopted_on=D(2024, 11, 20)
    )
    message = adoption_warning(joint)
    assert "Hamar" not in message and "Løten" in message and "Innlandet" in message
    services.plan_adoption_record(
        actor=users["hamar"],
        plan=joint,
        organisation=orgs["3412"],
        adopted_on=D(2024, 12, 5),
        reference="24/887",
    )
    message = adoption_warning(joint)
    assert "Løten" not in message and "Innlandet" in message
    services.plan_adoption_record(
        actor=users["hamar"], plan=joint, organisation=orgs["34"], adopted_on=D(2024, 12, 10)
    )
    assert adoption_warning(joint) == ""
    assert PlanAdoption.objects.filter(plan=joint).count() == 3
    actions = [c.action for c in history_for(joint)]
    assert actions == ["plan.adoption_recorded"] * 3 + ["plan.created"]
    joint.refresh_from_db()
    assert joint.version == 4


def test_recording_an_adoption_again_replaces_its_date(joint, orgs):
    for day in (D(2024, 12, 5), D(2024, 12, 6)):
        services.plan_adoption_record(
            actor="t", plan=joint, organisation=orgs["3412"], adopted_on=day
        )
    [adoption] = PlanAdoption.objects.filter(plan=joint)
    assert adoption.adopted_on == D(2024, 12, 6)
    # The same again changes nothing and writes nothing.
    joint.refresh_from_db()
    version = joint.version
    services.plan_adoption_record(
        actor="t", plan=joint, organisation=orgs["3412"], adopted_on=D(2024, 12, 6)
    )
    joint.refresh_from_db()
    assert joint.version == version


def test_an_adoption_by_an_outsider_or_in_the_future_is_refused(joint, orgs, users):
    with pytest.raises(ValidationError) as caught:
        services.plan_adoption_record(
            actor="t", plan=joint, organisation=orgs["5601"], adopted_on=D(2024, 12, 1)
        )
    assert {e.code for e in caught.value.error_dict["organisation"]} == {"adoption_participant"}
    with pytest.raises(ValidationError) as caught:
        services.plan_adoption_record(
            actor="t",
            plan=joint,
            organisation=orgs["3412"],
            adopted_on=dt.date.today() + dt.timedelta(days=2),
        )
    assert set(caught.value.error_dict) == {"adopted_on"}
    with pytest.raises(PermissionDenied):
        services.plan_adoption_record(
            actor=users["outsider"],
            plan=joint,
            organisation=orgs["3412"],
            adopted_on=D(2024, 12, 1),
        )
    single = strategy(orgs["3403"])
    with pytest.raises(ValidationError) as caught:
        services.plan_adoption_record(
            actor="t", plan=single, organisation=orgs["3403"], adopted_on=D(2024, 6, 1)
        )
    assert {e.code for e in caught.value.error_dict["organisation"]} == {"adoption_participant"}
    assert PlanAdoption.objects.count() == 0
    assert [c.action for c in history_for(joint)] == ["plan.created"]


def test_the_adoption_page_and_api(client, joint, orgs, users):
    client.force_login(users["hamar"])
    page = client.get(f"/planer/{joint.pk}/")
    html = page.content.decode()
    assert f"/planer/{joint.pk}/vedtak/ny/" in html and "Not registered" in html
    response = client.post(
        f"/planer/{joint.pk}/vedtak/ny/",
        {"organisation": orgs["3412"].pk, "adopted_on": "2024-12-05", "reference": "24/887"},
    )
    assert response.status_code == 302
    html = client.get(f"/planer/{joint.pk}/").content.decode()
    assert "24/887" in html and html.count("Not registered") == 2
    history = client.get(f"/planer/{joint.pk}/historikk/").content.decode()
    assert "Løten" in history
    response = client.post(
        f"/api/v1/plans/{joint.pk}/adoptions",
        {"organisation": orgs["34"].pk, "adopted_on": "2024-12-10"},
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    assert response.status_code == 200
    body = response.json()
    assert sorted(a["organisation"] for a in body["adoptions"]) == sorted(
        [orgs["3412"].pk, orgs["34"].pk]
    )
    [warning] = [w for w in body["warnings"] if w["code"] == "participant_adoption"]
    assert "Hamar" in warning["message"] and "Løten" not in warning["message"]
    response = client.post(
        f"/api/v1/plans/{joint.pk}/adoptions",
        {"organisation": orgs["5601"].pk, "adopted_on": "2024-12-10"},
        content_type="application/json",
        headers=bearer(users["hamar"]),
    )
    assert response.status_code == 422
    assert [e["code"] for e in response.json()["errors"]] == ["adoption_participant"]


def test_the_plan_list_and_csv_mark_the_plans_with_warnings(client, orgs):
    late_strategy(orgs["3403"])
    late_strategy(orgs["3412"], proposal_published_on=D(2024, 11, 1))
    strategy(orgs["5601"])
    html = client.get("/planer/").content.decode()
    assert "3 warnings" in html and "2 warnings" in html and html.count("ks-deadline-badge") == 2
    response = client.get("/planer/?format=csv")
    csv = b"".join(response.streaming_content).decode()
    assert csv.count("strategy_adopted_late") == 2 and csv.count("strategy_proposal_public") == 1
