"""The password backend (kraftsenter.accounts.backends): the session's user read in one plain
query is the user the ORM reads, a deactivated or removed user ends the session, and sessions
from before the backend (naming Django's) keep their user through the migration."""

from __future__ import annotations

import importlib
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.utils import timezone

from kraftsenter.accounts.backends import BACKEND_PATH, DJANGO_BACKEND_PATH, session_user
from kraftsenter.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db

PASSWORD = "riktig-passord-123"  # noqa: S105 - a test password


def _log_in(client, username: str) -> None:
    response = client.post("/konto/logg-inn/", {"username": username, "password": PASSWORD})
    assert response.status_code == 302


def test_the_session_user_is_the_user_the_orm_reads():
    User = get_user_model()
    User.objects.create_user("first", password=PASSWORD)
    second = User.objects.create_user(
        "andre", password=PASSWORD, first_name="Áile", last_name="Ø", email="a@example.no"
    )
    second.last_login = timezone.now()
    second.is_staff = True
    second.save()
    read = session_user(str(second.pk))  # as a session stores it
    expected = User.objects.get(pk=second.pk)
    assert read is not None and read.pk == second.pk
    for field in User._meta.concrete_fields:
        value = getattr(read, field.attname)
        assert value == getattr(expected, field.attname), field.name
        assert type(value) is type(getattr(expected, field.attname)), field.name
    assert read._state.adding is False and read._state.db == "default"
    assert read.check_password(PASSWORD)
    assert session_user(second.pk + 1000) is None
    assert session_user("not-a-number") is None


def test_a_password_login_keeps_each_user_and_records_this_backend(client, django_user_model):
    django_user_model.objects.create_user("kari", password=PASSWORD, first_name="Kari")
    django_user_model.objects.create_user("ola", password=PASSWORD, first_name="Ola")
    _log_in(client, "kari")
    assert client.session[BACKEND_SESSION_KEY] == BACKEND_PATH
    assert ">Kari</span>" in client.get("/konto/profil/").content.decode()
    client.post("/konto/logg-ut/")
    _log_in(client, "ola")
    page = client.get("/konto/profil/").content.decode()
    assert ">Ola</span>" in page and "Kari" not in page


def test_a_deactivated_or_changed_password_user_is_logged_out(client, django_user_model):
    kari = django_user_model.objects.create_user("kari", password=PASSWORD)
    _log_in(client, "kari")
    assert client.get("/konto/profil/").status_code == 200
    kari.is_active = False
    kari.save()
    response = client.get("/konto/profil/")
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    kari.is_active = True
    kari.save()
    _log_in(client, "kari")
    kari.set_password("et-annet-passord-456")
    kari.save()
    assert client.get("/konto/profil/").status_code == 302


def test_sessions_from_before_keep_their_user_through_the_migration(client, django_user_model):
    migration = importlib.import_module("kraftsenter.accounts.migrations.0006_session_backend")
    kari = django_user_model.objects.create_user("kari", password=PASSWORD, first_name="Kari")
    ola = django_user_model.objects.create_user("ola", password=PASSWORD, first_name="Ola")
    client.force_login(kari, backend=BACKEND_PATH)
    old = client.session
    old[BACKEND_SESSION_KEY] = DJANGO_BACKEND_PATH  # as a login before the upgrade saved it
    old.save()
    other = SessionStore()
    other.update({"preference": "nn"})  # a visitor's session without a login
    other.save()
    third = SessionStore()
    third.update({BACKEND_SESSION_KEY: DJANGO_BACKEND_PATH, "_auth_user_id": str(ola.pk)})
    third.save()
    # Before the migration Django's backend is no longer configured: the session has no user.
    response = client.get("/konto/profil/")
    assert response.status_code == 302
    migration.forwards(apps, SimpleNamespace(connection=connection))
    assert SessionStore(old.session_key)[BACKEND_SESSION_KEY] == BACKEND_PATH
    assert SessionStore(third.session_key)[BACKEND_SESSION_KEY] == BACKEND_PATH
    assert SessionStore(other.session_key).load() == {"preference": "nn"}
    assert ">Kari</span>" in client.get("/konto/profil/").content.decode()
    migration.backwards(apps, SimpleNamespace(connection=connection))
    assert SessionStore(old.session_key)[BACKEND_SESSION_KEY] == DJANGO_BACKEND_PATH
    assert Session.objects.count() == 3


def test_the_session_user_comes_with_its_roles_and_a_change_is_read_at_the_next_request(
    client, django_user_model, django_assert_num_queries
):
    """Read with the user in one statement: each active membership, none archived, and a
    user without any has none; what a page then asks of the roles needs no query."""
    from kraftsenter.actors.choices import OrganisationKind
    from kraftsenter.actors.models import Membership
    from kraftsenter.actors.services import organisation_create
    from kraftsenter.core.permissions import _read_roles, organisation_roles

    orgs = [
        organisation_create(actor="test", name=f"Lag {i}", kind=OrganisationKind.ASSOCIATION)
        for i in range(3)
    ]
    kari = django_user_model.objects.create_user("kari", password=PASSWORD)
    ola = django_user_model.objects.create_user("ola", password=PASSWORD)
    Membership.objects.create(user=kari, organisation=orgs[0], role="admin")
    Membership.objects.create(user=kari, organisation=orgs[1], role="editor")
    gone = Membership.objects.create(user=kari, organisation=orgs[2], role="member")
    gone.archived_at = timezone.now()
    gone.save()
    Membership.objects.create(user=ola, organisation=orgs[2], role="editor")
    for user, roles in (
        (kari, {orgs[0].pk: "admin", orgs[1].pk: "editor"}),
        (ola, {orgs[2].pk: "editor"}),
        (django_user_model.objects.create_user("per", password=PASSWORD), {}),
    ):
        with django_assert_num_queries(1):
            read = session_user(user.pk)
            assert organisation_roles(read) == roles
        assert _read_roles(user.pk) == roles  # what the roles' own read reads
    # A new membership is there at the next request: the statement is kept, not the rows.
    Membership.objects.create(user=ola, organisation=orgs[0], role="member")
    assert organisation_roles(session_user(ola.pk)) == {orgs[2].pk: "editor", orgs[0].pk: "member"}
    # Through a request: the editor's own organisation page offers what an editor may do.
    _log_in(client, "ola")
    page = client.get(orgs[2].get_absolute_url()).content.decode()
    assert f"{orgs[2].get_absolute_url()}endre/" in page
    assert (
        f"{orgs[1].get_absolute_url()}endre/"
        not in client.get(orgs[1].get_absolute_url()).content.decode()
    )
