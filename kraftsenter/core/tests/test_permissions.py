"""RecordPolicy: published records for everyone, unpublished ones for the owners' members."""

from __future__ import annotations

import pytest
from django.db.models import Q

from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import membership_add, membership_end, organisation_create
from kraftsenter.core.permissions import ROLE_ADMIN, RecordPolicy

pytestmark = pytest.mark.django_db

# A stand-in register: associations are "published", other kinds are not.
POLICY = RecordPolicy(
    owners=lambda org: {org.pk},
    owners_q=lambda ids: Q(pk__in=ids),
    published_q=Q(kind=OrganisationKind.ASSOCIATION),
    archive_role=ROLE_ADMIN,
)


@pytest.fixture
def records(django_user_model):
    public = organisation_create(actor="t", name="Offentlig", kind=OrganisationKind.ASSOCIATION)
    hidden = organisation_create(actor="t", name="Upublisert", kind=OrganisationKind.BUSINESS)
    users = {}
    for name, role in (("member", Role.MEMBER), ("editor", Role.EDITOR), ("admin", Role.ADMIN)):
        users[name] = django_user_model.objects.create_user(name, password="x-long-password-1")
        membership_add(actor="t", organisation=hidden, user=users[name], role=role)
    users["outsider"] = django_user_model.objects.create_user("out", password="x-long-password-1")
    users["site"] = django_user_model.objects.create_user(
        "site", password="x-long-password-1", is_superuser=True
    )
    return public, hidden, users


def visible_names(user) -> set[str]:
    return set(POLICY.visible(user, Organisation.objects.all()).values_list("name", flat=True))


def test_policy_anonymous_and_outsider_see_only_published(records):
    _public, hidden, users = records
    from django.contrib.auth.models import AnonymousUser

    for user in (AnonymousUser(), users["outsider"]):
        assert visible_names(user) == {"Offentlig"}
        assert not POLICY.can_view(user, hidden)


def test_policy_member_reads_unpublished_but_cannot_edit(records):
    _public, hidden, users = records
    assert visible_names(users["member"]) == {"Offentlig", "Upublisert"}
    assert POLICY.can_view(users["member"], hidden)
    assert not POLICY.can_edit(users["member"], hidden)


def test_policy_editor_edits_admin_archives_site_admin_everything(records):
    public, hidden, users = records
    assert POLICY.can_edit(users["editor"], hidden) and not POLICY.can_archive(
        users["editor"], hidden
    )
    assert POLICY.can_archive(users["admin"], hidden)
    assert not POLICY.can_edit(users["admin"], public)
    assert POLICY.can_edit(users["site"], public) and POLICY.can_archive(users["site"], hidden)


def test_policy_inactive_user_has_no_roles(records):
    _public, hidden, users = records
    users["editor"].is_active = False
    users["editor"].save()
    assert not POLICY.can_edit(users["editor"], hidden)


# A public register over the same records: everything not archived is for everyone.
PUBLIC = RecordPolicy(owners=lambda org: {org.pk}, owners_q=lambda ids: Q(pk__in=ids))


def _current(policy: RecordPolicy, user) -> set[str]:
    found = policy.current(user, Organisation.objects.all())
    return set(found.values_list("name", flat=True))


def test_current_is_what_visible_shows_less_the_archived_for_every_user(records):
    from django.contrib.auth.models import AnonymousUser

    public, hidden, users = records
    gone = organisation_create(actor="t", name="Arkivert", kind=OrganisationKind.BUSINESS)
    membership_add(actor="t", organisation=gone, user=users["member"], role=Role.MEMBER)
    Organisation.objects.filter(pk=gone.pk).update(archived_at="2026-01-01T00:00Z")
    everyone = [AnonymousUser(), *users.values()]
    for policy in (POLICY, PUBLIC):
        for user in everyone:
            visible = policy.visible(user, Organisation.objects.all())
            expected = set(visible.filter(archived_at__isnull=True).values_list("name", flat=True))
            assert _current(policy, user) == expected, (policy is PUBLIC, user)
    # The member sees the archived record in visible() but not in current().
    assert "Arkivert" in set(
        PUBLIC.visible(users["member"], Organisation.objects.all()).values_list("name", flat=True)
    )
    assert _current(PUBLIC, users["member"]) == {"Offentlig", "Upublisert"}
    assert _current(POLICY, users["outsider"]) == {"Offentlig"}
    assert _current(POLICY, users["member"]) == {"Offentlig", "Upublisert"}


