"""The organisation combobox (actors/widgets.py, actors/options.py): its options, and the form
without JavaScript, where it is a text field taking a number or an exact name."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add, organisation_archive
from kraftsenter.cooperations import services
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.cooperations.services import ParticipantInput

pytestmark = pytest.mark.django_db

OPTIONS = "/organisasjoner/valg/"


@pytest.fixture
def editor(orgs):
    user = get_user_model().objects.create_user("hamar-red", password="x-long-password-1")
    membership_add(actor="t", organisation=orgs["3403"], user=user, role=Role.EDITOR)
    return user


def _values(client, q: str) -> list[str]:
    response = client.get(OPTIONS, {"q": q})
    assert response.status_code == 200
    return [r["value"] for r in response.json()["results"]]


def test_options_find_an_organisation_by_part_of_its_name_with_kind_and_municipality(client, orgs):
    results = client.get(OPTIONS, {"q": "løt"}).json()["results"]
    assert [r["label"] for r in results] == [orgs["3412"].name]
    (loten,) = results
    assert loten["value"] == "3412"  # what the field accepts
    assert loten["kind"] == str(orgs["3412"].get_kind_display())
    assert loten["municipality"] == orgs["3412"].municipality.name
    assert loten["kind"] in loten["detail"] and loten["municipality"] in loten["detail"]


def test_options_find_by_municipality_number_county_number_and_name_part(client, orgs):
    assert _values(client, "5601") == ["5601"]
    assert _values(client, "34") == ["34"]  # Innlandet county municipality
    assert _values(client, "revisjon") == [orgs["iks"].name]  # no number: its name


def test_options_fold_letters_and_take_words_in_any_order(client, orgs):
    """The combobox searches as the lists do (core.fulltext): "snobroyt" is Snøbrøyt AS."""
    assert _values(client, "snobroyt") == [orgs["firm"].name]
    assert _values(client, "innlandet revisjon") == [orgs["iks"].name]
    assert _values(client, "revisjon innl") == [orgs["iks"].name]  # the last word as a prefix
    assert _values(client, '"(revisjon)" * :') == [orgs["iks"].name]  # operators are not syntax


def test_options_are_sorted_by_name_and_leave_out_archived_organisations(client, orgs):
    names = [r["label"] for r in client.get(OPTIONS, {"q": "kommune"}).json()["results"]]
    assert len(names) >= 3 and names == sorted(names)
    organisation_archive(actor="t", organisation=orgs["firm"])
    assert _values(client, "snøbrøyt") == []


def test_organisation_field_renders_as_a_combobox_text_field_with_its_source(client, orgs, editor):
    client.force_login(editor)
    html = client.get("/samarbeid/ny/").content.decode()
    # Three participant rows, each its own combobox over the same endpoint.
    for n in range(3):
        assert f'name="p-{n}-organisation"' in html
    assert html.count(f'data-ks-combobox="{OPTIONS}"') >= 3
    assert "js/combobox.js" in html


def _create_data(**participants: str) -> dict:
    data = {
        "name": "Hamarregionen interkommunalt politisk råd",
        "legal_form": "ipr",
        "areas": ["regional_policy"],
        "status": "planned",
        "published": "on",
        "start_date": "2020-01-01",
        "purpose": "Regional utvikling",
        "p-TOTAL_FORMS": "3",
        "p-INITIAL_FORMS": "0",
        "p-MIN_NUM_FORMS": "0",
        "p-MAX_NUM_FORMS": "1000",
        "p-0-ownership_share": "40",
        "p-1-ownership_share": "30",
        "p-2-ownership_share": "30",
    }
    data.update(participants)
    return data


def test_without_javascript_second_and_third_participant_are_taken_by_number_and_name(
    client, orgs, editor
):
    client.force_login(editor)
    response = client.post(
        "/samarbeid/ny/",
        _create_data(
            **{
                "p-0-organisation": "3403",
                "p-1-organisation": "34",  # a county number: the county municipality
                "p-2-organisation": orgs["3412"].name,  # the exact name
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:300]
    coop = Cooperation.objects.get()
    assert {p.organisation for p in coop.participants.all()} == {
        orgs["3403"],
        orgs["34"],
        orgs["3412"],
    }


def test_without_javascript_an_unknown_third_participant_is_refused_on_its_row(
    client, orgs, editor
):
    client.force_login(editor)
    response = client.post(
        "/samarbeid/ny/",
        _create_data(
            **{
                "p-0-organisation": "3403",
                "p-1-organisation": "3412",
                "p-2-organisation": "Finnes ikke kommune",
            }
        ),
    )
    assert response.status_code == 422
    assert not Cooperation.objects.exists()
    html = response.content.decode()
    assert 'id="id_p-2-organisation-error"' in html
    assert 'id="id_p-1-organisation-error"' not in html
    # The text typed is kept in the field, for the user to correct.
    assert 'value="Finnes ikke kommune"' in html


def test_saved_organisation_shows_its_name_in_the_combobox(client, orgs, editor):
    coop = services.cooperation_create(
        actor="t",
        name="Vertskommunesamarbeid om barnevern",
        legal_form="host_administrative",
        areas=["child_welfare"],
        host=orgs["3403"],
        participants=[
            ParticipantInput(orgs["3403"], Decimal("50")),
            ParticipantInput(orgs["3412"], Decimal("50")),
        ],
        start_date=dt.date(2020, 1, 1),
    )
    client.force_login(editor)
    html = client.get(f"/samarbeid/{coop.pk}/endre/").content.decode()
    # The field sends the number; the box shows the name.
    assert 'name="host"' in html and 'value="3403"' in html
    assert f'data-ks-combobox-display="{orgs["3403"].name}"' in html


def test_several_organisations_field_is_a_textarea_under_a_combobox_one_per_line(orgs):
    from django import forms

    from kraftsenter.actors.forms import OrganisationListField

    class PartiesForm(forms.Form):
        parties = OrganisationListField(label="Parter")

    html = str(PartiesForm()["parties"])
    assert f'data-ks-combobox-list="{OPTIONS}"' in html and "<textarea" in html
    form = PartiesForm(data={"parties": "3403\n34\n" + orgs["3412"].name})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["parties"] == [orgs["3403"], orgs["34"], orgs["3412"]]
    refused = PartiesForm(data={"parties": "3403\nFinnes ikke"})
    assert not refused.is_valid() and "Finnes ikke" in str(refused.errors["parties"])
