"""The page chrome rendered once per language (core/templatetags/chrome.py): each page still
gets its own address in the links, in its own language, escaped."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import translation

from kraftsenter.core.templatetags import chrome

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh():
    chrome.forget()
    yield
    chrome.forget()


@override_settings(DEBUG=False)
def test_each_page_links_back_to_itself(client):
    first = client.get("/kommuner/").content.decode()
    second = client.get("/fylker/").content.decode()
    assert "?next=/kommuner/" in first and "?side=/kommuner/" in first
    assert "?next=/fylker/" in second and "?side=/fylker/" in second
    assert "/kommuner/" not in second.split('id="ks-lang-panel"')[1].split("</ul>")[0]


@override_settings(DEBUG=False)
def test_the_address_is_quoted_and_escaped(client):
    html = client.get('/sok/?q=<b>"x&y=1').content.decode()
    # The test client sends the query percent-encoded, as a browser does; quoting it again
    # is what {{ path|urlencode }} always wrote.
    assert "?next=/sok/%3Fq%3D%253Cb%253E%2522x%26y%3D1" in html
    assert '<b>"x' not in html.split('id="ks-lang-panel"')[1]


@override_settings(DEBUG=False)
def test_the_menu_follows_the_language_of_the_page(client):
    with translation.override("nb"):
        counties_nb = translation.gettext("Counties")
        correction = translation.gettext("Suggest a correction to the translation")
    with translation.override("nn"):
        counties_nn = translation.gettext("Counties")
        correction_nn = translation.gettext("Suggest a correction to the translation")
    bokmaal = client.get("/kommuner/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nn"
    nynorsk = client.get("/kommuner/").content.decode()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "nb"
    again = client.get("/kommuner/").content.decode()
    assert counties_nb != counties_nn  # "Fylker" / "Fylke"
    assert f">{counties_nb}</a>" in bokmaal and f">{counties_nn}</a>" in nynorsk
    assert correction_nn in nynorsk and correction not in bokmaal
    assert f">{counties_nb}</a>" in again and correction not in again
    assert 'aria-current="true"' in nynorsk.split('data-ks-language="nn"')[1].split(">")[0]


@override_settings(DEBUG=False)
def test_the_account_menu_is_the_users_own(client, django_user_model):
    anonymous = client.get("/kommuner/").content.decode()
    assert "/konto/logg-inn/?next=/kommuner/" in anonymous or "?next=/kommuner/" in anonymous
    first = django_user_model.objects.create_user("kari", password="x", first_name="Kari")
    second = django_user_model.objects.create_user("ola", password="x", first_name="Ola")
    client.force_login(first)
    assert ">Kari</span>" in client.get("/kommuner/").content.decode()
    client.force_login(second)
    page = client.get("/kommuner/").content.decode()
    assert ">Ola</span>" in page and "Kari" not in page


@override_settings(DEBUG=False)
def test_the_account_menu_escapes_the_name_and_its_log_out_form_works(django_user_model):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    user = django_user_model.objects.create_user("per", password="x", first_name='<b>"Per"')
    client.force_login(user)
    page = client.get("/kommuner/").content.decode()
    assert "&lt;b&gt;&quot;Per&quot;</span>" in page and '<b>"Per"' not in page
    mark = 'name="csrfmiddlewaretoken" value="'
    token = page.split(mark)[1].split('"')[0]
    # The menu is kept, the token is not: each page masks it anew.
    assert token != client.get("/kommuner/").content.decode().split(mark)[1].split('"')[0]
    response = client.post("/konto/logg-ut/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert "?next=/kommuner/" in client.get("/kommuner/").content.decode()
