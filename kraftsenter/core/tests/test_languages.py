"""The four languages (issue 16): the switch on every page, the offer from the browser's
preference, an unknown language code, dates and numbers per language, sorting with Norwegian
and Sami letters, and the page for suggesting a correction to a translation."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext

from kraftsenter.accounts.models import SecurityEvent, SecurityEventKind
from kraftsenter.core import views as core_views
from kraftsenter.core.models import AccessibilityFeedback, FeedbackKind
from kraftsenter.core.text import collation_key, sorted_by_name

pytestmark = pytest.mark.django_db

CODES = ["nb", "nn", "se", "en"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def _switch(html: str) -> list[dict[str, str]]:
    """The language switch's links, each as its attributes and text."""
    block = re.search(r'<ul class="ks-lang"[^>]*data-ks-languages>(.*?)</ul>', html, re.S)
    assert block, "no language switch on the page"
    links = []
    for attrs, text in re.findall(r"<a ([^>]*)>([^<]*)</a>", block.group(1)):
        found = dict(re.findall(r'([\w-]+)="([^"]*)"', attrs))
        found["text"] = text.strip()
        links.append(found)
    return links


# --- Settings ----------------------------------------------------------------------------------


def test_four_languages_each_named_in_its_own_language():
    assert dict(settings.LANGUAGES) == {
        "nb": "Norsk bokmål",
        "nn": "Norsk nynorsk",
        "se": "Davvisámegiella",
        "en": "English",
    }
    assert settings.LANGUAGE_CODE == "nb"
    info = translation.get_language_info("se")
    assert (info["code"], info["name_local"], info["bidi"]) == ("se", "davvisámegiella", False)


# --- The switch --------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/", "/kommuner/", "/konsultasjoner/", "/om/tilgjengelighet/"])
def test_every_page_has_the_switch_with_all_four_and_the_current_marked(client, path):
    links = _switch(client.get(path).content.decode())
    assert [link["lang"] for link in links] == CODES
    assert [link["hreflang"] for link in links] == CODES
    assert [link["text"] for link in links] == [settings.LANGUAGES[i][1] for i in range(4)]
    assert [link.get("aria-current") for link in links] == ["true", None, None, None]
    assert all(link["href"].startswith(f"/sprak/{link['lang']}/?next=") for link in links)


@pytest.mark.parametrize("code", ["nn", "se", "en"])
def test_a_chosen_language_is_remembered_and_marked(client, code):
    response = client.get(f"/sprak/{code}/", {"next": "/kommuner/"})
    assert response.status_code == 302 and response["Location"] == "/kommuner/"
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == code
    page = client.get("/kommuner/")
    html = page.content.decode()
    assert f'<html lang="{code}"' in html and page["Content-Language"] == code
    current = [link["lang"] for link in _switch(html) if link.get("aria-current") == "true"]
    assert current == [code]


def test_northern_sami_pages_use_the_sami_catalogue_and_fall_back_to_bokmal(client):
    client.get("/sprak/se/")
    html = client.get("/").content.decode()
    with translation.override("se"):
        skip = gettext("Skip to main content")
        untranslated = gettext("Accounts")  # outside the Sami scope: falls back to bokmål
    with translation.override("nb"):
        assert untranslated == gettext("Accounts") != "Accounts"
        assert skip != gettext("Skip to main content")
    assert skip in html


def test_the_browsers_preference_is_offered_not_followed(client):
    # Bokmål first whatever the browser asks; the offer is in the page for the script to show,
    # so that the response is the same for every browser (no Vary: Accept-Language).
    response = client.get("/", headers={"Accept-Language": "nn-NO,nn;q=0.9,en;q=0.5"})
    html = response.content.decode()
    assert '<html lang="nb"' in html
    assert "Accept-Language" not in response.get("Vary", "")
    offer = re.search(r"<div [^>]*data-ks-language-offer[^>]*>(.*?)</div>", html, re.S)
    assert offer and " hidden" in offer.group(0) and 'data-ks-current="nb"' in offer.group(0)
    offered = re.findall(r'<p [^>]*lang="(\w+)" data-ks-offer="\w+" hidden>', offer.group(1))
    assert offered == ["nn", "se", "en"]
    # Each offer is written in the language it offers.
    for code in offered:
        with translation.override(code):
            switch = gettext("Switch language")
        line = re.search(rf'data-ks-offer="{code}".*?</p>', offer.group(1), re.S)
        assert line and switch in line.group(0) and f'href="/sprak/{code}/?next=/"' in line.group(0)
    assert 'src="/static/js/language_offer.js"' in html


def test_the_offer_script_reads_the_browsers_languages_and_the_cookie():
    script = (settings.BASE_DIR / "static" / "js" / "language_offer.js").read_text()
    assert "navigator.languages" in script and settings.LANGUAGE_COOKIE_NAME in script


# --- An unknown language code ------------------------------------------------------------------


