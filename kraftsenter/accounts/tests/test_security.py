"""A new password ends the personal API tokens; the profile shows each token's expiry and last
use; the security log records logins that failed, lock-outs, tokens, roles and passwords, for
the site administrators only, and never a password or a token."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.utils import timezone, translation
from django.utils.formats import date_format

from kraftsenter.accounts.models import ApiToken, SecurityEvent, SecurityEventKind
from kraftsenter.accounts.tokens import organisation_token_create, token_create, token_revoke
from kraftsenter.actors.choices import Role
from kraftsenter.actors.models import Membership
from kraftsenter.actors.services import (
    membership_add,
    membership_change_role,
    membership_end,
    organisation_create,
)
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db

PASSWORD = "riktig-passord-123"
NEW_PASSWORD = "et-helt-nytt-passord-9"
LOG = "/konto/sikkerhetslogg/"


@pytest.fixture
def kari(django_user_model):
    return django_user_model.objects.create_user("kari", email="kari@example.no", password=PASSWORD)


@pytest.fixture
def org(db):
    return organisation_create(actor="t", name="Hamar frivilligsentral", kind="voluntary")


@pytest.fixture(autouse=True)
def english(client):
    """Pages in English: the messages here are new, and their bokmål comes later."""
    client.cookies["django_language"] = "en"


def user_with(org, role, name):
    user = get_user_model().objects.create_user(name, password="x-long-password-1")
    membership_add(actor="t", organisation=org, user=user, role=role)
    return user


def bearer(text: str) -> dict:
    return {"Authorization": f"Bearer {text}"}


def events(kind) -> list[SecurityEvent]:
    return list(SecurityEvent.objects.filter(kind=kind))


def works(client, text: str) -> bool:
    return client.get("/api/v1/counties", headers=bearer(text)).status_code == 200


# --- a new password ends the personal tokens ----------------------------------------------------


def test_password_change_page_revokes_personal_tokens_and_says_so(client, kari, org):
    _t1, personal = token_create(actor=kari, user=kari, name="skript", days=30)
    _t2, second = token_create(actor=kari, user=kari, name="rapport", days=30)
    membership_add(actor="t", organisation=org, user=kari, role=Role.ADMIN)
    _org_token, organisation_text = organisation_token_create(
        actor=kari, organisation=org, name="Sakarkiv", days=30, scopes=["read"]
    )
    other = get_user_model().objects.create_user("ola", password="x-long-password-1")
    _t3, others = token_create(actor=other, user=other, name="ola sitt", days=30)
    client.force_login(kari)
    response = client.post(
        "/konto/passord/endre/",
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/konto/profil/"
    assert "Your password is changed." in html
    assert "Your 2 personal API tokens were revoked" in html
    assert not works(client, personal) and not works(client, second)
    assert works(client, organisation_text) and works(client, others)
    (event,) = events(SecurityEventKind.PASSWORD_CHANGED)
    assert event.user == kari and event.ip_address == "127.0.0.1"
    assert event.details == {"revoked_tokens": 2, "on_pages": True}
    token = ApiToken.objects.get(name="skript")
    assert [r.action for r in history_for(token)] == ["apitoken.revoked", "apitoken.created"]
    assert history_for(token).first().actor_name == "password-change"


def test_password_reset_by_email_revokes_personal_tokens_and_says_so(client, kari):
    _token, personal = token_create(actor=kari, user=kari, name="skript", days=30)
    client.post("/konto/passord/glemt/", {"email": "kari@example.no"})
    link = next(line for line in mail.outbox[0].body.splitlines() if "/konto/passord/nytt/" in line)
    form_page = client.get(link.split("testserver", 1)[1], follow=True)
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
        follow=True,
    )
    html = response.content.decode()
    assert response.status_code == 200 and "Your personal API token was revoked" in html
    assert not works(client, personal)
    (event,) = events(SecurityEventKind.PASSWORD_RESET)
    assert event.user == kari and event.details["revoked_tokens"] == 1
    assert event.ip_address == "127.0.0.1"


def test_password_set_elsewhere_revokes_tokens_too(client, kari):
    """The Django admin and `changepassword` save the user as well: the tokens end as well."""
    _token, personal = token_create(actor=kari, user=kari, name="skript", days=30)
    kari.set_password(NEW_PASSWORD)
    kari.save()
    assert not works(client, personal)
    (event,) = events(SecurityEventKind.PASSWORD_CHANGED)
    assert event.details == {"revoked_tokens": 1, "on_pages": False} and event.ip_address is None


def test_saving_a_user_without_a_new_password_keeps_the_tokens(client, kari):
    _token, personal = token_create(actor=kari, user=kari, name="skript", days=30)
    kari.first_name = "Kari"
    kari.save()
    client.post("/konto/logg-inn/", {"username": "kari", "password": PASSWORD})  # last_login
    assert works(client, personal)
    assert not events(SecurityEventKind.PASSWORD_CHANGED)


def test_password_change_leaves_expired_and_revoked_tokens_as_they_were(kari):
    expired, _ = token_create(actor=kari, user=kari, name="gammel", days=1)
    ApiToken.objects.filter(pk=expired.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    revoked, _ = token_create(actor=kari, user=kari, name="trukket", days=1)
    token_revoke(actor=kari, token=revoked)
    before = {t.pk: t.revoked_at for t in ApiToken.objects.all()}
    kari.set_password(NEW_PASSWORD)
    kari.save()
    assert {t.pk: t.revoked_at for t in ApiToken.objects.all()} == before
    assert events(SecurityEventKind.PASSWORD_CHANGED)[0].details["revoked_tokens"] == 0


# --- the profile page ---------------------------------------------------------------------------


def test_profile_shows_each_tokens_expiry_and_last_use(client, kari):
    used, text = token_create(actor=kari, user=kari, name="brukt", days=30)
    token_create(actor=kari, user=kari, name="ubrukt", days=30)
    assert works(client, text)
    used.refresh_from_db()
    client.force_login(kari)
    html = client.get("/konto/profil/").content.decode()
    assert "Last used" in html and "Expires" in html
    rows = {row.split("</td>")[0]: row for row in html.split("<tr><td>")[1:]}
    local = timezone.localtime
    with translation.override("en"):
        last_used = date_format(local(used.last_used_at), "SHORT_DATETIME_FORMAT")
        expires = date_format(local(used.expires_at), "SHORT_DATE_FORMAT")
    assert last_used in rows["brukt"] and expires in rows["brukt"]
    assert rows["ubrukt"].count("<td>–</td>") == 1  # never used
    assert "all your personal tokens are revoked" in html


# --- what the log records -----------------------------------------------------------------------


def test_failed_login_is_logged_with_the_name_tried_and_the_address_not_the_password(client, kari):
    client.post("/konto/logg-inn/", {"username": "kari", "password": "feil-passord-1"})
    client.post("/konto/logg-inn/", {"username": "finnes-ikke", "password": "hemmelig-2"})
    known, unknown = sorted(events(SecurityEventKind.LOGIN_FAILED), key=lambda e: e.pk)
    assert (known.username, known.user, known.ip_address) == ("kari", kari, "127.0.0.1")
    assert (unknown.username, unknown.user) == ("finnes-ikke", None)
    stored = json.dumps(list(SecurityEvent.objects.values()), default=str)
    assert "feil-passord-1" not in stored and "hemmelig-2" not in stored


def test_lockout_is_logged_once_per_lockout(client, kari, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT + 2):
        client.post("/konto/logg-inn/", {"username": "kari", "password": "feil"})
    (lockout,) = events(SecurityEventKind.LOCKED_OUT)
    assert (lockout.username, lockout.user, lockout.ip_address) == ("kari", kari, "127.0.0.1")
    assert len(events(SecurityEventKind.LOGIN_FAILED)) == settings.AXES_FAILURE_LIMIT + 2


def test_tokens_created_and_revoked_are_logged_without_the_secret(kari, org):
    token, text = token_create(actor=kari, user=kari, name="skript", days=30)
    token_revoke(actor=kari, token=token)
    membership_add(actor="t", organisation=org, user=kari, role=Role.ADMIN)
    _org_token, org_text = organisation_token_create(
        actor=kari, organisation=org, name="Sakarkiv", days=30, scopes=["read"]
    )
    created = events(SecurityEventKind.TOKEN_CREATED)
    (revoked,) = events(SecurityEventKind.TOKEN_REVOKED)
    assert {e.details["token"] for e in created} == {"skript", "Sakarkiv"}
    assert revoked.details["prefix"] == token.prefix and revoked.actor_name == "kari"
    organisation_event = next(e for e in created if e.details["token"] == "Sakarkiv")
    assert organisation_event.details["organisation"] == org.name
    assert "Hamar frivilligsentral" in organisation_event.summary
    stored = json.dumps(list(SecurityEvent.objects.values()), default=str)
    assert text not in stored and org_text not in stored
    assert token.key_hash not in stored and text[10:] not in stored


def test_role_given_changed_and_ended_are_logged_with_who_did_it(org):
    admin = user_with(org, Role.ADMIN, "sjef")
    member = user_with(org, Role.MEMBER, "medlem")
    membership = Membership.objects.get(user=member)
    membership = membership_change_role(actor=admin, membership=membership, role=Role.EDITOR)
    membership_change_role(actor=admin, membership=membership, role=Role.EDITOR)  # no change
    membership_end(actor=admin, membership=membership)
    given = [e for e in events(SecurityEventKind.ROLE_GIVEN) if e.user == member]
    (changed,) = events(SecurityEventKind.ROLE_CHANGED)
    (ended,) = events(SecurityEventKind.ROLE_ENDED)
    assert given[0].details["role"] == "member" and given[0].actor_name == "t"
    assert (changed.details["previous_role"], changed.details["role"]) == ("member", "editor")
    assert changed.actor_name == "sjef" and changed.username == "medlem"
    assert changed.summary == f"Hamar frivilligsentral: {Role.MEMBER.label} → {Role.EDITOR.label}"
    assert ended.user == member and ended.details["role"] == "editor"


def test_site_admin_given_and_removed_are_logged(django_user_model):
    user = django_user_model.objects.create_user("vanlig", password="x-long-password-1")
    boss = django_user_model.objects.create_superuser("sjef", password="x-long-password-1")
    user.is_superuser = True
    user.save()
    user.is_superuser = False
    user.save(update_fields=["is_superuser"])
    given = events(SecurityEventKind.SITE_ADMIN_GIVEN)
    assert {e.username for e in given} == {"vanlig", "sjef"} and boss in {e.user for e in given}
    assert [e.username for e in events(SecurityEventKind.SITE_ADMIN_REMOVED)] == ["vanlig"]


# --- who reads it -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "who,status",
    [("anonymous", 302), ("member", 403), ("org_admin", 403), ("site_admin", 200)],
)
def test_security_log_page_is_for_site_admins_only(client, org, who, status):
    users = {
        "member": lambda: user_with(org, Role.MEMBER, "medlem"),
        "org_admin": lambda: user_with(org, Role.ADMIN, "orgadmin"),
        "site_admin": lambda: get_user_model().objects.create_superuser(
            "site", password="x-long-password-1"
        ),
    }
    if who in users:
        client.force_login(users[who]())
    response = client.get(LOG)
    assert response.status_code == status
    if who == "anonymous":
        assert response["Location"] == f"/konto/logg-inn/?next={LOG}"
    if who == "site_admin":
        assert "<h1" in response.content.decode() and "Security log" in response.content.decode()


@pytest.fixture
def site_admin(client, django_user_model):
    admin = django_user_model.objects.create_superuser("site", password="x-long-password-1")
    client.force_login(admin)
    return admin


def test_security_log_filters_by_kind_date_and_name(client, kari, site_admin):
    Client().post("/konto/logg-inn/", {"username": "inntrenger", "password": "feil"})
    token_create(actor=kari, user=kari, name="skript", days=30)
    old = SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN_FAILED, username="gammel")
    SecurityEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=40)
    )

    def names(**params) -> set[str]:
        response = client.get(LOG, params)
        assert response.status_code == 200
        return {e.username for e in response.context["events"]}

    assert names(kind="login_failed") == {"inntrenger", "gammel"}
    assert names(kind="token_created") == {"kari"}
    recent = (timezone.localdate() - dt.timedelta(days=1)).isoformat()
    assert names(kind="login_failed", date_from=recent) == {"inntrenger"}
    assert names(date_to=(timezone.localdate() - dt.timedelta(days=30)).isoformat()) == {"gammel"}
    assert names(q="inntr") == {"inntrenger"}
    assert "127.0.0.1" in client.get(LOG, {"q": "127.0.0.1"}).content.decode()
    refused = client.get(LOG, {"kind": "finnes-ikke"})
    assert refused.status_code == 200 and not refused.context["events"]
    html = client.get(LOG, {"kind": "token_created"}).content.decode()
    assert "API token created" in html and "“skript” (ks_" in html


def test_security_log_is_paginated(client, site_admin):
    SecurityEvent.objects.bulk_create(
        SecurityEvent(kind=SecurityEventKind.LOGIN_FAILED, username=f"u{i}") for i in range(55)
    )
    first = client.get(LOG, {"kind": "login_failed"})
    assert len(first.context["events"]) == 50 and first.context["paginator"].num_pages == 2
    assert len(client.get(LOG, {"kind": "login_failed", "page": 2}).context["events"]) == 5


def test_security_log_in_the_django_admin_is_read_only(client, site_admin):
    SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN_FAILED, username="x")
    assert client.get("/admin/accounts/securityevent/").status_code == 200
    assert client.get("/admin/accounts/securityevent/add/").status_code == 403


def test_prune_security_log_keeps_the_retention_period(settings):
    from django.core.management import call_command

    settings.KRAFTSENTER_SECURITY_LOG_DAYS = 30
    kept = SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN_FAILED, username="ny")
    old = SecurityEvent.objects.create(kind=SecurityEventKind.LOGIN_FAILED, username="gammel")
    SecurityEvent.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(days=31)
    )
    call_command("prune_security_log")
    assert list(SecurityEvent.objects.values_list("pk", flat=True)) == [kept.pk]
    call_command("prune_security_log", days=1)  # an explicit period wins over the setting
    assert SecurityEvent.objects.filter(pk=kept.pk).exists()


def test_profile_shows_the_bearer_example_as_text_not_as_a_tag(client, kari):
    client.force_login(kari)
    assert "Bearer &lt;token&gt;" in client.get("/konto/profil/").content.decode()
