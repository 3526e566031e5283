"""Organisation pages as users see them."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import ContactPerson, Membership, Organisation
from kraftsenter.actors.services import membership_add, organisation_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def org_with_admin(small_places):
    org = organisation_create(
        actor="test",
        name="Løten frivilligsentral",
        kind=OrganisationKind.VOLUNTARY,
        description="Vi driver **frivillighet**.\n\n<script>x</script>",
    )
    admin = get_user_model().objects.create_user("admin1", password="x-long-password-1")
    membership_add(actor="test", organisation=org, user=admin, role=Role.ADMIN)
    return org, admin


def test_organisation_list_filters_and_counts(client, org_with_admin):
    organisation_create(actor="test", name="Hamar næringsforening", kind=OrganisationKind.BUSINESS)
    html = client.get("/organisasjoner/", {"kind": "voluntary"}).content.decode()
    assert "Løten frivilligsentral" in html and "Hamar næringsforening" not in html
    assert "1 organisasjon" in html


def test_organisation_list_csv_export_has_bom_and_norwegian_letters(client, org_with_admin):
    response = client.get("/organisasjoner/", {"format": "csv"})
    body = b"".join(response.streaming_content)
    assert body.startswith("\ufeff".encode()) and "Løten frivilligsentral".encode() in body


def test_organisation_detail_renders_sanitised_markdown(client, org_with_admin):
    org, _admin = org_with_admin
    html = client.get(org.get_absolute_url()).content.decode()
    assert "<strong>frivillighet</strong>" in html and "<script>x</script>" not in html


def test_organisation_edit_page_shows_field_errors_and_keeps_input(client, org_with_admin):
    org, admin = org_with_admin
    client.force_login(admin)
    response = client.post(
        f"/organisasjoner/{org.pk}/endre/",
        {
            "name": "Nytt navn",
            "kind": "voluntary",
            "organisation_number": "974760674",
            "version": 1,
        },
    )
    html = response.content.decode()
    assert response.status_code == 422 and "kontrollsifferet" in html and "Nytt navn" in html
    org.refresh_from_db()
    assert org.name == "Løten frivilligsentral"


def test_organisation_create_page_for_editor_registers_and_redirects(client, org_with_admin):
    _org, admin = org_with_admin
    client.force_login(admin)
    response = client.post(
        "/organisasjoner/ny/", {"name": "Nytt lag", "kind": "association", "municipality": "3412"}
    )
    created = Organisation.objects.get(name="Nytt lag")
    assert response.status_code == 302 and response["Location"] == created.get_absolute_url()
    assert created.municipality.number == "3412"


def test_organisation_create_page_forbidden_for_user_without_role_with_helpful_page(client, db):
    user = get_user_model().objects.create_user("ingen", password="x-long-password-1")
    client.force_login(user)
    response = client.get("/organisasjoner/ny/")
    assert response.status_code == 403
    assert "administrator i organisasjonen din" in response.content.decode()


def test_members_page_admin_adds_member_and_changes_role(client, org_with_admin):
    org, admin = org_with_admin
    get_user_model().objects.create_user("ny", password="x-long-password-1")
    client.force_login(admin)
    client.post(f"/organisasjoner/{org.pk}/medlemmer/", {"username": "ny", "role": "member"})
    membership = Membership.objects.get(user__username="ny")
    client.post(f"/organisasjoner/{org.pk}/medlemmer/{membership.pk}/rolle/", {"role": "editor"})
    membership.refresh_from_db()
    assert membership.role == "editor" and membership.version == 2


def test_members_page_unknown_user_is_explained(client, org_with_admin):
    org, admin = org_with_admin
    client.force_login(admin)
    response = client.post(f"/organisasjoner/{org.pk}/medlemmer/", {"username": "finnesikke"})
    assert response.status_code == 422 and "finnesikke" in response.content.decode()


def test_members_page_forbidden_for_editor(client, org_with_admin):
    org, _admin = org_with_admin
    editor = get_user_model().objects.create_user("red", password="x-long-password-1")
    membership_add(actor="test", organisation=org, user=editor, role=Role.EDITOR)
    client.force_login(editor)
    assert client.get(f"/organisasjoner/{org.pk}/medlemmer/").status_code == 403


def test_contact_person_add_and_remove_keep_history(client, org_with_admin):
    org, admin = org_with_admin
    client.force_login(admin)
    client.post(
        f"/organisasjoner/{org.pk}/kontaktpersoner/ny/",
        {"name": "Kari Nordmann", "title": "Daglig leder", "work_email": "kari@example.no"},
    )
    person = ContactPerson.objects.get()
    assert "Kari Nordmann" in client.get(org.get_absolute_url()).content.decode()
    client.post(f"/organisasjoner/{org.pk}/kontaktpersoner/{person.pk}/fjern/")
    person.refresh_from_db()
    assert person.archived_at is not None
    assert "Kari Nordmann" not in client.get(org.get_absolute_url()).content.decode()


def test_archive_page_then_restore_page(client, org_with_admin):
    org, admin = org_with_admin
    client.force_login(admin)
    client.post(f"/organisasjoner/{org.pk}/arkiver/", {"version": 1, "reason": "Lagt ned"})
    org.refresh_from_db()
    assert org.is_archived
    assert org.name not in client.get("/organisasjoner/").content.decode()
    client.post(f"/organisasjoner/{org.pk}/gjenopprett/", {"version": 2})
    org.refresh_from_db()
    assert not org.is_archived
    history = client.get(f"/organisasjoner/{org.pk}/historikk/").content.decode()
    assert "Arkivert" in history and "Gjenopprettet" in history and "Lagt ned" in history
    assert "organisation.archived" not in history  # people read labels, not internal codes


def test_organisation_list_query_count_constant(client, db, django_assert_max_num_queries):
    for i in range(60):
        organisation_create(actor="test", name=f"Lag {i:02d}", kind=OrganisationKind.ASSOCIATION)
    with django_assert_max_num_queries(8):
        client.get("/organisasjoner/")


def test_an_organisations_pages_show_it_to_whom_the_policy_lets_see_it(org_with_admin):
    """An organisation read by its key (a statement kept per kind of user, core.prepared):
    archived, only its own members and site admins see it; the member of another
    organisation, the outsider and the visitor get a 404, on its page, its dashboard and
    through the API."""
    from django.test import Client

    from kraftsenter.actors.services import organisation_archive

    org, admin = org_with_admin
    other = organisation_create(actor="test", name="Hamar idrettslag", kind="association")
    stranger = get_user_model().objects.create_user("other1", password="x-long-password-1")
    membership_add(actor="test", organisation=other, user=stranger, role=Role.ADMIN)
    outsider = get_user_model().objects.create_user("outsider1", password="x-long-password-1")
    site_admin = get_user_model().objects.create_superuser("root1", password="x-long-password-1")
    users = {"visitor": None, "outsider": outsider, "other's admin": stranger}
    users |= {"own admin": admin, "site admin": site_admin}

    def statuses(target) -> dict[str, tuple[int, int, int]]:
        found = {}
        for who, user in users.items():
            client = Client()
            if user is not None:
                client.force_login(user)
            found[who] = (
                client.get(f"/organisasjoner/{target.pk}/").status_code,
                client.get(f"/dashbord/organisasjoner/{target.pk}/").status_code,
                client.get(f"/api/v1/organisations/{target.pk}").status_code,
            )
        return found

    assert set(statuses(org).values()) == {(200, 200, 200)}
    organisation_archive(actor="test", organisation=org)
    seen = {who for who, codes in statuses(org).items() if codes == (200, 200, 200)}
    assert seen == {"own admin", "site admin"}
    assert {codes for who, codes in statuses(org).items() if who not in seen} == {(404, 404, 404)}
    # The other organisation, not archived, through the same statements.
    assert set(statuses(other).values()) == {(200, 200, 200)}


def test_organisation_page_lists_its_own_current_contacts_and_members_only(client, org_with_admin):
    """Three contact people (the second archived) and three members (one ended) of one
    organisation, one of each of another: each page lists its own current ones in name order,
    members only for those who may see them."""
    from django.utils import timezone

    org, admin = org_with_admin
    other = organisation_create(
        actor="test", name="Stange idrettslag", kind=OrganisationKind.VOLUNTARY
    )
    users = get_user_model().objects
    for name in ("Cecilie Berg", "Bjørn Dahl", "Anne Aas"):
        ContactPerson.objects.create(organisation=org, name=name)
    ContactPerson.objects.filter(name="Bjørn Dahl").update(archived_at=timezone.now())
    ContactPerson.objects.create(organisation=other, name="Per Stange")
    membership_add(actor="test", organisation=org, user=users.create_user("zara"), role=Role.EDITOR)
    ended = users.create_user("ylva")
    membership_add(actor="test", organisation=org, user=ended, role=Role.MEMBER)
    Membership.objects.filter(user=ended).update(archived_at=timezone.now())
    membership_add(
        actor="test", organisation=other, user=users.create_user("otto"), role=Role.ADMIN
    )

    def page(organisation) -> str:
        return client.get(organisation.get_absolute_url()).content.decode()

    for _round in range(2):  # a second read of the same statement gives the same
        client.force_login(admin)
        html = page(org)
        assert html.index("Anne Aas") < html.index("Cecilie Berg")
        assert "Bjørn Dahl" not in html and "Per Stange" not in html
        assert "<li>admin1 – " in html and "<li>zara – " in html
        assert "<li>ylva" not in html and "<li>otto" not in html
        client.logout()
        html = page(org)
        assert "Anne Aas" in html and "Cecilie Berg" in html  # contacts are public
        assert "<li>admin1" not in html and "<li>zara" not in html  # members are not
    # the other organisation's page: its own rows, not the first page's
    client.force_login(users.get(username="otto"))
    html = page(other)
    assert "Per Stange" in html and "<li>otto – " in html
    assert "Anne Aas" not in html and "<li>admin1" not in html and "<li>zara" not in html
    # a contact added is there at the next read: the statement is kept, not the rows
    ContactPerson.objects.create(organisation=other, name="Kari Stange")
    assert "Kari Stange" in page(other)