@pytest.mark.parametrize("code", ["xx", "sv", "NB", "se-SE"])
def test_unknown_language_is_a_404_stores_nothing_and_is_logged(client, code):
    response = client.get(f"/sprak/{code}/", {"next": "/kommuner/"})
    assert response.status_code == 404
    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
    html = response.content.decode()
    assert "data-ks-language-unknown" in html
    # The page offers the languages there are, back to the page the visitor came from.
    for known in CODES:
        assert f'href="/sprak/{known}/?next=/kommuner/"' in html
    event = SecurityEvent.objects.get()
    assert event.kind == SecurityEventKind.LANGUAGE_UNKNOWN
    assert event.details["code"] == code and event.ip_address == "127.0.0.1"
    # The next page is still bokmål.
    assert '<html lang="nb"' in client.get("/").content.decode()


def test_unknown_language_attempts_are_logged_at_most_so_often(client, monkeypatch):
    monkeypatch.setattr(core_views, "UNKNOWN_LANGUAGE_LOG_PER_HOUR", 3)
    for n in range(5):
        assert client.get(f"/sprak/x{n}/").status_code == 404
    assert SecurityEvent.objects.filter(kind=SecurityEventKind.LANGUAGE_UNKNOWN).count() == 3


# --- Dates and numbers -------------------------------------------------------------------------

FORMATS = Template(
    '{% load humanize %}{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}'
    '|{{ number|floatformat:"1g" }}|{{ count|intcomma }}'
)


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("nb", "30. november 2026|30.11.2026|1\xa0234,5|12\xa0345"),
        ("nn", "30. november 2026|30.11.2026|1\xa0234,5|12\xa0345"),
        ("se", "30.11.2026|30.11.2026|1\xa0234,5|12\xa0345"),
        ("en", "Nov. 30, 2026|11/30/2026|1,234.5|12,345"),
    ],
)
def test_dates_and_numbers_follow_the_language(code, expected):
    context = Context({"day": dt.date(2026, 11, 30), "number": 1234.5, "count": 12345})
    with translation.override(code):
        assert FORMATS.render(context) == expected


# --- Sorting -----------------------------------------------------------------------------------

NAMES = [
    "Ålesund", "Ørland", "Æresvik", "Zürich", "Aal", "Ab", "Aa", "Bø", "Bodø", "Vadsø",
    "Kárášjohka", "Karasjok", "Kautokeino", "Čáhcesuolu", "Cuonjá", "Deatnu", "Đuoddar",
    "Šuoššjávri", "Suolo", "Sámi", "Saltdal", "Ŋoarvi", "Nordkapp", "Ŧ", "Tana", "Žužu", "Zappa",
]  # fmt: skip


def test_norwegian_order_puts_ae_o_slash_and_a_ring_last_and_aa_is_not_special():
    ordered = sorted_by_name(NAMES, language="nb")
    assert ordered[:3] == ["Aa", "Aal", "Ab"]
    assert ordered[-3:] == ["Æresvik", "Ørland", "Ålesund"]
    assert ordered.index("Bodø") < ordered.index("Bø")  # o before ø
    assert ordered.index("Zürich") < ordered.index("Æresvik")
    # Sami letters sort as accented variants of their base letter in Norwegian.
    assert ordered.index("Kárášjohka") < ordered.index("Karasjok") < ordered.index("Kautokeino")
    assert ordered.index("Čáhcesuolu") < ordered.index("Cuonjá")
    assert ordered.index("Saltdal") < ordered.index("Sámi") < ordered.index("Suolo")
    assert sorted_by_name(NAMES, language="nn") == ordered


def test_northern_sami_order_follows_the_sami_alphabet():
    ordered = sorted_by_name(NAMES, language="se")
    # á after a, č after c, đ after d, ŋ after n, š after s, ŧ after t, ž after z; æ ø å last.
    assert ordered.index("Karasjok") < ordered.index("Kautokeino") < ordered.index("Kárášjohka")
    assert ordered.index("Cuonjá") < ordered.index("Čáhcesuolu") < ordered.index("Deatnu")
    assert ordered.index("Deatnu") < ordered.index("Đuoddar")
    assert ordered.index("Nordkapp") < ordered.index("Ŋoarvi")
    assert ordered.index("Suolo") < ordered.index("Šuoššjávri") < ordered.index("Tana")
    # "Sámi" after every "Sa…" (á is a letter after a), before "Su…".
    assert ordered.index("Saltdal") < ordered.index("Sámi") < ordered.index("Suolo")
    assert sorted_by_name(["Sámi", "Sazz", "Sa"], language="se") == ["Sa", "Sazz", "Sámi"]
    assert sorted_by_name(["Sámi", "Sazz", "Sa"], language="nb") == ["Sa", "Sámi", "Sazz"]
    assert ordered.index("Tana") < ordered.index("Ŧ")
    assert ordered.index("Zappa") < ordered.index("Zürich") < ordered.index("Žužu")
    assert ordered[-3:] == ["Æresvik", "Ørland", "Ålesund"]


def test_english_order_reads_the_nordic_letters_as_latin():
    ordered = sorted_by_name(NAMES, language="en")
    assert ordered.index("Ab") < ordered.index("Æresvik") < ordered.index("Ålesund")
    assert ordered.index("Nordkapp") < ordered.index("Ørland") < ordered.index("Saltdal")


