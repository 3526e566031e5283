"""The cooperation register's own reading of who sees what (``permissions.visible_q``, used by
the lists, the filters, the API and the overviews without ``SELECT DISTINCT``) gives exactly
the rows of the shared policy (``COOPERATION_POLICY.visible``), for every kind of user and
every kind of record: published or not, archived or not, hosted, withdrawn from."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Prefetch
from django.http import Http404
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.cooperations import overviews, selectors
from kraftsenter.cooperations.models import Cooperation, Participant
from kraftsenter.cooperations.permissions import (
    COOPERATION_POLICY,
    visible_cooperations,
    visible_one,
    visible_q,
)
from kraftsenter.cooperations.services import (
    ParticipantInput,
    cooperation_archive,
    cooperation_create,
    cooperation_set_participants,
)

pytestmark = pytest.mark.django_db


def _create(orgs, name: str, keys: tuple[str, ...], **fields) -> Cooperation:
    shares = {2: [Decimal(50)] * 2, 3: [Decimal(40), Decimal(30), Decimal(30)]}[len(keys)]
    return cooperation_create(
        actor="t",
        name=name,
        legal_form="ko",
        areas=["ict"],
        participants=[ParticipantInput(orgs[k], s) for k, s in zip(keys, shares, strict=True)],
        **fields,
    )


@pytest.fixture
def records(orgs):
    """Five cooperations, each visible to a different set of users."""
    public = _create(orgs, "Offentlig KO", ("3403", "3412"))
    hidden = _create(orgs, "Skjult KO", ("3403", "3412"), published=False)
    hosted = _create(orgs, "Vertskap KO", ("3403", "3412"), published=False)
    # A host that is not a participant (the rules refuse it now; older records may have it):
    # the host's members see the record all the same.
    Cooperation.objects.filter(pk=hosted.pk).update(host=orgs["34"])
    gone = _create(orgs, "Arkivert KO", ("3403", "3412"))
    cooperation_archive(actor="t", cooperation=gone, expected_version=gone.version)
    left = _create(orgs, "Uttrådt KO", ("3403", "3412", "5601"), published=False)
    # Alta withdraws: its members no longer see the unpublished cooperation.
    cooperation_set_participants(
        actor="t",
        cooperation=left,
        expected_version=left.version,
        participants=[
            ParticipantInput(orgs["3403"], Decimal(50)),
            ParticipantInput(orgs["3412"], Decimal(50)),
        ],
    )
    return {"public": public, "hidden": hidden, "hosted": hosted, "gone": gone, "left": left}


def _member_of(orgs, key: str, name: str):
    user = get_user_model().objects.create_user(name, password="x-long-password-1")
    membership_add(actor="t", organisation=orgs[key], user=user, role=Role.MEMBER)
    return get_user_model().objects.get(pk=user.pk)  # no cached roles


@pytest.fixture
def users(orgs):
    admin = get_user_model().objects.create_superuser("admin", password="x-long-password-1")
    outsider = get_user_model().objects.create_user("outsider", password="x-long-password-1")
    return {
        "anonymous": None,
        "outsider": outsider,
        "member of Hamar": _member_of(orgs, "3403", "hamar"),
        "member of the host": _member_of(orgs, "34", "innlandet"),
        "member of Alta (withdrew)": _member_of(orgs, "5601", "alta"),
        "site admin": admin,
    }


EXPECTED = {
    "anonymous": {"public"},
    "outsider": {"public"},
    "member of Hamar": {"public", "hidden", "hosted", "gone", "left"},
    "member of the host": {"public", "hosted"},
    "member of Alta (withdrew)": {"public"},
    "site admin": {"public", "hidden", "hosted", "gone", "left"},
}


@pytest.mark.parametrize("who", list(EXPECTED))
def test_the_registers_visibility_is_the_policys(records, users, who):
    user = users[who]
    names = {v.pk: k for k, v in records.items()}
    policy = set(
        COOPERATION_POLICY.visible(user, Cooperation.objects.all()).values_list("pk", flat=True)
    )
    own = list(visible_cooperations(user).values_list("pk", flat=True))
    assert {names[pk] for pk in own} == EXPECTED[who]
    assert set(own) == policy
    assert len(own) == len(set(own))  # no duplicates without DISTINCT
    # The same filter put on the participants (the overviews join the cooperation).
    through = set(
        Participant.objects.filter(visible_q(user, prefix="cooperation__")).values_list(
            "cooperation_id", flat=True
        )
    )
    assert through == policy


@pytest.mark.parametrize("who", list(EXPECTED))
def test_a_form_reads_what_the_user_may_see_and_nothing_else(records, users, who):
    """The edit forms read a cooperation by its key and decide on what they read who may
    see it (``visible_one``): the same records as the lists' filter, the rest a 404."""
    user = users[who]
    for key, record in records.items():
        expected = key in EXPECTED[who]
        fresh = Cooperation.objects.prefetch_related(
            Prefetch(
                "participants",
                queryset=Participant.objects.filter(archived_at__isnull=True),
                to_attr="active_participants",
            )
        ).get(pk=record.pk)
        assert visible_one(user, fresh) is expected, key
        if not expected:
            with pytest.raises(Http404):
                selectors.cooperation_for_form(user=user, pk=record.pk)
            continue
        shown = selectors.cooperation_for_form(user=user, pk=record.pk)
        assert shown.name == record.name
        # Its current participants and areas, as the forms show them (Alta withdrew).
        current = {p.organisation.name for p in shown.active_participants}
        assert current == {
            p.organisation.name for p in record.participants.filter(archived_at__isnull=True)
        }
        assert [a.area for a in shown.area_links.all()] == ["ict"]
        with CaptureQueriesContext(connection) as again:
            form_read = selectors.cooperation_for_form(user=user, pk=record.pk)
            # The host's places and the participants' organisations are joined: no reads.
            places = [form_read.host.municipality, form_read.host.county] if form_read.host else []
            organisations = [p.organisation.name for p in form_read.active_participants]
        assert len(again.captured_queries) == 3
        assert len(organisations) == len(current) and len(places) == (2 if fresh.host_id else 0)
    with pytest.raises(Http404):
        selectors.cooperation_for_form(user=user, pk=max(r.pk for r in records.values()) + 1)


