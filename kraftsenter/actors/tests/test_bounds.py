"""Bounds of organisations and contact persons (docs/bounds.md), and the description's
Markdown stored as HTML when it is saved (issue 12: 6 KB of ``[`` took 6.3 s per view)."""

from __future__ import annotations

from unittest import mock

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from kraftsenter.accounts.tokens import token_create
from kraftsenter.actors import services
from kraftsenter.actors.choices import OrganisationKind, Role
from kraftsenter.actors.models import ContactPerson, Organisation
from kraftsenter.core import bounds
from kraftsenter.core.models import ChangeRecord
from kraftsenter.core.tests.extremes import crawl, long_email, long_text, long_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(small_places):
    org = services.organisation_create(
        actor="t", name="Hamar frivilligsentral", kind=OrganisationKind.VOLUNTARY
    )
    user = get_user_model().objects.create_user("redaktor", password="x-long-password-1")
    services.membership_add(actor="t", organisation=org, user=user, role=Role.ADMIN)
    _token, text = token_create(actor="t", user=user, name="t", days=1)
    return {"user": user, "org": org, "auth": {"Authorization": f"Bearer {text}"}}


def test_extreme_values_of_every_field_render_on_every_page_csv_and_api(client, editor):
    org = services.organisation_update(
        actor="t",
        organisation=editor["org"],
        expected_version=editor["org"].version,
        name=long_text(bounds.NAME_LENGTH),
        website=long_url(bounds.URL_LENGTH),
        description=long_text(bounds.TEXT_LENGTH),
    )
    services.contact_person_add(
        actor="t",
        organisation=org,
        name=long_text(bounds.NAME_LENGTH),
        title=long_text(bounds.NAME_LENGTH),
        work_email=long_email(bounds.EMAIL_LENGTH),
    )
    assert org.description_html.startswith("<p>Åse &amp; «Čáhcesuolu» &lt;b&gt;x&lt;/b&gt;")
    seeds = [
        "/organisasjoner/",
        "/organisasjoner/?format=csv",
        f"/organisasjoner/{org.pk}/",
        "/api/v1/organisations",
        f"/api/v1/organisations/{org.pk}",
        f"/api/v1/organisations/{org.pk}/history",
        f"/api/v1/organisations/{org.pk}/contacts",
        "/api/v1/changes",
    ]
    assert crawl(client, seeds)[f"/organisasjoner/{org.pk}/"] == 200
    client.force_login(editor["user"])
    seen = crawl(client, [*seeds, f"/api/v1/organisations/{org.pk}/members"])
    assert seen[f"/organisasjoner/{org.pk}/endre/"] == 200


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("name", "x" * (bounds.NAME_LENGTH + 1)),
        ("website", long_url(bounds.URL_LENGTH + 1)),
        ("description", "[" * (bounds.TEXT_LENGTH + 1)),
    ],
)
def test_api_organisation_create_with_a_value_too_long_is_422_and_writes_nothing(
    client, editor, field, value
):
    before = (Organisation.objects.count(), ChangeRecord.objects.count())
    body = {"name": "Løten idrettslag", "kind": "voluntary", field: value}
    response = client.post(
        "/api/v1/organisations", body, content_type="application/json", headers=editor["auth"]
    )
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == [field]
    assert (Organisation.objects.count(), ChangeRecord.objects.count()) == before


def test_api_second_contact_person_with_an_email_too_long_is_422(client, editor):
    url = f"/api/v1/organisations/{editor['org'].pk}/contacts"
    first = {"name": "Kari Nordmann", "work_email": "kari@example.no"}
    assert client.post(url, first, "application/json", headers=editor["auth"]).status_code == 201
    second = {"name": "Ola Nordmann", "work_email": long_email(bounds.EMAIL_LENGTH + 1)}
    response = client.post(url, second, "application/json", headers=editor["auth"])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["work_email"]
    assert list(ContactPerson.objects.values_list("name", flat=True)) == ["Kari Nordmann"]


def test_page_organisation_edit_with_a_description_too_long_shows_the_error(client, editor):
    org = editor["org"]
    client.force_login(editor["user"])
    response = client.post(
        f"/organisasjoner/{org.pk}/endre/",
        {
            "name": org.name,
            "kind": org.kind,
            "description": "x" * (bounds.TEXT_LENGTH + 1),
            "version": org.version,
        },
    )
    assert response.status_code == 422
    assert list(response.context["form"].errors) == ["description"]
    assert f'maxlength="{bounds.TEXT_LENGTH}"' in response.content.decode()
    assert Organisation.objects.get(pk=org.pk).version == org.version


def test_service_refuses_a_description_too_long_without_rendering_it(editor):
    org = editor["org"]
    with (
        mock.patch("kraftsenter.core.markdown._PARSER.render") as render,
        pytest.raises(ValidationError) as refused,
    ):
        services.organisation_update(
            actor="t",
            organisation=org,
            expected_version=org.version,
            description="[" * (bounds.TEXT_LENGTH + 1),
        )
    assert list(refused.value.message_dict) == ["description"]
    render.assert_not_called()
    assert Organisation.objects.get(pk=org.pk).description == ""


# --- the description's HTML is stored when it is saved --------------------------------------


def test_description_html_is_stored_on_create_and_update_and_not_in_the_page_history(editor):
    org = services.organisation_create(
        actor="t", name="Stange næringsforening", kind="association", description="**Næring**"
    )
    assert org.description_html == "<p><strong>Næring</strong></p>\n"
    org = services.organisation_update(
        actor="t", organisation=org, expected_version=org.version, description="*Ny*"
    )
    assert Organisation.objects.get(pk=org.pk).description_html == "<p><em>Ny</em></p>\n"
    assert "description_html" in Organisation.HISTORY_HIDDEN


def test_organisation_page_shows_the_stored_html_without_rendering_markdown(client, editor):
    org = services.organisation_update(
        actor="t",
        organisation=editor["org"],
        expected_version=editor["org"].version,
        description="Vi driver **frivillighet**.\n\n" + "[" * 6_000,
    )
    with mock.patch("kraftsenter.core.markdown._PARSER.render") as render:
        html = client.get(f"/organisasjoner/{org.pk}/").content.decode()
    render.assert_not_called()
    assert "<strong>frivillighet</strong>" in html and "[" * 6_000 in html


def test_organisation_page_shows_a_description_without_stored_html_as_plain_text(client, editor):
    # A row written around the service (an old import, a bulk load): escaped text, no markup.
    Organisation.objects.filter(pk=editor["org"].pk).update(description="**a** <i>b</i>")
    html = client.get(f"/organisasjoner/{editor['org'].pk}/").content.decode()
    assert "<p>**a** &lt;i&gt;b&lt;/i&gt;</p>" in html


def test_migration_renders_the_descriptions_of_existing_organisations(transactional_db):
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before = [("actors", "0004_organisation_county_from_municipality")]
    after = [("actors", "0005_value_bounds_and_description_html")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("actors", "Organisation")
    short = old.objects.create(name="Løten", kind="association", description="**Løten**")
    long = old.objects.create(name="Lang", kind="association", description="x" * 10_001)
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    new = executor.loader.project_state(after).apps.get_model("actors", "Organisation")
    assert new.objects.get(pk=short.pk).description_html == "<p><strong>Løten</strong></p>\n"
    assert new.objects.get(pk=long.pk).description_html == ""
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
