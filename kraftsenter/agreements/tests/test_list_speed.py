"""The lists and dashboards without SELECT DISTINCT over the owners' join (issue 14): each
record once, archived ones still only for their owners, the same counts and CSV, and a query
count that does not grow with the rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.agreements import selectors, services
from kraftsenter.agreements.models import Agreement, Commitment

from .conftest import END, START, make_user

pytestmark = pytest.mark.django_db


def _agreement(orgs, title: str, parties=("34", "3403", "3412")) -> Agreement:
    return services.agreement_create(
        actor="t",
        title=title,
        kind="regional_growth",
        period_start=START,
        period_end=END,
        lead=orgs[parties[0]],
        parties=[orgs[p] for p in parties],
    )


@pytest.fixture
def two_party_member(orgs):
    """A member of both Hamar and Løten: the owners' join finds each shared agreement twice."""
    user = make_user("to-roller", orgs["3403"])
    from kraftsenter.actors.services import membership_add

    membership_add(actor="t", organisation=orgs["3412"], user=user, role="member")
    return user


def test_each_agreement_once_and_archived_only_for_owners(orgs, users, two_party_member):
    shared = _agreement(orgs, "Felles avtale")
    other = _agreement(orgs, "Annen avtale", parties=("56", "5601"))
    archived = _agreement(orgs, "Arkivert avtale")
    services.agreement_archive(actor="t", agreement=archived)
    listed = list(selectors.agreement_list(user=two_party_member).order_by("title"))
    assert [a.title for a in listed] == ["Annen avtale", "Felles avtale"]
    assert selectors.agreement_list(user=two_party_member).count() == 2
    # Archived agreements: through include_archived, for the owners' members only.
    mine = selectors.agreement_list(user=two_party_member, include_archived=True)
    assert sorted(a.title for a in mine) == ["Annen avtale", "Arkivert avtale", "Felles avtale"]
    theirs = selectors.agreement_list(user=users["outsider"], include_archived=True)
    assert archived.pk not in {a.pk for a in theirs}
    assert {shared.pk, other.pk} <= {a.pk for a in theirs}


def test_the_list_page_shows_each_agreement_once(client, orgs, two_party_member):
    for title in ("Avtale A", "Avtale B", "Avtale C"):
        _agreement(orgs, title)
    client.force_login(two_party_member)
    response = client.get("/avtaler/?county=34")
    html = response.content.decode()
    assert response.context["paginator"].count == 3
    for a in Agreement.objects.all():
        assert html.count(f'href="{a.get_absolute_url()}"') == 1


def test_the_agreement_csv_names_the_parties(client, orgs):
    _agreement(orgs, "Avtale A")
    _agreement(orgs, "Avtale B", parties=("56", "5601"))
    body = b"".join(client.get("/avtaler/?format=csv").streaming_content).decode("utf-8-sig")
    rows = {line.split(";")[1]: line.split(";")[4] for line in body.splitlines()[1:]}
    names = {
        a.title: ", ".join(p.organisation.name for p in a.active_parties)
        for a in selectors.agreement_list()
    }
    assert rows == names
    # Both parties, by name, as the agreement page lists them.
    assert rows["Avtale B"] == ", ".join(sorted([orgs["56"].name, orgs["5601"].name]))


@pytest.mark.parametrize(
    "path", ["/avtaler/?county=34", "/forpliktelser/?county=34", "/dashbord/fylker/34/"]
)
def test_lists_take_the_same_queries_for_few_and_many_rows(client, orgs, users, path):
    client.force_login(users["hamar"])
    counts = []
    for n in (2, 12):
        while Agreement.objects.count() < n:
            a = _agreement(orgs, f"Avtale {Agreement.objects.count()}")
            for party in ("3403", "3412"):
                services.commitment_create(
                    actor="t",
                    agreement=a,
                    party=orgs[party],
                    description="Tiltak",
                    due_date=dt.date(2025, 6, 30),
                )
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(path).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts


def test_the_organisation_dashboard_takes_the_same_queries_for_more_commitments(
    client, orgs, users, active_agreement
):
    client.force_login(users["hamar"])
    counts = []
    for n in (2, 30):
        while Commitment.objects.count() < n:
            i = Commitment.objects.count()
            services.commitment_create(
                actor="t",
                agreement=active_agreement,
                party=orgs["3403"],
                description=f"Tiltak {i}",
                due_date=dt.date(2025, 1, 1) + dt.timedelta(days=40 * i),
            )
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(f"/dashbord/organisasjoner/{orgs['3403'].pk}/").content.decode()
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1], counts
    assert html.count('href="/forpliktelser/') >= 25


def test_the_organisation_dashboard_splits_open_commitments_by_due_date(
    orgs, users, active_agreement, django_assert_max_num_queries
):
    """Overdue, due in 30 days and later: the first 25 of each by due date, the later ones
    counted with the statuses (open ones only), in a fixed number of queries."""
    from django.utils import timezone

    from kraftsenter.agreements import dashboards

    today = timezone.localdate()
    days = [-40, -3, -1, 0, 29, *range(31, 31 + 28), 300]
    for i, d in enumerate(days):
        c = services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["3403"],
            description=f"Tiltak {i}",
            due_date=today + dt.timedelta(days=d),
        )
        if d == 300:  # done: in the status counts, not among the later open ones
            services.commitment_update(
                actor="t", commitment=c, expected_version=c.version, status="done"
            )
    # Another party's commitments in the same agreement, due on the same days: not ours.
    for d in (-2, 1, 40):
        services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=orgs["3412"],
            description=f"Løten {d}",
            due_date=today + dt.timedelta(days=d),
        )
    # Overdue, due soon and later are read in one statement (core.prepared, together).
    with django_assert_max_num_queries(11):
        data = dashboards.organisation_dashboard(
            user=users["hamar"], organisation=orgs["3403"], today=today
        )
    assert [(c.due_date - today).days for c in data.overdue] == [-40, -3, -1]
    assert [(c.due_date - today).days for c in data.due_soon] == [0, 29]
    assert [(c.due_date - today).days for c in data.later] == list(range(31, 31 + 25))
    assert data.later_count == 28
    assert not any(c.description.startswith("Løten") for c in (*data.overdue, *data.later))
    counts = {code: n for code, _label, n in data.by_status}
    assert counts["not_started"] == len(days) - 1
    assert counts["done"] == 1


def test_the_agreement_page_reads_the_anchor_chains_only_when_anchored(client, orgs, agreement):
    """Without anchors the page skips the nine-relation anchor query; with two anchors it
    takes one query more (not one per anchor) and shows each chain; an archived anchor is
    not shown."""
    path = f"/avtaler/{agreement.pk}/"

    def page() -> tuple[int, str]:
        with CaptureQueriesContext(connection) as ctx:
            html = client.get(path).content.decode()
        return len(ctx.captured_queries), html

    bare, html = page()
    assert 'class="ks-chain"' not in html
    plan = services.plan_create(
        actor="t", title="Regional plan", kind="regional_plan", owner=orgs["34"]
    )
    item = services.plan_item_add(actor="t", plan=plan, title="Tiltak A")
    other = services.plan_item_add(actor="t", plan=plan, title="Tiltak B")
    services.anchor_add(actor="t", agreement=agreement, plan=plan, item=item)
    second = services.anchor_add(actor="t", agreement=agreement, plan=plan, item=other)
    anchored, html = page()
    assert anchored == bare + 1
    assert html.count('class="ks-chain"') == 2
    assert html.count(f'href="{plan.get_absolute_url()}"') >= 2
    services.anchor_archive(actor="t", anchor=second)
    one, html = page()
    assert (one, html.count('class="ks-chain"')) == (anchored, 1)


def test_archived_records_open_once_for_a_member_of_two_parties(
    client, orgs, users, two_party_member
):
    """The record pages check visibility as a subquery: a member of two parties (whom the
    owners' join finds twice) opens an archived agreement and one of its commitments once;
    an outsider and the public get 404 for the agreement."""
    agreement = _agreement(orgs, "Arkivert avtale")
    commitment = services.commitment_create(
        actor="t", agreement=agreement, party=orgs["3412"], description="Tiltak", due_date=END
    )
    services.agreement_archive(actor="t", agreement=agreement)
    client.force_login(two_party_member)
    for page in (agreement.get_absolute_url(), commitment.get_absolute_url()):
        assert client.get(page).status_code == 200, page
    assert client.get(f"/api/v1/agreements/{agreement.pk}").status_code == 200
    client.force_login(users["outsider"])
    assert client.get(agreement.get_absolute_url()).status_code == 404
    client.logout()
    assert client.get(agreement.get_absolute_url()).status_code == 404


