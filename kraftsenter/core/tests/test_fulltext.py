"""Full-text search (core.fulltext) on organisations, cooperations and agreements, as the user
meets it in the lists and the API: folded diacritics, words in any order, the last word a
prefix, best match first, renames followed, archived records as the list treats them, and
hostile text answered quickly. Runs on SQLite and (DATABASE_URL) PostgreSQL alike."""

from __future__ import annotations

import datetime as dt
import time
from decimal import Decimal

import pytest
from django.db import connection

from kraftsenter.actors.choices import OrganisationKind
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import (
    organisation_archive,
    organisation_create,
    organisation_restore,
    organisation_update,
    organisations_sync_from_places,
)
from kraftsenter.agreements import services as agreements
from kraftsenter.agreements.models import Agreement
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.services import (
    ParticipantInput,
    cooperation_archive,
    cooperation_create,
    cooperation_update,
)
from kraftsenter.core import fulltext

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations"
COOPERATIONS = "/api/v1/cooperations"
AGREEMENTS = "/api/v1/agreements"


def names(client, path: str, query: str, **params) -> list[str]:
    response = client.get(path, {"q": query, "page_size": 100, **params})
    assert response.status_code == 200, (path, query, response.content[:300])
    return [item.get("name") or item.get("title") for item in response.json()["items"]]


@pytest.fixture
def municipal(small_places):
    organisations_sync_from_places()
    return {
        o.municipality.number: o
        for o in Organisation.objects.filter(kind="municipality").select_related("municipality")
        if o.municipality is not None
    }


@pytest.fixture
def registers(municipal):
    """Three records in each register whose names need folding, plus neighbours."""
    org = {}
    for key, name in (
        ("hamar", "Hamar idrettslag"),
        ("tromso", "Tromsø museum"),
        ("alesund", "Ålesund kor og orkester"),
        ("karasjok", "Kárášjohka searvi"),
        ("kommune_like", "Hamar kommunerevisjon"),
    ):
        org[key] = organisation_create(actor="t", name=name, kind=OrganisationKind.ASSOCIATION)
    hamar, loten = municipal["3403"], municipal["3412"]
    coop = {}
    for key, name, purpose in (
        ("hamar", "Hamarregionen reiseliv", "Felles markedsføring av regionen"),
        ("tromso", "Tromsø havnesamarbeid", "Drift av havnene"),
        ("alesund", "Ålesund brannvesen", "Brann og redning for Sunnmøre"),
        ("karasjok", "Kárášjohka kultursamarbeid", "Samisk kultur og språk i Sápmi"),
    ):
        coop[key] = cooperation_create(
            actor="t",
            name=name,
            legal_form="other",
            legal_basis="avtale",
            areas=["regional_policy"],
            participants=[
                ParticipantInput(hamar, Decimal("50")),
                ParticipantInput(loten, Decimal("50")),
            ],
            start_date=dt.date(2020, 1, 1),
            purpose=purpose,
        )
    agr = {}
    for key, title, description in (
        ("hamar", "Regionvekstavtale Hamarregionen", "Samordning mellom sektorer."),
        ("tromso", "Tromsø byvekstavtale", "Kollektivtrafikk og sykkel."),
        ("alesund", "Ålesund næringsavtale", "Havbruk og maritim næring."),
        ("karasjok", "Kárášjohka språkavtale", "Samisk språk i barnehagen."),
    ):
        agr[key] = agreements.agreement_create(
            actor="t",
            title=title,
            kind="regional_growth",
            period_start=dt.date(2024, 1, 1),
            period_end=dt.date(2027, 12, 31),
            lead=hamar,
            parties=[hamar, loten],
            description=description,
        )
    return {"org": org, "coop": coop, "agr": agr}


FOLDING = [
    ("tromso", "Tromsø"),
    ("TROMSØ", "Tromsø"),
    ("alesund", "Ålesund"),
    ("ålesund", "Ålesund"),
    ("aalesund", None),  # "aa" is not folded to "å": no match, and no error
    ("karasjohka", "Kárášjohka"),
    ("Kárášjohka", "Kárášjohka"),
]


@pytest.mark.parametrize("path", [ORGANISATIONS, COOPERATIONS, AGREEMENTS])
@pytest.mark.parametrize(("query", "start"), FOLDING)
def test_folding_finds_the_record_on_every_register(client, registers, path, query, start):
    found = names(client, path, query)
    if start is None:
        assert found == []
    else:
        assert len(found) == 1 and found[0].startswith(start), found


