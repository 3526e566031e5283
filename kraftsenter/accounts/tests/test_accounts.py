"""Login, throttling, password reset, profile, API tokens, security settings."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from kraftsenter.accounts.models import ApiToken
from kraftsenter.accounts.tokens import token_create, token_revoke
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(django_user_model):
    return django_user_model.objects.create_user(
        "kari", email="kari@example.no", password="riktig-passord-123"
    )


def test_login_with_right_password_goes_to_profile(client, kari):
    response = client.post(
        "/konto/logg-inn/", {"username": "kari", "password": "riktig-passord-123"}
    )
    assert response.status_code == 302 and response["Location"] == "/konto/profil/"
    assert "kari" in client.get("/konto/profil/").content.decode()


def test_login_wrong_password_shows_error_in_norwegian(client, kari):
    response = client.post("/konto/logg-inn/", {"username": "kari", "password": "feil"})
    assert response.status_code == 200
    assert "korrekt brukernavn og passord" in response.content.decode()


def test_login_is_throttled_after_repeated_failures(client, kari, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/konto/logg-inn/", {"username": "kari", "password": "feil"})
    response = client.post(
        "/konto/logg-inn/", {"username": "kari", "password": "riktig-passord-123"}
    )
    assert response.status_code == 429
    assert "For mange mislykkede innloggingsforsøk" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_logout_needs_post_and_ends_session(client, kari):
    client.force_login(kari)
    assert client.get("/konto/logg-ut/").status_code == 405
    client.post("/konto/logg-ut/")
    assert client.get("/konto/profil/").status_code == 302


def test_password_reset_sends_link_that_sets_new_password(client, kari):
    form = client.get("/konto/passord/glemt/")
    assert form.status_code == 200 and 'name="email"' in form.content.decode()
    sent = client.post("/konto/passord/glemt/", {"email": "kari@example.no"}, follow=True)
    assert "e-post" in sent.content.decode()  # the page tells where the link went
    assert len(mail.outbox) == 1
    link = next(line for line in mail.outbox[0].body.splitlines() if "/konto/passord/nytt/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "et-helt-nytt-passord-9", "new_password2": "et-helt-nytt-passord-9"},
    )
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200  # "the password is set"
    kari.refresh_from_db()
    assert kari.check_password("et-helt-nytt-passord-9")


def test_password_reset_unknown_address_reveals_nothing(client, kari):
    response = client.post("/konto/passord/glemt/", {"email": "ukjent@example.no"})
    assert response.status_code == 302 and len(mail.outbox) == 0


def test_token_create_stores_only_hash_and_shows_token_once(client, kari):
    client.force_login(kari)
    response = client.post("/konto/profil/", {"name": "Rapportskript", "days": 30})
    html = response.content.decode()
    token = ApiToken.objects.get(user=kari)
    shown = html.split('id="new-token" type="text" readonly value="')[1].split('"')[0]
    assert shown.startswith("ks_") and token.key_hash not in html and shown not in token.key_hash
    assert shown not in client.get("/konto/profil/").content.decode()
    assert (
        client.get(
            "/api/v1/organisations", headers={"Authorization": f"Bearer {shown}"}
        ).status_code
        == 200
    )


def test_token_create_bad_days_is_refused_on_page(client, kari):
    client.force_login(kari)
    response = client.post("/konto/profil/", {"name": "x", "days": 999})
    assert response.status_code == 422 and not ApiToken.objects.exists()


@pytest.mark.parametrize("state,fragment", [("revoked", "trukket tilbake"), ("expired", "utløpt")])
def test_token_revoked_or_expired_is_refused_with_reason(client, kari, state, fragment):
    token, text = token_create(actor=kari, user=kari, name="t", days=1)
    if state == "revoked":
        token_revoke(actor=kari, token=token)
    else:
        ApiToken.objects.filter(pk=token.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
    response = client.get("/api/v1/organisations", headers={"Authorization": f"Bearer {text}"})
    assert response.status_code == 401 and fragment in response.json()["detail"]


def test_token_revoke_on_profile_page_is_recorded(client, kari):
    token, _text = token_create(actor=kari, user=kari, name="t", days=1)
    client.force_login(kari)
    client.post(f"/konto/tokener/{token.pk}/trekk-tilbake/")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert [r.action for r in history_for(token)] == ["apitoken.revoked", "apitoken.created"]


def test_create_token_command_prints_token_once(kari, capsys):
    call_command("create_token", "kari", name="cli", days=10)
    out = capsys.readouterr()
    assert out.out.strip().startswith("ks_") and "utløper" in out.err
    assert ApiToken.objects.get(user=kari).key_hash != out.out.strip()


def test_passwords_are_hashed_with_argon2_in_configuration():
    from config import settings as project_settings

    assert project_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_forms_refuse_posts_without_csrf_token(kari):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(kari)
    assert client.post("/konto/profil/", {"name": "x", "days": 5}).status_code == 403


def test_production_settings_need_secret_and_use_secure_cookies(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KRAFTSENTER_", "DJANGO_"))}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path}/x.sqlite3"
    code = "import config.settings as s; print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE)"
    missing = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert missing.returncode != 0 and "DJANGO_SECRET_KEY" in missing.stderr
    env["DJANGO_SECRET_KEY"] = "a-real-secret"
    ok = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert ok.stdout.strip() == "True True"
