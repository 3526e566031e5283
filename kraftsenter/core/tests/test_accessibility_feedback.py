"""The accessibility statement and its feedback channel (forskrift om universell utforming av
IKT-løsninger § 4e): anyone may write, the message is kept and e-mailed to the site
administrators, an empty one is refused, and only site administrators read the list."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext

from kraftsenter.core.models import AccessibilityFeedback

pytestmark = pytest.mark.django_db

URL = "/om/tilgjengelighet/"
LIST_URL = "/om/tilgjengelighet/tilbakemeldinger/"
EMPTY = "Write what does not work, so that we can fix it."


@pytest.fixture(autouse=True)
def _fresh_rate_limit():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def admins():
    User = get_user_model()
    return [
        User.objects.create_user(
            "admin1", email="admin1@example.no", password="x-long-password-1", is_superuser=True
        ),
        User.objects.create_user(
            "admin2", email="admin2@example.no", password="x-long-password-1", is_superuser=True
        ),
        # Not reached: no address, or no longer active, or not a site administrator.
        User.objects.create_user("admin3", password="x-long-password-1", is_superuser=True),
        User.objects.create_user(
            "gone",
            email="gone@example.no",
            password="x-long-password-1",
            is_superuser=True,
            is_active=False,
        ),
        User.objects.create_user("plain", email="plain@example.no", password="x-long-password-1"),
    ]


def _in_norwegian(msgid: str) -> str:
    with translation.override("nb"):
        return gettext(msgid)


def test_statement_names_the_standard_review_date_and_complaint_bodies(client):
    html = client.get(URL).content.decode()
    assert "EN 301 549 V3.2.1 (2021-03)" in html
    assert "§ 4b" in html and "§ 4e" in html
    assert 'datetime="2026-11-29"' in html  # the last review, machine-readable
    assert "https://www.uutilsynet.no/" in html
    assert "https://www.diskrimineringsnemnda.no/" in html
    assert 'name="message"' in html and "csrfmiddlewaretoken" in html


def test_anonymous_feedback_is_stored_and_mailed_to_active_site_admins(client, admins):
    response = client.post(
        URL,
        {"message": "  Kartet på regionsida kan ikke brukes med tastatur.  ", "page": "/regioner/"},
    )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert feedback.message == "Kartet på regionsida kan ikke brukes med tastatur."
    assert (feedback.name, feedback.email, feedback.page) == ("", "", "/regioner/")
    assert feedback.sender is None and feedback.mailed_to == 2
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sorted(sent.to) == ["admin1@example.no", "admin2@example.no"]
    assert "Kartet på regionsida" in sent.body and "/regioner/" in sent.body
    # The sender sees that it went through.
    page = client.get(response["Location"]).content.decode()
    assert _in_norwegian("Thank you. Your message has been sent.") in page


def test_feedback_keeps_name_email_and_logged_in_sender(client, admins):
    plain = admins[-1]
    client.force_login(plain)
    client.post(URL, {"name": "Kari", "email": "kari@example.no", "message": "Lav kontrast."})
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.name, feedback.email, feedback.sender) == ("Kari", "kari@example.no", plain)
    assert "kari@example.no" in mail.outbox[0].body


@pytest.mark.parametrize("message", ["", "   \n  "])
def test_empty_message_is_refused_with_a_clear_message_and_nothing_is_stored(
    client, admins, message
):
    response = client.post(URL, {"name": "Kari", "message": message})
    assert response.status_code == 422
    html = response.content.decode()
    assert _in_norwegian(EMPTY) in html
    assert 'id="error-summary"' in html and 'href="#id_message"' in html
    assert AccessibilityFeedback.objects.count() == 0 and mail.outbox == []


def test_empty_message_is_refused_in_bokmal_whatever_the_browser_asks(client):
    # The site is bokmål first, whatever the browser asks (English by the language link).
    response = client.post(URL, {"message": ""}, HTTP_ACCEPT_LANGUAGE="en")
    with translation.override("nb"):
        expected = gettext(EMPTY)
    assert expected != EMPTY and expected in response.content.decode()


def test_invalid_email_is_refused(client, admins):
    response = client.post(URL, {"email": "not an address", "message": "Noe virker ikke."})
    assert response.status_code == 422
    assert AccessibilityFeedback.objects.count() == 0 and mail.outbox == []


def test_feedback_is_stored_even_without_any_admin_address(client):
    client.post(URL, {"message": "Noe virker ikke."})
    assert AccessibilityFeedback.objects.get().mailed_to == 0
    assert mail.outbox == []


def test_feedback_is_rate_limited_per_client(client, admins, settings):
    settings.KRAFTSENTER_FEEDBACK_PER_HOUR = 2
    for n in range(2):
        assert client.post(URL, {"message": f"Melding {n}"}).status_code == 302
    third = client.post(URL, {"message": "Melding 3"})
    assert third.status_code == 429
    assert (
        _in_norwegian("You have sent many messages in a short time. Try again in an hour.")
        in third.content.decode()
    )
    assert AccessibilityFeedback.objects.count() == 2 and len(mail.outbox) == 2


def test_feedback_post_needs_the_csrf_token():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(URL, {"message": "Uten token."})
    assert response.status_code == 403
    assert AccessibilityFeedback.objects.count() == 0


def test_feedback_list_only_for_site_admins(client, admins):
    AccessibilityFeedback.objects.create(message="Første melding", name="Ola")
    AccessibilityFeedback.objects.create(message="Andre melding", email="e@example.no")

    anonymous = client.get(LIST_URL)
    assert anonymous.status_code == 302 and "/konto/logg-inn/" in anonymous["Location"]

    client.force_login(admins[-1])  # logged in, not a site administrator
    assert client.get(LIST_URL).status_code == 403
    assert LIST_URL not in client.get(URL).content.decode()

    client.force_login(admins[0])
    response = client.get(LIST_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Første melding" in html and "Andre melding" in html and "e@example.no" in html
    assert html.index("Andre melding") < html.index("Første melding")  # newest first
    assert LIST_URL in client.get(URL).content.decode()  # the statement links to it