@pytest.mark.parametrize("path", [ORGANISATIONS, COOPERATIONS, AGREEMENTS])
def test_words_in_any_order_and_the_last_one_a_prefix(client, registers, path):
    sets = {
        ORGANISATIONS: ("museum tromsø", "Tromsø museum", "orkester ålesund", "Ålesund kor"),
        COOPERATIONS: ("havnesamarbeid troms", "Tromsø havne", "brannvesen åle", "Ålesund brann"),
        AGREEMENTS: ("byvekstavtale troms", "Tromsø byvekst", "næringsavtale åles", "Ålesund n"),
    }
    first, first_name, second, second_name = sets[path]
    assert [n[: len(first_name)] for n in names(client, path, first)] == [first_name]
    assert [n[: len(second_name)] for n in names(client, path, second)] == [second_name]


def test_the_purpose_is_searched_with_folding(client, registers):
    assert names(client, COOPERATIONS, "sapmi") == ["Kárášjohka kultursamarbeid"]
    assert names(client, COOPERATIONS, "sunnmore redn") == ["Ålesund brannvesen"]
    assert names(client, AGREEMENTS, "barnehagen samisk") == ["Kárášjohka språkavtale"]
    assert names(client, AGREEMENTS, "maritim") == ["Ålesund næringsavtale"]


def test_typing_a_name_finds_it_first(client, registers):
    """ "hamar kom" finds Hamar kommune, best match first; the list's order breaks ties."""
    found = names(client, ORGANISATIONS, "hamar kom")
    assert found[0] == "Hamar kommune"
    assert "Hamar kommunerevisjon" in found and "Hamar idrettslag" in found
    assert names(client, ORGANISATIONS, "hamar kommunerev") == ["Hamar kommunerevisjon"]
    # Words are matched from their start: the purpose's "regionen", not inside "Hamarregionen".
    assert names(client, COOPERATIONS, "regionen") == ["Hamarregionen reiseliv"]
    assert names(client, COOPERATIONS, "egionen") == []
    assert names(client, ORGANISATIONS, "idrett") == ["Hamar idrettslag"]


def test_ranking_puts_the_name_before_the_purpose(client, registers, municipal):
    cooperation_create(
        actor="t",
        name="Kystnett",
        legal_form="other",
        legal_basis="avtale",
        areas=["regional_policy"],
        participants=[
            ParticipantInput(municipal["3403"], Decimal("50")),
            ParticipantInput(municipal["3412"], Decimal("50")),
        ],
        start_date=dt.date(2020, 1, 1),
        purpose="Drift av fibernett for Tromsø og omland",
    )
    assert names(client, COOPERATIONS, "tromsø") == ["Tromsø havnesamarbeid", "Kystnett"]
    # The API's ordering wins over the ranking when given.
    assert names(client, COOPERATIONS, "tromsø", ordering="name") == [
        "Kystnett",
        "Tromsø havnesamarbeid",
    ]


def test_organisation_number_still_found_exactly(client, registers):
    organisation_create(
        actor="t",
        name="Hamar næringsråd",
        kind=OrganisationKind.ASSOCIATION,
        organisation_number="974760673",
    )
    assert names(client, ORGANISATIONS, "974760673") == ["Hamar næringsråd"]
    assert names(client, ORGANISATIONS, "974 760 673") == ["Hamar næringsråd"]
    assert names(client, ORGANISATIONS, "97476067") == ["Hamar næringsråd"]  # a prefix
    assert names(client, ORGANISATIONS, "974760674") == []


def test_rename_through_the_service_is_followed(client, registers):
    org = registers["org"]["tromso"]
    organisation_update(actor="t", organisation=org, expected_version=1, name="Nordnorsk museum")
    assert names(client, ORGANISATIONS, "nordnorsk") == ["Nordnorsk museum"]
    assert names(client, ORGANISATIONS, "tromso") == []

    coop = registers["coop"]["alesund"]
    cooperation_update(
        actor="t",
        cooperation=coop,
        expected_version=coop.version,
        name="Sunnmøre brann og redning",
        purpose="Brannvesen for Giske",
    )
    assert names(client, COOPERATIONS, "sunnmøre brann") == ["Sunnmøre brann og redning"]
    assert names(client, COOPERATIONS, "alesund") == []
    assert names(client, COOPERATIONS, "giske") == ["Sunnmøre brann og redning"]

    agreement = registers["agr"]["karasjok"]
    agreements.agreement_update(
        actor="t",
        agreement=agreement,
        expected_version=agreement.version,
        title="Sámi giellašiehtadus",
    )
    assert names(client, AGREEMENTS, "sami giellasiehtadus") == ["Sámi giellašiehtadus"]
    assert names(client, AGREEMENTS, "karasjohka") == []