def test_commitments_of_archived_agreements_are_left_out_of_lists_and_dashboards(
    client, orgs, users, two_party_member
):
    """The commitments of an archived agreement (an anti-join against the archived ones) are
    in no list, count or dashboard; those of the second and third agreement are, whoever
    asks; an agreement archived since is left out at the next read."""
    from kraftsenter.agreements.dashboards import organisation_dashboard

    agreements = [_agreement(orgs, f"Avtale {n}") for n in range(3)]
    made = {
        agreement.pk: [
            services.commitment_create(
                actor="t",
                agreement=agreement,
                party=orgs["3403"],
                description=f"Tiltak {agreement.title} {i}",
                due_date=END,
            )
            for i in range(2)
        ]
        for agreement in agreements
    }
    services.agreement_archive(actor="t", agreement=agreements[0])
    hamar = orgs["3403"]

    def listed(user) -> set[int]:
        return {c.pk for c in selectors.commitment_list(user=user, rows=True)}

    expected = {c.pk for a in agreements[1:] for c in made[a.pk]}
    for user in (None, users["outsider"], two_party_member):
        assert listed(user) == expected
        data = organisation_dashboard(user=user, organisation=hamar, today=START)
        assert sum(n for _code, _label, n in data.by_status) == 4
    client.force_login(two_party_member)
    page = client.get("/forpliktelser/", {"party": hamar.pk}).content.decode()
    for agreement in agreements:
        for commitment in made[agreement.pk]:
            assert (commitment.get_absolute_url() in page) == (agreement != agreements[0])
    answer = client.get("/api/v1/commitments", {"party": hamar.pk}).json()
    assert answer["count"] == 4
    services.agreement_archive(actor="t", agreement=agreements[1])
    assert listed(two_party_member) == {c.pk for c in made[agreements[2].pk]}
    assert client.get("/api/v1/commitments", {"party": hamar.pk}).json()["count"] == 2


def test_the_county_filter_keeps_the_commitments_of_parties_in_the_county(client, orgs, users):
    """The county filter is a condition on the joined party on PostgreSQL and a subquery on
    SQLite: both keep every commitment of the county's parties (the county municipality and
    each municipality in it) and none of another county's, whichever county leads the
    agreement, on the page, its count and the API."""
    shared = _agreement(orgs, "Felles avtale", parties=("34", "3403", "3412", "56", "5601"))
    northern = _agreement(orgs, "Nordlig avtale", parties=("56", "5601", "3403"))
    made: dict[str, list[int]] = {"34": [], "56": []}
    for agreement, parties in (
        (shared, ("34", "3403", "3412", "56", "5601")),
        (northern, ("3403", "56")),
    ):
        for i, party in enumerate(parties):
            for n in range(2):
                made[orgs[party].county.number].append(
                    services.commitment_create(
                        actor="t",
                        agreement=agreement,
                        party=orgs[party],
                        description=f"Tiltak {party} {n}",
                        due_date=dt.date(2025, 1, 1) + dt.timedelta(days=30 * (i * 2 + n)),
                    ).pk
                )
    assert len(made["34"]) == 8 and len(made["56"]) == 6
    client.force_login(users["county"])
    for county, expected in made.items():
        response = client.get(f"/forpliktelser/?county={county}")
        assert response.status_code == 200
        assert response.context["paginator"].count == len(expected)
        html = response.content.decode()
        for pk in expected:
            assert f'href="/forpliktelser/{pk}/"' in html
        for pk in made["56" if county == "34" else "34"]:
            assert f'href="/forpliktelser/{pk}/"' not in html
        answer = client.get("/api/v1/commitments", {"county": county}).json()
        assert answer["count"] == len(expected)
        assert sorted(item["id"] for item in answer["items"]) == sorted(expected)
