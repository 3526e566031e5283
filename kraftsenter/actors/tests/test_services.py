"""Organisation, membership and contact-person services: rules and history."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError

from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.reference import NATIONAL_ACTOR, read_reference_organisations
from kraftsenter.actors.services import (
    contact_person_add,
    membership_add,
    membership_change_role,
    membership_end,
    organisation_create,
    organisation_update,
    organisations_sync_from_places,
)
from kraftsenter.actors.validators import organisation_number_is_valid
from kraftsenter.core.history import history_for
from kraftsenter.places.models import Municipality

pytestmark = pytest.mark.django_db


def make_org(name="Foreningen", **kw):
    return organisation_create(
        actor="test", name=name, kind=kw.pop("kind", OrganisationKind.ASSOCIATION), **kw
    )


@pytest.mark.parametrize(
    "number,valid",
    [
        ("974760673", True),
        ("974760674", False),
        ("123456785", True),
        ("12345678", False),
        ("abcdefghi", False),
    ],
)
def test_organisation_number_mod11(number, valid):
    assert organisation_number_is_valid(number) is valid


def test_organisation_create_invalid_number_names_field_and_writes_nothing():
    with pytest.raises(ValidationError) as info:
        make_org(organisation_number="974760674")
    assert "organisation_number" in info.value.message_dict
    assert "kontrollsifferet" in " ".join(info.value.message_dict["organisation_number"])
    assert Organisation.objects.count() == 0


def test_organisation_create_duplicate_number_names_the_other_organisation():
    make_org("Første", organisation_number="974760673")
    with pytest.raises(ValidationError) as info:
        make_org("Andre", organisation_number="974 760 673")
    assert "Første" in info.value.message_dict["organisation_number"][0]


def test_organisation_create_unknown_kind_is_refused():
    with pytest.raises(ValidationError) as info:
        organisation_create(actor="test", name="X", kind="spaceship")
    assert "kind" in info.value.message_dict


def test_organisation_create_municipality_kind_needs_municipality():
    with pytest.raises(ValidationError) as info:
        organisation_create(actor="test", name="X kommune", kind=OrganisationKind.MUNICIPALITY)
    assert "municipality" in info.value.message_dict


def test_organisation_create_as_user_without_editor_role_is_denied():
    user = get_user_model().objects.create_user("nobody", password="x-long-password-1")
    with pytest.raises(PermissionDenied):
        organisation_create(actor=user, name="X", kind=OrganisationKind.ASSOCIATION)
    assert Organisation.objects.count() == 0


def test_organisation_update_unknown_field_is_refused():
    org = make_org()
    with pytest.raises(ValidationError):
        organisation_update(actor="test", organisation=org, expected_version=1, version=7)


def test_organisation_update_archived_is_refused():
    from kraftsenter.actors.services import organisation_archive

    org = make_org()
    organisation_archive(actor="test", organisation=org)
    with pytest.raises(ValidationError):
        organisation_update(actor="test", organisation=org, expected_version=2, name="Y")


def test_membership_add_twice_is_refused_and_history_has_parent():
    org = make_org()
    user = get_user_model().objects.create_user("u", password="x-long-password-1")
    membership = membership_add(actor="test", organisation=org, user=user, role=Role.EDITOR)
    with pytest.raises(ValidationError):
        membership_add(actor="test", organisation=org, user=user)
    record = history_for(membership).get()
    assert record.parent_object_id == str(org.pk)


def test_membership_last_admin_cannot_be_demoted_or_ended():
    org = make_org()
    user = get_user_model().objects.create_user("a", password="x-long-password-1")
    membership = membership_add(actor="test", organisation=org, user=user, role=Role.ADMIN)
    with pytest.raises(ValidationError):
        membership_change_role(actor="test", membership=membership, role=Role.MEMBER)
    with pytest.raises(ValidationError):
        membership_end(actor="test", membership=membership)


def test_membership_managed_only_by_organisation_admin():
    org = make_org()
    User = get_user_model()
    editor = User.objects.create_user("e", password="x-long-password-1")
    membership_add(actor="test", organisation=org, user=editor, role=Role.EDITOR)
    other = User.objects.create_user("o", password="x-long-password-1")
    with pytest.raises(PermissionDenied):
        membership_add(actor=editor, organisation=org, user=other)


def test_contact_person_add_needs_valid_email():
    org = make_org()
    with pytest.raises(ValidationError) as info:
        contact_person_add(actor="test", organisation=org, name="Kari", work_email="ikke-epost")
    assert "work_email" in info.value.message_dict


def test_sync_from_places_gives_every_municipality_and_county_municipality_an_organisation(
    small_places,
):
    counts = organisations_sync_from_places()
    national = [r for r in read_reference_organisations() if r.entry == NATIONAL_ACTOR]
    assert counts["created"] == 4 + 2 + len(national)
    hamar = Organisation.objects.get(
        municipality__number="3403", kind=OrganisationKind.MUNICIPALITY
    )
    assert hamar.name == "Hamar kommune"
    assert Organisation.objects.filter(kind=OrganisationKind.COUNTY_MUNICIPALITY).count() == 2
    assert organisations_sync_from_places()["created"] == 0
    assert Municipality.objects.count() == 4


# The county follows the home municipality (the county filters of every register read only
# the organisation's county column).


def test_a_new_home_municipality_in_another_county_brings_its_county(small_places):
    hamar = Municipality.objects.get(number="3403")
    club = make_org("Klubben", municipality=hamar)
    assert club.county.number == "34"
    other = Municipality.objects.exclude(county=hamar.county).first()
    moved = organisation_update(
        actor="test", organisation=club, expected_version=club.version, municipality=other
    )
    moved.refresh_from_db()
    assert (moved.municipality, moved.county) == (other, other.county)
    record = history_for(moved).first()
    assert record.before["county"] != record.after["county"]


def test_a_county_municipality_does_not_follow_a_municipality_into_another_county(small_places):
    innlandet = Municipality.objects.get(number="3403").county
    county_org = make_org(
        "Innlandet fylkeskommune", kind=OrganisationKind.COUNTY_MUNICIPALITY, county=innlandet
    )
    elsewhere = Municipality.objects.exclude(county=innlandet).first()
    with pytest.raises(ValidationError) as info:
        organisation_update(
            actor="test",
            organisation=county_org,
            expected_version=county_org.version,
            municipality=elsewhere,
        )
    assert "county" in info.value.message_dict
    county_org.refresh_from_db()
    assert (county_org.county, county_org.municipality, county_org.version) == (innlandet, None, 1)