def test_current_on_a_public_register_needs_no_distinct(records):
    _public, _hidden, users = records
    query = str(PUBLIC.current(users["member"], Organisation.objects.all()).query)
    assert "DISTINCT" not in query.upper()


def test_visible_is_distinct_only_when_the_owners_filter_joins_many_rows(
    django_user_model, records
):
    """A member of two organisations that both take part in one agreement sees it once; an
    owners' filter on a column (the organisation itself, a plan's owner) needs no DISTINCT."""
    import datetime as dt

    from kraftsenter.agreements.models import Agreement, Plan
    from kraftsenter.agreements.permissions import AGREEMENT_POLICY, PLAN_POLICY
    from kraftsenter.agreements.services import PartyInput, agreement_create, plan_create
    from kraftsenter.core.permissions import owners_repeat

    assert owners_repeat(AGREEMENT_POLICY.owners_q, Agreement)
    assert not owners_repeat(PLAN_POLICY.owners_q, Plan)
    assert not owners_repeat(POLICY.owners_q, Organisation)
    first, second = (
        organisation_create(actor="t", name=name, kind=OrganisationKind.ASSOCIATION)
        for name in ("Første lag", "Andre lag")
    )
    user = django_user_model.objects.create_user("to-org", password="x-long-password-1")
    for organisation in (first, second):
        membership_add(actor="t", organisation=organisation, user=user, role=Role.MEMBER)
    agreement = agreement_create(
        actor="t",
        title="Felles avtale",
        kind="regional_growth",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        lead=first,
        parties=[PartyInput(first), PartyInput(second)],
    )
    plan_create(actor="t", title="Planstrategi", kind="other", owner=first)
    agreements = AGREEMENT_POLICY.visible(user, Agreement.objects.all())
    assert list(agreements.values_list("pk", flat=True)) == [agreement.pk]
    assert "DISTINCT" in str(agreements.query).upper()
    plans = PLAN_POLICY.visible(user, Plan.objects.all())
    assert plans.count() == 1 and "DISTINCT" not in str(plans.query).upper()
    organisations = POLICY.visible(user, Organisation.objects.all())
    assert "DISTINCT" not in str(organisations.query).upper()
    assert organisations.filter(pk=first.pk).count() == 1


def test_display_labels_follow_the_language_and_replaced_choices():
    from django.utils import translation

    organisation = Organisation(kind=OrganisationKind.MUNICIPALITY)
    with translation.override("nb"):
        bokmaal = organisation.get_kind_display()
        assert bokmaal == str(OrganisationKind.MUNICIPALITY.label)
    with translation.override("en"):
        assert organisation.get_kind_display() == "Municipality"
    assert Organisation(kind="unknown").get_kind_display() == "unknown"
    field = Organisation._meta.get_field("kind")
    original = field.choices
    try:
        field.choices = [("municipality", "Kommune (ny)")]
        assert organisation.get_kind_display() == "Kommune (ny)"
    finally:
        field.choices = original
    assert Organisation(kind=OrganisationKind.ASSOCIATION).get_kind_display() != "association"


def test_roles_are_each_active_membership_read_in_one_query(
    records, django_user_model, django_assert_num_queries
):
    from kraftsenter.core.permissions import organisation_roles

    public, hidden, users = records
    membership_add(actor="t", organisation=public, user=users["editor"], role=Role.ADMIN)
    ended = membership_add(actor="t", organisation=public, user=users["member"], role=Role.ADMIN)
    membership_end(actor="t", membership=ended)
    fresh = django_user_model.objects.get(pk=users["editor"].pk)
    with django_assert_num_queries(1):
        roles = organisation_roles(fresh)
        assert organisation_roles(fresh) is roles  # kept on the user for the request
    assert roles == {hidden.pk: Role.EDITOR, public.pk: Role.ADMIN}
    assert organisation_roles(django_user_model.objects.get(pk=users["outsider"].pk)) == {}
    # An ended membership gives no role.
    member = django_user_model.objects.get(pk=users["member"].pk)
    assert organisation_roles(member) == {hidden.pk: Role.MEMBER}
