"""An account's preferred language: set on the profile page or with the language switch, used
for the digest e-mail (consultations/tests/test_digest.py checks the e-mail itself)."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation
from django.utils.translation import gettext

from kraftsenter.accounts.models import AccountPreference
from kraftsenter.accounts.preferences import (
    language_preference_set,
    preferred_language,
    preferred_languages,
)
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def kari(django_user_model):
    return django_user_model.objects.create_user("kari", email="k@example.no", password="pw-1234x")


@pytest.fixture
def ola(django_user_model):
    return django_user_model.objects.create_user("ola", email="o@example.no", password="pw-1234x")


def test_bokmal_until_chosen(kari, ola):
    language_preference_set(actor=ola, user=ola, language="nn")
    assert preferred_language(kari) == "nb"
    assert preferred_languages([kari.pk, ola.pk]) == {kari.pk: "nb", ola.pk: "nn"}


def test_profile_shows_the_four_languages_named_in_their_own_language(client, kari):
    client.force_login(kari)
    page = client.get("/konto/profil/").content.decode()
    form = page[page.index('id="language-form"') :]
    for code, name in settings.LANGUAGES:
        assert f'value="{code}"' in form and f'lang="{code}"' in form and name in form
    assert '<option value="nb" selected lang="nb">' in form


def test_profile_saves_the_language_and_switches_the_site(client, kari):
    client.force_login(kari)
    response = client.post("/konto/profil/", {"language": "se"})
    assert response.status_code == 302 and response["Location"] == "/konto/profil/"
    assert preferred_language(kari) == "se"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "se"
    preference = AccountPreference.objects.get(user=kari)
    assert [r.action for r in history_for(preference)] == ["accountpreference.changed"]
    assert '<option value="se" selected lang="se">' in client.get("/konto/profil/").content.decode()
    # The second choice changes the same preference and is recorded too.
    client.post("/konto/profil/", {"language": "en"})
    assert preferred_language(kari) == "en" and AccountPreference.objects.count() == 1
    assert len(history_for(preference)) == 2


def test_profile_refuses_an_unknown_language_with_a_message(client, kari):
    language_preference_set(actor=kari, user=kari, language="nn")
    client.force_login(kari)
    response = client.post("/konto/profil/", {"language": "xx"})
    assert response.status_code == 422
    page = response.content.decode()
    with translation.override("nb"):
        message = gettext(
            "There is no language “%(value)s” here. Choose bokmål, nynorsk, Northern Sami "
            "or English."
        ) % {"value": "xx"}
    assert 'id="error-summary"' in page and message in page
    assert preferred_language(kari) == "nn"  # unchanged
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


def test_service_refuses_unknown_code_and_other_accounts(kari, ola):
    with pytest.raises(ValidationError) as exc:
        language_preference_set(actor=kari, user=kari, language="sv")
    assert "language" in exc.value.message_dict
    with pytest.raises(PermissionDenied):
        language_preference_set(actor=ola, user=kari, language="en")
    assert not AccountPreference.objects.exists()


def test_same_language_again_writes_no_history(kari):
    preference = language_preference_set(actor=kari, user=kari, language="nn")
    language_preference_set(actor=kari, user=kari, language="nn")
    assert len(history_for(preference)) == 1


def test_language_switch_stores_the_logged_in_users_preference(client, kari):
    client.force_login(kari)
    response = client.get("/sprak/se/", {"next": "/kommuner/"})
    assert response.status_code == 302
    assert preferred_language(kari) == "se"
    client.get("/sprak/nn/")
    assert preferred_language(kari) == "nn"


def test_language_switch_stores_nothing_for_anonymous_or_unknown_code(client, kari):
    client.get("/sprak/se/")
    assert not AccountPreference.objects.exists()
    client.force_login(kari)
    assert client.get("/sprak/xx/").status_code == 404
    assert not AccountPreference.objects.exists()