def test_a_prepared_read_as_the_user_sees_what_the_user_may_see(records, users, orgs):
    """``permissions.viewer``: a read kept as a statement (core.prepared) with the user's
    kind and organisations as its parameters gives every user what the ORM gives that user,
    and users of the same kind share one statement."""
    from kraftsenter.core import prepared
    from kraftsenter.core.permissions import viewer

    def build(who, name_part: str):
        return visible_cooperations(who, Cooperation.objects.filter(legal_form=name_part))

    key = "test-viewer-cooperations"
    for who, expected in EXPECTED.items():
        user = users[who]
        found = prepared.instances(key, "default", Cooperation, build, viewer(user), "ko")
        assert {c.name for c in found} == {records[k].name for k in expected}, who
        assert [c.pk for c in found] == list(build(user, "ko").values_list("pk", flat=True))
    # Another member (of Alta, which withdrew) and Hamar's member: the same statement, with
    # their own organisations in it.
    second = _member_of(orgs, "3412", "loten")
    found = prepared.instances(key, "default", Cooperation, build, viewer(second), "ko")
    assert {c.name for c in found} == {records[k].name for k in EXPECTED["member of Hamar"]}
    kept = [k for k in prepared._statements if k[0] == key]
    kinds = {"anonymous", "outsider", "member", "site admin"}
    assert len(kept) == len(kinds)
    # A user who is a member of two organisations: a statement of its own shape.
    membership_add(actor="t", organisation=orgs["5601"], user=second, role=Role.EDITOR)
    both = get_user_model().objects.get(pk=second.pk)
    found = prepared.instances(key, "default", Cooperation, build, viewer(both), "ko")
    assert {c.name for c in found} == {records[k].name for k in EXPECTED["member of Hamar"]}
    assert len([k for k in prepared._statements if k[0] == key]) == len(kinds) + 1


def test_lists_and_filters_run_without_distinct(records, users, orgs):
    user = users["member of Hamar"]
    with CaptureQueriesContext(connection) as ctx:
        page = list(selectors.cooperation_list(user=user))
        mine = list(
            selectors.cooperations_of_organisation(user=user, organisation_ids=[orgs["3412"].pk])
        )
    assert {c.name for c in page} == {"Offentlig KO", "Skjult KO", "Vertskap KO", "Uttrådt KO"}
    assert {c.name for c in mine} == {c.name for c in page}
    assert not [q for q in ctx.captured_queries if "DISTINCT" in q["sql"]]
    # Each row counts its current participants only (Alta withdrew from one).
    counts = {c.name: len(c.active_participants) for c in page}
    assert counts["Uttrådt KO"] == 2 and counts["Offentlig KO"] == 2


