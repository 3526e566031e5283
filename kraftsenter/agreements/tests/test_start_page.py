"""The start page (kraftsenter/portal/start.py): search, the home region's figures and the open
consultations for everyone; an organisation's deadlines, follow-ups and recent changes for its
members. Bounded queries, and the anonymous page served from the anonymous response cache."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext

from kraftsenter.actors.services import organisation_create, organisation_update
from kraftsenter.agreements import services
from kraftsenter.consultations.services import consultation_create
from kraftsenter.places.models import Municipality, Region
from kraftsenter.places.services import region_create
from kraftsenter.portal.start import key_figures

from .conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(orgs):
    return region_create(
        actor="t",
        name="Hamarregionen",
        centre=Municipality.objects.get(number="3403"),
        hinterland=[Municipality.objects.get(number="3412")],
    )


@pytest.fixture
def cases(orgs):
    """Two open consultations of Karasjok; the second has an answer deadline."""
    karasjok = orgs["5610"]
    municipality = Municipality.objects.get(number="5610")
    first = consultation_create(
        actor="t",
        title="Kommuneplanens samfunnsdel",
        kind="plan",
        plan_kind="community_part",
        authority=karasjok,
        municipalities=[municipality],
    )
    second = consultation_create(
        actor="t",
        title="Reguleringsplan for sentrum",
        kind="plan",
        plan_kind="zoning",
        authority=karasjok,
        municipalities=[municipality],
    )
    return [first, second]


def test_start_page_anonymous_has_search_for_places_organisations_and_cooperations(client, orgs):
    html = client.get("/").content.decode()
    assert 'role="search"' in html and 'action="/sok/"' in html
    assert 'formaction="/organisasjoner/"' in html
    assert 'formaction="/samarbeid/"' in html
    # Not a list of counties any more.
    assert 'href="/fylker/34/"' not in html


def test_start_page_shows_the_home_region_figures_with_no_data_never_zero(client, region, settings):
    settings.KRAFTSENTER_HOME_REGION = region.slug
    html = client.get("/").content.decode()
    assert 'data-ks-card="key-figures"' in html and region.name in html
    figures = key_figures(Region.objects.get(pk=region.pk))
    assert figures is not None
    # The small fixture has population but no employment or commuting: "no data", not 0.
    assert figures.population.value is not None
    assert figures.jobs.value is None and figures.in_commuting_share.value is None
    card = html.split('data-ks-card="key-figures"')[1].split("</section>")[0]
    assert card.count('class="ks-nodata"') >= 3
    assert ">0<" not in card


def test_start_page_without_any_region_leaves_the_figures_out(client, orgs):
    assert 'data-ks-card="key-figures"' not in client.get("/").content.decode()


def test_start_page_lists_open_consultations_and_leaves_out_archived_ones(client, cases):
    from kraftsenter.consultations.services import consultation_archive

    html = client.get("/").content.decode()
    for case in cases:
        assert f'href="{case.get_absolute_url()}"' in html
    consultation_archive(actor="t", consultation=cases[1])
    html = client.get("/").content.decode()
    assert f'href="{cases[0].get_absolute_url()}"' in html
    assert f'href="{cases[1].get_absolute_url()}"' not in html


def test_start_page_anonymous_is_served_from_the_cache(client, region, cases, settings):
    settings.KRAFTSENTER_PAGE_CACHE = True
    caches["pages"].clear()
    assert client.get("/")["X-Cache"] == "miss"
    second = client.get("/")
    assert second["X-Cache"] == "hit" and cases[0].title in second.content.decode()


def test_start_page_logged_in_is_not_cached_and_shows_the_organisation_desk(
    client, users, orgs, commitment, settings
):
    settings.KRAFTSENTER_PAGE_CACHE = True
    caches["pages"].clear()
    client.force_login(users["hamar"])
    response = client.get("/")
    assert "X-Cache" not in response
    html = response.content.decode()
    assert f'data-ks-desk="{orgs["3403"].pk}"' in html
    # The commitment due 30 June 2025 is overdue: a follow-up with its status tag.
    follow_ups = html.split('data-ks-card="follow-ups"')[1].split("</article>")[0]
    assert f'href="{commitment.get_absolute_url()}"' in follow_ups
    assert 'data-status="overdue"' in follow_ups
    # Another organisation's member does not see Hamar's desk.
    client.force_login(users["outsider"])
    html = client.get("/").content.decode()
    assert f'data-ks-desk="{orgs["3403"].pk}"' not in html
    assert f'data-ks-desk="{orgs["5601"].pk}"' in html


def test_start_page_shows_the_second_and_third_organisation_of_a_member(client, orgs):
    from kraftsenter.actors.services import membership_add

    user = make_user("tre-org", orgs["3403"])
    membership_add(actor="t", organisation=orgs["3412"], user=user, role="editor")
    membership_add(actor="t", organisation=orgs["34"], user=user, role="editor")
    client.force_login(user)
    html = client.get("/").content.decode()
    for key in ("3403", "3412", "34"):
        assert f'data-ks-desk="{orgs[key].pk}"' in html


def test_start_page_recent_changes_are_those_made_for_the_organisation(client, users, orgs):
    hamar_admin = users["hamar_admin"]
    organisation_update(
        actor=hamar_admin,
        organisation=orgs["3403"],
        expected_version=orgs["3403"].version,
        website="https://www.hamar.kommune.no",
    )
    client.force_login(users["hamar"])
    html = client.get("/").content.decode()
    assert html.count("data-ks-change") == 1
    assert f'href="{orgs["3403"].get_absolute_url()}"' in html.split('id="recent-changes"')[1]
    # Løten's editor sees no change made for Hamar.
    client.force_login(users["loten"])
    assert "data-ks-change" not in client.get("/").content.decode()


def test_start_page_deadline_shows_the_statutory_status_wording(client, users, orgs, commitment):
    report = services.report_create(
        actor="t",
        agreement=commitment.agreement,
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2024, 12, 31),
        due_date=dt.date(2025, 3, 1),
    )
    client.force_login(users["hamar"])
    html = client.get("/").content.decode()
    deadlines = html.split('data-ks-card="deadlines"')[1].split("</article>")[0]
    assert f'href="{report.get_absolute_url()}"' in deadlines
    with translation.override("nb"):
        assert gettext("The deadline has passed") in deadlines


@pytest.mark.parametrize("extra", [0, 4])
def test_start_page_query_count_does_not_grow_with_the_data(
    client, users, orgs, active_agreement, region, cases, extra, django_assert_max_num_queries
):
    for n in range(extra):
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["3403"],
            description=f"Tiltak {n}",
            due_date=dt.date(2025, 1, 1) + dt.timedelta(days=n),
        )
        organisation_update(
            actor=users["hamar_admin"],
            organisation=orgs["3403"],
            expected_version=None,
            website=f"https://hamar{n}.example.no",
        )
    with django_assert_max_num_queries(15):
        assert client.get("/").status_code == 200
    client.force_login(users["hamar"])
    with django_assert_max_num_queries(40):
        assert client.get("/").status_code == 200


def _links(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_start_page_deadlines_are_the_dashboards_that_need_attention(
    client, users, orgs, commitment
):
    """The desk reads plans, reports and ownership deadlines itself (not the whole dashboard):
    it lists what the organisation's dashboard lists as needing attention, and no standing
    ownership task (they have no deadline)."""
    from kraftsenter.agreements.dashboards import organisation_dashboard
    from kraftsenter.agreements.planning import current_election_year
    from kraftsenter.ownership.services import interest_create

    hamar = orgs["3403"]
    year = current_election_year(dt.date.today())
    strategy = services.plan_create(
        actor="t",
        title="Kommunal planstrategi Hamar",
        kind="municipal_planning_strategy",
        owner=hamar,
        election_year=year,
    )
    reports = [
        services.report_create(
            actor="t",
            agreement=commitment.agreement,
            period_start=start,
            period_end=end,
            due_date=end + dt.timedelta(days=60),
        )
        for start, end in [
            (dt.date(2024, 1, 1), dt.date(2024, 6, 30)),
            (dt.date(2024, 7, 1), dt.date(2024, 12, 31)),
            (dt.date(2025, 1, 1), dt.date(2025, 6, 30)),
        ]
    ]
    company = organisation_create(actor="t", name="Hamar Energi AS", kind="as")
    interest_create(actor="t", holder=hamar, kind="as_wholly_owned", entity=company)
    client.force_login(users["hamar"])
    html = client.get("/").content.decode()
    desk = html.split(f'data-ks-desk="{hamar.pk}"')[1].split("</section>")[0]
    deadlines = desk.split('data-ks-card="deadlines"')[1].split("</article>")[0]
    for report in reports:  # the second and third report too
        assert f'href="{report.get_absolute_url()}"' in deadlines
    assert f'href="{strategy.get_absolute_url()}"' in deadlines
    data = organisation_dashboard(user=users["hamar"], organisation=hamar, today=dt.date.today())
    dated = [d for d in data.ownership_deadlines if d.needs_attention]
    standing = [d for d in data.ownership_deadlines if d.status == "standing"]
    assert dated and standing  # the control plan is overdue; the company has meetings
    with translation.override("nb"):
        for d in dated:
            assert str(d.label) in deadlines
        for d in standing:
            assert str(d.label) not in deadlines
    # The follow-ups are the dashboard's first overdue commitments.
    follow_ups = desk.split('data-ks-card="follow-ups"')[1].split("</article>")[0]
    assert [reverse("agreements:commitment-detail", args=[c.pk]) for c in data.overdue] == [
        link for link in _links(follow_ups) if "/forpliktelser/" in link
    ]


def test_start_page_recent_changes_of_two_organisations_are_merged_newest_first(
    client, users, orgs
):
    from kraftsenter.actors.services import membership_add

    hamar, loten = orgs["3403"], orgs["3412"]
    loten_admin = make_user("loten-admin", loten, role="admin")
    both = make_user("begge", hamar)
    membership_add(actor="t", organisation=loten, user=both, role="editor")
    for n, (admin, organisation) in enumerate(
        [(users["hamar_admin"], hamar), (loten_admin, loten), (users["hamar_admin"], hamar)]
    ):
        organisation.refresh_from_db()
        organisation_update(
            actor=admin,
            organisation=organisation,
            expected_version=organisation.version,
            website=f"https://endring{n}.example.no",
        )
    client.force_login(both)
    changes = client.get("/").content.decode().split('id="recent-changes"')[1]
    changes = changes.split("</section>")[0]
    assert _links(changes) == [
        hamar.get_absolute_url(),
        loten.get_absolute_url(),
        hamar.get_absolute_url(),
    ]


def test_start_page_desks_read_together_keep_each_organisations_own_deadlines(client, orgs):
    """Plans and ownership documents are read for all the member's organisations at once:
    each desk still lists only its own (the second and third organisation too)."""
    from kraftsenter.actors.services import membership_add
    from kraftsenter.agreements.planning import current_election_year
    from kraftsenter.ownership.deadlines import control_plan_deadline

    year = current_election_year(dt.date.today())
    hamar, loten = orgs["3403"], orgs["3412"]
    club = organisation_create(actor="t", name="Aaa idrettslag", kind="association")
    user = make_user("tre-skrivebord", hamar)
    for organisation in (loten, club):
        membership_add(actor="t", organisation=organisation, user=user, role="editor")
    strategies = {
        key: services.plan_create(
            actor="t",
            title=f"Kommunal planstrategi {organisation.name}",
            kind="municipal_planning_strategy",
            owner=organisation,
            election_year=year,
        )
        for key, organisation in (("3403", hamar), ("3412", loten))
    }
    client.force_login(user)
    html = client.get("/").content.decode()

    def deadlines(organisation) -> str:
        desk = html.split(f'data-ks-desk="{organisation.pk}"')[1].split("</section>")[0]
        return desk.split('data-ks-card="deadlines"')[1].split("</article>")[0]

    control_plan = control_plan_deadline([], dt.date.today())
    with translation.override("nb"):
        label = str(control_plan.label)
    for key, own in (("3403", "3412"), ("3412", "3403")):
        card = deadlines(orgs[key])
        assert f'href="{strategies[key].get_absolute_url()}"' in card
        assert f'href="{strategies[own].get_absolute_url()}"' not in card
        assert label in card  # no plan for ownership control adopted: overdue
    club_card = deadlines(club)
    assert label not in club_card and "/planer/" not in club_card


def _change_links(html: str) -> list[str]:
    if 'id="recent-changes"' not in html:
        return []
    changes = html.split('id="recent-changes"')[1].split("</section>")[0]
    return _links(changes)


@pytest.mark.parametrize(("visible", "hidden_after"), [(3, 20), (11, 5), (12, 26), (2, 40)])
def test_start_page_recent_changes_look_past_changes_the_user_may_not_see(
    client, users, orgs, visible, hidden_after
):
    """Changes the user may not see (here to something outside the registers) are skipped and
    the next ones shown, as far as the newest 32 changes: whether they are among the first
    eight changes read or take the second and third reads."""
    from kraftsenter.core.history import record_change

    hamar = orgs["3403"]
    account = users["hamar"]
    made: list[str | None] = []  # oldest first: a visible change's link, None for a hidden

    def hide() -> None:
        record_change(
            actor=users["hamar_admin"],
            action="accounts.profile_updated",
            target=account,
            before=None,
            after=None,
            actor_organisation=hamar,
        )
        made.append(None)

    for n in range(visible):
        club = organisation_create(actor="t", name=f"Idrettslag {n}", kind="association")
        record_change(
            actor=users["hamar_admin"],
            action="actors.organisation_updated",
            target=club,
            before={"website": ""},
            after={"website": f"https://{n}.example.no"},
            actor_organisation=hamar,
        )
        made.append(club.get_absolute_url())
        if n % 2 == 0:  # hidden ones among the visible too
            hide()
    for _ in range(hidden_after):  # the newest, hidden
        hide()
    client.force_login(users["hamar"])
    links = _change_links(client.get("/").content.decode())
    # Of the newest 32 changes, the visible ones, at most eight (none when they are older).
    expected = [url for url in reversed(made[-32:]) if url is not None][:8]
    assert links == expected
    assert len(expected) == {3: 3, 11: 8, 12: 4, 2: 0}[visible]


def test_start_page_desks_list_each_organisations_own_consultations_to_answer(client, orgs):
    """The consultations to answer are read for all the member's organisations at once: each
    desk lists those its organisation is the authority of or a current party to (a Sami
    interest, sameloven § 4-2), and no other's (the second and third organisation too)."""
    from django.utils import timezone

    from kraftsenter.actors.services import membership_add
    from kraftsenter.consultations.models import Consultation
    from kraftsenter.consultations.services import party_add

    hamar, karasjok = orgs["3403"], orgs["5610"]
    district = organisation_create(
        actor="t", name="Aaa reinbeitedistrikt", kind="reindeer_herding_district"
    )
    siida = organisation_create(actor="t", name="Aab siida", kind="siida")
    user = make_user("tre-saker", hamar)
    for organisation in (district, siida):
        membership_add(actor="t", organisation=organisation, user=user, role="editor")
    today = timezone.localdate()

    def case(title: str, authority, party=None, days: int = 10, status: str = "notified"):
        found = consultation_create(
            actor="t",
            title=title,
            kind="plan",
            plan_kind="zoning",
            authority=authority,
            municipalities=[Municipality.objects.get(number="5610")],
        )
        if party is not None:
            party_add(actor="t", consultation=found, organisation=party)
        Consultation.objects.filter(pk=found.pk).update(
            status=status, response_deadline=today + dt.timedelta(days=days)
        )
        return found

    own = case("Hamars egen reguleringsplan", hamar)
    grazing = case("Vindkraft på fjellet", karasjok, district, days=20, status="in_consultation")
    siidas = case("Hyttefelt ved vårbeitet", karasjok, siida, days=30)
    left = case("Gammel sak med siidaen", karasjok, siida, days=5)
    left.parties.filter(organisation=siida).update(archived_at=timezone.now())
    client.force_login(user)
    html = client.get("/").content.decode()

    def deadlines(organisation) -> str:
        desk = html.split(f'data-ks-desk="{organisation.pk}"')[1].split("</section>")[0]
        return desk.split('data-ks-card="deadlines"')[1].split("</article>")[0]

    cards = {o.pk: deadlines(o) for o in (hamar, district, siida)}
    wanted = {hamar.pk: own, district.pk: grazing, siida.pk: siidas}
    for pk, card in cards.items():
        for case_ in (own, grazing, siidas, left):
            link = f'href="{case_.get_absolute_url()}"'
            assert (link in card) == (case_ is wanted[pk]), (pk, case_.title)
        assert wanted[pk].title in card


