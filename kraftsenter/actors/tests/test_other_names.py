"""An organisation's names in Northern, Lule and Southern Sami and Kven: on the form and in the
API, on the page with their language, in text search and in the combobox's options."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import Organisation
from kraftsenter.actors.services import membership_add, organisation_create
from kraftsenter.core import bounds
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def sametinget(small_places):
    org = organisation_create(actor="test", name="Sametinget", kind=OrganisationKind.SAMETINGET)
    admin = get_user_model().objects.create_user("admin1", password="x-long-password-1")
    membership_add(actor="test", organisation=org, user=admin, role=Role.ADMIN)
    _token, text = token_create(actor="test", user=admin, name="t", days=1)
    return {"org": org, "admin": admin, "auth": {"Authorization": f"Bearer {text}"}}


def test_edit_page_sets_names_and_the_page_shows_them_with_their_language(client, sametinget):
    org, admin = sametinget["org"], sametinget["admin"]
    client.force_login(admin)
    form = client.get(f"/organisasjoner/{org.pk}/endre/").content.decode()
    for field, code in (("name_se", "se"), ("name_smj", "smj"), ("name_sma", "sma")):
        assert f'name="{field}"' in form and f'lang="{code}"' in form
    response = client.post(
        f"/organisasjoner/{org.pk}/endre/",
        {
            "name": "Sametinget",
            "kind": org.kind,
            "version": 1,
            "name_se": " Sámediggi ",
            "name_sma": "Saemiedigkie",
        },
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.name_se, org.name_sma, org.name_smj, org.name_fkv) == (
        "Sámediggi",
        "Saemiedigkie",
        "",
        "",
    )
    page = client.get(org.get_absolute_url()).content.decode()
    assert '<dd lang="se" data-other-name="se">Sámediggi</dd>' in page
    assert '<dd lang="sma" data-other-name="sma">Saemiedigkie</dd>' in page
    assert 'data-other-name="smj"' not in page and 'data-other-name="fkv"' not in page
    entry = history_for(org).first()
    assert entry is not None and (entry.after or {})["name_se"] == "Sámediggi"


def test_a_name_too_long_is_refused_on_the_form(client, sametinget):
    org, admin = sametinget["org"], sametinget["admin"]
    client.force_login(admin)
    response = client.post(
        f"/organisasjoner/{org.pk}/endre/",
        {"name": "Sametinget", "kind": org.kind, "version": 1, "name_fkv": "x" * 201},
    )
    assert response.status_code == 422 and 'id="id_name_fkv-error"' in response.content.decode()
    org.refresh_from_db()
    assert org.name_fkv == "" and org.version == 1


def test_api_creates_and_changes_other_names(client, sametinget):
    auth = sametinget["auth"]
    body = {"name": "Kvensk institutt", "kind": "research", "name_fkv": "Kainun institutti"}
    response = client.post(
        "/api/v1/organisations", body, content_type="application/json", headers=auth
    )
    assert response.status_code == 201, response.json()
    created = response.json()
    assert created["name_fkv"] == "Kainun institutti" and created["name_se"] == ""
    changed = client.patch(
        f"/api/v1/organisations/{created['id']}",
        {"version": 1, "name_se": "Kveanainstituhtta"},
        content_type="application/json",
        headers=auth,
    )
    assert changed.status_code == 200, changed.json()
    assert changed.json()["name_se"] == "Kveanainstituhtta"
    assert changed.json()["name_fkv"] == "Kainun institutti"


@pytest.mark.parametrize(
    "field,value",
    [("name_se", "x" * (bounds.NAME_LENGTH + 1)), ("name_smj", 7), ("name_xx", "Sámi")],
)
def test_api_refuses_a_bad_other_name_and_writes_nothing(client, sametinget, field, value):
    body = {"name": "Ny", "kind": "research", field: value}
    response = client.post(
        "/api/v1/organisations", body, content_type="application/json", headers=sametinget["auth"]
    )
    assert response.status_code == 422
    assert field in [e["field"] for e in response.json()["errors"]]
    assert not Organisation.objects.filter(name="Ny").exists()


def test_text_search_finds_an_organisation_by_its_sami_or_kven_name(client, sametinget):
    org = sametinget["org"]
    organisation_create(
        actor="test",
        name="Kvensk institutt",
        kind=OrganisationKind.RESEARCH,
        name_fkv="Kainun institutti",
    )
    assert client.get("/api/v1/organisations", {"q": "Sámediggi"}).json()["count"] == 0
    org.name_se = "Sámediggi"
    org.save()
    for text in ("Sámediggi", "samediggi", "sámedig"):
        found = client.get("/api/v1/organisations", {"q": text}).json()
        assert [o["name"] for o in found["items"]] == ["Sametinget"], text
    found = client.get("/api/v1/organisations", {"q": "kainun"}).json()
    assert [o["name"] for o in found["items"]] == ["Kvensk institutt"]


def test_combobox_option_shows_the_other_names(client, sametinget):
    org = sametinget["org"]
    org.name_se, org.name_sma = "Sámediggi", "Saemiedigkie"
    org.save()
    client.force_login(sametinget["admin"])
    results = client.get("/organisasjoner/valg/", {"q": "Sámediggi"}).json()["results"]
    assert [r["label"] for r in results] == ["Sametinget"]
    assert results[0]["other_names"] == ["Sámediggi", "Saemiedigkie"]
    assert results[0]["detail"].startswith("Sámediggi · Saemiedigkie · ")
    plain = client.get("/organisasjoner/valg/", {"q": "Sametinget"}).json()["results"]
    assert plain[0]["other_names"] == ["Sámediggi", "Saemiedigkie"]