def test_overview_shows_what_the_user_may_see(records, users, orgs):
    def names(user) -> set[str]:
        overview = overviews.organisation_overview(user=user, organisation=orgs["3412"])
        found = {p.cooperation.name for p in overview.participations}
        # The page (its statement kept per kind of user, the organisation a parameter)
        # shows the same, for Alta as for Hamar before it.
        for organisation in (orgs["3403"], orgs["3412"]):
            overviews.organisation_overview_page(user=user, organisation=organisation)
        page = overviews.organisation_overview_page(user=user, organisation=orgs["3412"])
        assert {row.name for group in page.groups for row in group.rows} == found
        return found

    assert names(users["anonymous"]) == {"Offentlig KO"}
    assert names(users["member of the host"]) == {"Offentlig KO", "Vertskap KO"}
    # Archived cooperations are not in the overview, even for a member who may see them.
    assert names(users["member of Hamar"]) == {
        "Offentlig KO",
        "Skjult KO",
        "Vertskap KO",
        "Uttrådt KO",
    }


@pytest.mark.parametrize("who", list(EXPECTED))
def test_an_organisations_pages_show_its_own_members_all_its_cooperations(
    records, users, orgs, who
):
    """Hamar takes part in every record: its own members (whose check is skipped) see all but
    the archived one on Hamar's pages, everyone else what the policy lets them see."""
    user = users[who]
    expected = {records[key].name for key in EXPECTED[who] if key != "gone"}
    page = overviews.organisation_overview_page(user=user, organisation=orgs["3403"])
    assert {row.name for group in page.groups for row in group.rows} == expected
    assert page.total == len(expected)
    overview = overviews.organisation_overview(user=user, organisation=orgs["3403"])
    assert {p.cooperation.name for p in overview.participations} == expected


def test_the_kept_lists_show_each_user_what_the_user_may_see(records, users, orgs):
    """The list page and the API's lists (core.kept: statements kept per kind of user and
    set of filters, the user's organisations and the filters' values their parameters) show
    every user what the policy lets the user see, for one value of a filter and the next."""
    from django.test import Client

    from kraftsenter.core import kept, prepared

    everywhere = {"county=34", "municipality=3403", "county=34&form=ko&area=ict", ""}
    nowhere = {"county=56", "municipality=5601"}  # Alta withdrew; no other party there
    names = {record.name for record in records.values()}
    for filters in (*sorted(everywhere), *sorted(nowhere)):
        for who, expected in EXPECTED.items():
            client = Client()
            if users[who] is not None:
                client.force_login(users[who])
            want = (
                set()
                if filters in nowhere
                else {records[k].name for k in expected} - {records["gone"].name}
            )
            page = client.get(f"/samarbeid/?{filters}").content.decode()
            assert {n for n in names if n in page} == want, (who, filters)
            # Hamar takes part in every record: its cooperations are the list's.
            for path in ("/api/v1/cooperations", "/api/v1/municipalities/3403/cooperations"):
                answer = client.get(f"{path}?{filters}").json()
                assert {c["name"] for c in answer["items"]} == want, (who, filters, path)
                assert answer["count"] == len(want)
    used = {k[0][0][1] for k in prepared._statements if k[0][0][0] == "kept-list"}
    mine = {
        "api:cooperations",
        "api:municipality-cooperations",
        "kraftsenter.cooperations.views.CooperationListView",
    }
    assert mine <= used
    # None of these lists fell back to the ORM (other tests' lists may, in this process).
    assert not [k for k in kept._refused if k[0][1] in mine]


def test_a_regions_coverage_shows_each_user_what_the_user_may_see(records, users, orgs):
    """The region's links (a statement kept per kind of user, core.prepared) name for every
    user the cooperations the policy lets the user see, archived ones left out."""
    from kraftsenter.places.models import Municipality
    from kraftsenter.places.services import region_create

    found = {m.number: m for m in Municipality.objects.all()}
    region = region_create(
        actor=None, name="Hamar og Løten", centre=found["3403"], hinterland=[found["3412"]]
    )
    for who, expected in EXPECTED.items():
        links = overviews.region_links(user=users[who], region=region)
        shown = {name for name, _form, _status in links.details(links.taking_part).values()}
        assert shown == {records[k].name for k in expected} - {records["gone"].name}, who
        coverage = overviews.region_coverage(user=users[who], region=region, links=links)
        ict = next(row for row in coverage.rows if row.area == "ict")
        assert [cell.total for cell in ict.cells] == [len(shown), len(shown)], who