def test_start_page_desks_read_together_keep_each_organisations_reports_and_follow_ups(
    client, orgs, active_agreement, commitment
):
    """Reports and commitments due are read for all the member's organisations at once: a
    report of an agreement two of them are parties to is on both desks, anything else on its
    own organisation's desk only (the second and third organisation too)."""
    from kraftsenter.actors.services import membership_add

    hamar, loten = orgs["3403"], orgs["3412"]
    club = organisation_create(actor="t", name="Aaa idrettslag", kind="association")
    user = make_user("tre-rapporter", hamar)
    for organisation in (loten, club):
        membership_add(actor="t", organisation=organisation, user=user, role="editor")
    lotens_own = services.agreement_create(
        actor="t",
        title="Næringsavtale Løten",
        kind="regional_growth",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        lead=orgs["34"],
        parties=[orgs["34"], loten],
    )

    def report(agreement):
        return services.report_create(
            actor="t",
            agreement=agreement,
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2024, 12, 31),
            due_date=dt.date(2025, 3, 1),
        )

    shared, lotens_report = report(active_agreement), report(lotens_own)
    lotens_commitment = services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=loten,
        description="Felles næringsareal ved stasjonen",
        due_date=dt.date(2025, 5, 31),
    )
    client.force_login(user)
    html = client.get("/").content.decode()

    def card(organisation, name: str) -> str:
        desk = html.split(f'data-ks-desk="{organisation.pk}"')[1].split("</section>")[0]
        if f'data-ks-card="{name}"' not in desk:
            return ""
        return desk.split(f'data-ks-card="{name}"')[1].split("</article>")[0]

    def shows(organisation, record, name: str) -> bool:
        return f'href="{record.get_absolute_url()}"' in card(organisation, name)

    assert shows(hamar, shared, "deadlines") and shows(loten, shared, "deadlines")
    assert shows(loten, lotens_report, "deadlines") and not shows(hamar, lotens_report, "deadlines")
    assert shows(hamar, commitment, "follow-ups") and not shows(loten, commitment, "follow-ups")
    assert shows(loten, lotens_commitment, "follow-ups")
    assert not shows(hamar, lotens_commitment, "follow-ups")
    for record, name in ((shared, "deadlines"), (commitment, "follow-ups")):
        assert not shows(club, record, name)