def test_history_does_not_carry_the_search_document(registers):
    from kraftsenter.core.history import history_for

    org = registers["org"]["alesund"]
    organisation_update(actor="t", organisation=org, expected_version=1, name="Ålesund kor")
    entries = list(history_for(org))
    assert entries and all("search_text" not in (e.after or {}) for e in entries)
    assert all("search_text" not in (e.before or {}) for e in entries)


def test_archived_records_are_found_as_the_list_shows_them(client, registers):
    org = registers["org"]["karasjok"]
    organisation_archive(actor="t", organisation=org, reason="t")
    assert names(client, ORGANISATIONS, "karasjohka") == []
    organisation_restore(actor="t", organisation=Organisation.objects.get(pk=org.pk))
    assert names(client, ORGANISATIONS, "karasjohka") == ["Kárášjohka searvi"]

    coop = registers["coop"]["tromso"]
    cooperation_archive(actor="t", cooperation=coop, reason="t")
    assert names(client, COOPERATIONS, "tromso") == []
    assert names(client, COOPERATIONS, "alesund") == ["Ålesund brannvesen"]

    agreement = registers["agr"]["hamar"]
    agreements.agreement_archive(actor="t", agreement=agreement, reason="t")
    assert names(client, AGREEMENTS, "hamarregionen") == []


def test_bulk_writes_keep_the_document_current(registers):
    """bulk_create (the benchmark, imports) and bulk_update and update() bypass save()."""
    Organisation.objects.bulk_create(
        [
            Organisation(name="Bodø jeger- og fiskerforening", kind=OrganisationKind.ASSOCIATION),
            Organisation(name="Måsøy kystlag", kind=OrganisationKind.ASSOCIATION),
        ]
    )
    assert _search(Organisation, "bodo jeger") == ["Bodø jeger- og fiskerforening"]
    assert _search(Organisation, "masoy") == ["Måsøy kystlag"]
    row = Organisation.objects.get(name="Måsøy kystlag")
    row.name = "Hasvik kystlag"
    Organisation.objects.bulk_update([row], ["name"])
    assert _search(Organisation, "hasvik") == ["Hasvik kystlag"]
    assert _search(Organisation, "masoy") == []
    Cooperation.objects.filter(pk=registers["coop"]["hamar"].pk).update(name="Mjøsbyen")
    assert _search(Cooperation, "mjosbyen") == ["Mjøsbyen"]
    assert _search(Cooperation, "hamarregionen") == []
    Agreement.objects.filter(pk=registers["agr"]["tromso"].pk).update(title="Bodø byvekst")
    assert _search(Agreement, "bodo") == ["Bodø byvekst"]


def _search(model, text: str) -> list[str]:
    return [str(o) for o in fulltext.search(model.objects.active(), text)]


HOSTILE = [
    '"unclosed quote',
    "hamar & | ! ( ) : <-> ~ *",
    "hamar:* | !tromso",
    "'; DROP TABLE actors_organisation; --",
    'NEAR("hamar" "tromso") OR hamar*',
    "og i på det som",  # only stop words
    "x" * 1000,
    "hamar " * 300,
    "🙂🚀",
    "tromsø 🙂",
    "\\",
    "ø" * 200,
    "Москва 東京 ﷺ",
    "\u200b\u0301 \ufeff",
]


@pytest.mark.parametrize("path", [ORGANISATIONS, COOPERATIONS, AGREEMENTS])
def test_hostile_text_answers_quickly_with_results_or_no_hits(client, registers, path):
    client.get(path)  # the first request of a process builds the API (seconds when loaded)
    for query in HOSTILE:
        started = time.perf_counter()
        response = client.get(path, {"q": query})
        took = time.perf_counter() - started
        assert response.status_code in (200, 422), (query[:40], response.status_code)
        assert took < 5, (query[:40], took)
    # Operators are not words: what is left of the text is searched as words.
    if path == ORGANISATIONS:
        assert names(client, path, "hamar:* | !tromso") == []  # "tromso" must occur too
        assert names(client, path, "tromsø 🙂") == ["Tromsø museum"]
        assert names(client, path, '"tromsø" (museum)') == ["Tromsø museum"]
        assert names(client, path, "og i på det som") == []
        assert names(client, path, "🙂🚀") == []


