"""The session store (kraftsenter.accounts.sessions): Django's database sessions, read with
one plain query: a live session keeps the user logged in, an expired or unknown one does not,
and the data written is the data read."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from kraftsenter.accounts.sessions import SessionStore

pytestmark = pytest.mark.django_db


def _login(client, name: str):
    user = get_user_model().objects.create_user(name, password="x-long-password-1")
    client.force_login(user)
    return user


def test_a_live_session_is_read_with_one_query_and_keeps_the_user(client):
    _login(client, "kari")
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/konto/profil/")
    assert response.status_code == 200 and "kari" in response.content.decode()
    reads = [q["sql"] for q in queries if "django_session" in q["sql"]]
    assert len(reads) == 1 and "expire_date" in reads[0]


def test_an_expired_session_logs_the_user_out(client):
    _login(client, "ola")
    Session.objects.update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    response = client.get("/konto/profil/")
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]


def test_unknown_key_reads_nothing_and_the_data_written_is_read_back():
    assert SessionStore("no-such-session-key-0123456789abcd").load() == {}
    store = SessionStore()
    store["preference"] = {"language": "nn", "n": 2}
    store.save()
    again = SessionStore(store.session_key)
    assert again["preference"] == {"language": "nn", "n": 2}
    # A second session is its own.
    other = SessionStore()
    other["preference"] = "se"
    other.save()
    assert SessionStore(other.session_key)["preference"] == "se"
    assert SessionStore(store.session_key)["preference"]["language"] == "nn"