def test_collation_key_follows_the_active_language_and_ignores_case():
    with translation.override("se"):
        assert collation_key("Čáhcesuolu") > collation_key("Cuonjá")
    with translation.override("nb"):
        assert collation_key("Čáhcesuolu") < collation_key("Cuonjá")
        assert collation_key("ålesund") > collation_key("Ørland") > collation_key("zoo")
    assert collation_key("oslo", "nb") < collation_key("Oslo", "nb") < collation_key("oslo2", "nb")


def test_municipality_and_county_choices_sort_by_name_in_the_readers_language():
    from kraftsenter.places.models import County, Municipality
    from kraftsenter.places.selectors import county_choices, municipality_choices

    since = dt.date(2024, 1, 1)

    def county(number: str, name: str, **extra) -> County:
        return County.objects.create(
            number=number, name=name, name_nb=name, valid_from=since, **extra
        )

    north, south = county("56", "Finnmark - Finnmárku"), county("46", "Vestland")
    county("20", "Aust-Finnmark", valid_to=dt.date(2019, 12, 31))
    for county_, number, name in [
        (north, "5610", "Kárášjohka - Karasjok"), (north, "5601", "Alta"),
        (north, "5620", "Nordkapp"), (north, "5632", "Båtsfjord"), (north, "5618", "Måsøy"),
        (north, "5628", "Deatnu - Tana"), (north, "5636", "Unjárga - Nesseby"),
        (south, "4601", "Bergen"), (south, "4619", "Eidfjord"), (south, "4641", "Årdal"),
    ]:  # fmt: skip
        Municipality.objects.create(
            number=number, name=name, name_nb=name, county=county_, valid_from=since
        )
    with translation.override("nb"):
        names = [m.name.split(" - ")[0] for m in municipality_choices()]
    assert names == [
        "Alta", "Bergen", "Båtsfjord", "Deatnu", "Eidfjord", "Kárášjohka", "Måsøy",
        "Nordkapp", "Unjárga", "Årdal",
    ]  # fmt: skip
    assert [c.number for c in county_choices()] == ["56", "46"]
    assert [c.number for c in county_choices(current_only=False)] == ["20", "56", "46"]


# --- Suggesting a correction to a translation ----------------------------------------------------

CORRECTION_URL = "/om/sprak/"


@pytest.mark.parametrize(
    ("code", "shown"), [("nb", False), ("nn", True), ("se", True), ("en", False)]
)
def test_footer_links_to_the_correction_page_in_nynorsk_and_sami(client, code, shown):
    client.get(f"/sprak/{code}/")
    html = client.get("/kommuner/").content.decode()
    assert ("data-ks-language-correction-link" in html) is shown
    if shown:
        assert 'href="/om/sprak/?side=/kommuner/#correction"' in html


def test_a_correction_reaches_the_site_admins_with_its_language(client):
    get_user_model().objects.create_user(
        "admin", email="admin@example.no", password="x-long-password-1", is_superuser=True
    )
    client.get("/sprak/se/")
    page = client.get(CORRECTION_URL, {"side": "/konsultasjoner/"})
    assert page.status_code == 200 and "data-ks-language-correction" in page.content.decode()
    response = client.post(
        CORRECTION_URL,
        {"message": "«Ráđđádallan» ferte leat «konsultašuvdna».", "page": "/konsultasjoner/"},
    )
    assert response.status_code == 302
    feedback = AccessibilityFeedback.objects.get()
    assert (feedback.kind, feedback.language, feedback.page) == (
        FeedbackKind.LANGUAGE,
        "se",
        "/konsultasjoner/",
    )
    assert feedback.mailed_to == 1 and mail.outbox[0].to == ["admin@example.no"]
    assert "konsultašuvdna" in mail.outbox[0].body
    with translation.override("se"):
        assert mail.outbox[0].subject == gettext("Language correction (Kraftsenter)")
    # The accessibility statement's messages stay accessibility feedback.
    client.post("/om/tilgjengelighet/", {"message": "Lav kontrast."})
    kinds = sorted(AccessibilityFeedback.objects.values_list("kind", flat=True))
    assert kinds == [FeedbackKind.ACCESSIBILITY, FeedbackKind.LANGUAGE]


def test_an_empty_correction_is_refused_and_nothing_is_sent(client):
    response = client.post(CORRECTION_URL, {"message": "  "})
    assert response.status_code == 422
    with translation.override("nb"):
        assert gettext("Write what should be corrected, and how.") in response.content.decode()
    assert AccessibilityFeedback.objects.count() == 0 and mail.outbox == []


def test_the_admins_list_shows_the_kind(client):
    admin = get_user_model().objects.create_user(
        "admin", email="admin@example.no", password="x-long-password-1", is_superuser=True
    )
    AccessibilityFeedback.objects.create(message="Skrivefeil.", kind="language", language="nn")
    client.force_login(admin)
    html = client.get("/om/tilgjengelighet/tilbakemeldinger/").content.decode()
    with translation.override("nb"):
        assert f"{gettext('Correction to a translation')} (nn)" in html