def test_parse_drops_stop_words_and_bounds_the_words():
    query = fulltext.parse("Senter for IKT i Hamar " + "ord " * 50)
    assert query.terms[:3] == ("senter", "ikt", "hamar")
    assert len(query.phrase.split()) == fulltext.MAX_WORDS
    assert fulltext.parse("x" * 1000).terms == ("x" * fulltext.MAX_WORD_LENGTH,)
    assert fulltext.parse("og i på").empty
    assert fulltext.parse("97 47 60 673").number == "974760673"
    assert fulltext.parse("9747606731").number == ""


def test_engine_queries_quote_every_word():
    assert fulltext.sqlite_match(["hamar", "kom"]) == '"hamar" "kom"*'
    assert fulltext.postgres_tsquery(["hamar", "kom"]) == "'hamar' & 'kom':*"
    assert fulltext._quoted('a"b', '"') == '"a""b"'
    assert fulltext._quoted("a'b\\", "'") == "'a''b\\\\'"


def test_the_index_is_in_place_and_follows_rebuilt_tables(registers):
    """SQLite drops a table's triggers when a migration rebuilds it: ensure_indexes (run after
    every migrate) restores them and rebuilds the index."""
    table = Organisation._meta.db_table
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'DROP TRIGGER "{table}_fts_ai"')
        organisation_create(actor="t", name="Vardø vel", kind=OrganisationKind.ASSOCIATION)
        assert _search(Organisation, "vardo") == []  # the index missed the insert
        fulltext.create_index(connection, table)
        assert _search(Organisation, "vardo") == ["Vardø vel"]
    else:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE indexname = %s", [f"{table}_search_gin"]
            )
            (definition,) = cursor.fetchone()
        assert "gin" in definition and "norwegian" in definition


def test_the_organisation_field_finds_an_exact_name_through_the_index(registers):
    from django import forms

    from kraftsenter.actors.forms import OrganisationRefField

    field = OrganisationRefField()
    assert field.clean("tromsø MUSEUM") == registers["org"]["tromso"]
    assert field.clean("Kárášjohka searvi") == registers["org"]["karasjok"]
    with pytest.raises(forms.ValidationError):
        field.clean("Tromsø mus")  # a name is given whole
    with pytest.raises(forms.ValidationError):
        field.clean("og i på")


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_a_change_that_leaves_the_document_alone_leaves_the_index_alone(client, registers):
    """A save writes every column, the document too: the index is written only when the
    document changes. A second and a third organisation's change of a field not searched
    (its address) make no change to the index; a rename does, and is found."""
    connection.ensure_connection()
    raw = connection.connection
    for key in ("alesund", "karasjok"):
        org = registers["org"][key]
        org.address = "Postboks 1"
        before = raw.total_changes
        org.save()
        assert raw.total_changes - before == 1  # the row; no index delete and insert
    org = registers["org"]["tromso"]
    organisation_update(actor="t", organisation=org, expected_version=1, name="Nordnorsk museum")
    assert names(client, ORGANISATIONS, "nordnorsk") == ["Nordnorsk museum"]
    assert names(client, ORGANISATIONS, "tromso") == []


@pytest.mark.skipif(connection.vendor != "sqlite", reason="FTS5 triggers are SQLite's")
def test_an_update_trigger_of_an_earlier_version_is_replaced(client, registers):
    """A database made before the trigger took its WHEN gets the new one at the next
    migrate (``ensure_indexes`` calls ``create_index``), and renames are still followed."""
    table = Organisation._meta.db_table
    fts = fulltext.fts_table(table)
    with connection.cursor() as cursor:
        cursor.execute(f'DROP TRIGGER "{fts}_au"')
        # The earlier form: the same trigger without its WHEN.
        cursor.execute(
            fulltext._sqlite_statements(table)[2].replace(
                "WHEN old.search_text IS NOT new.search_text ", ""
            )
        )
    fulltext.create_index(connection, table)
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [f"{fts}_au"])
        (sql,) = cursor.fetchone()
    assert "WHEN old.search_text IS NOT new.search_text" in sql
    org = registers["org"]["alesund"]
    organisation_update(actor="t", organisation=org, expected_version=org.version, name="Giske vel")
    assert names(client, ORGANISATIONS, "giske") == ["Giske vel"]
