"""Editing and removing an agreement's goals, anchors and documents on its pages: the second
goal is edited, parts are removed by their buttons (archived, never deleted), and a refusal
writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kraftsenter.agreements import services
from kraftsenter.agreements.models import AgreementAnchor, AgreementDocument, AgreementGoal
from kraftsenter.core.history import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def parts(active_agreement, orgs):
    plan = services.plan_create(
        actor="t", title="Regional plan for verdiskaping", kind="regional_plan", owner=orgs["34"]
    )
    return {
        "goals": [
            services.goal_add(actor="t", agreement=active_agreement, text=text, sdgs=sdgs)
            for text, sdgs in (("Flere arbeidsplasser", [8]), ("Mer liv i sentrum", [11]))
        ],
        "anchor": services.anchor_add(actor="t", agreement=active_agreement, plan=plan),
        "document": services.document_add(
            actor="t",
            agreement=active_agreement,
            title="Signert avtale",
            url="https://example.invalid/avtale.pdf",
        ),
    }


def test_agreement_page_shows_edit_and_remove_only_to_editors(
    client, active_agreement, parts, users
):
    second = parts["goals"][1]
    edit = f"/avtaler/{active_agreement.pk}/mal/{second.pk}/endre/"
    remove = f"/avtaler/{active_agreement.pk}/mal/{second.pk}/fjern/"
    anchor = f"/avtaler/{active_agreement.pk}/forankring/{parts['anchor'].pk}/fjern/"
    document = f"/avtaler/{active_agreement.pk}/dokumenter/{parts['document'].pk}/fjern/"
    html = client.get(active_agreement.get_absolute_url()).content.decode()
    assert not any(url in html for url in (edit, remove, anchor, document))
    client.force_login(users["outsider"])
    html = client.get(active_agreement.get_absolute_url()).content.decode()
    assert not any(url in html for url in (edit, remove, anchor, document))
    client.force_login(users["loten"])
    html = client.get(active_agreement.get_absolute_url()).content.decode()
    assert all(url in html for url in (edit, remove, anchor, document))


def test_goal_edit_page_changes_the_second_goal(client, active_agreement, parts, users):
    second = parts["goals"][1]
    url = f"/avtaler/{active_agreement.pk}/mal/{second.pk}/endre/"
    client.force_login(users["hamar"])
    page = client.get(url).content.decode()
    assert "Mer liv i sentrum" in page and 'name="version" value="1"' in page
    before = history_for(active_agreement).count()
    response = client.post(
        url,
        {
            "text": "Mer liv og handel i sentrum",
            "sdgs": ["8", "11"],
            "sdg_targets": "11.3, 8.3",
            "local_target": "20 nye butikker",
            "version": 1,
        },
    )
    assert response.status_code == 302
    second.refresh_from_db()
    assert second.text == "Mer liv og handel i sentrum" and second.sdgs == [8, 11]
    assert second.sdg_targets == ["11.3", "8.3"] and second.version == 2
    assert history_for(active_agreement).count() == before + 1
    first = parts["goals"][0]
    first.refresh_from_db()
    assert first.text == "Flere arbeidsplasser" and first.version == 1


def test_goal_edit_page_shows_the_rule_and_writes_nothing(client, active_agreement, parts, users):
    second = parts["goals"][1]
    url = f"/avtaler/{active_agreement.pk}/mal/{second.pk}/endre/"
    client.force_login(users["hamar"])
    response = client.post(
        url, {"text": "Mer liv", "sdgs": ["11"], "sdg_targets": "8.3", "version": 1}
    )
    assert response.status_code == 422
    assert "8.3" in response.content.decode()
    second.refresh_from_db()
    assert second.version == 1 and second.text == "Mer liv i sentrum"
    services.goal_update(actor="t", goal=second, expected_version=1, local_target="Nytt")
    response = client.post(url, {"text": "Min tekst", "sdgs": ["11"], "version": 1})
    assert response.status_code == 409
    assert "Min tekst" in response.content.decode()


def test_goal_edit_page_is_refused_to_outsiders(client, active_agreement, parts, users):
    second = parts["goals"][1]
    client.force_login(users["outsider"])
    url = f"/avtaler/{active_agreement.pk}/mal/{second.pk}/endre/"
    assert client.get(url).status_code == 403
    assert client.post(url, {"text": "x", "version": 1}).status_code == 403
    second.refresh_from_db()
    assert second.version == 1


def test_remove_buttons_archive_the_parts(client, active_agreement, parts, users):
    client.force_login(users["county"])
    base = f"/avtaler/{active_agreement.pk}"
    second = parts["goals"][1]
    assert client.get(f"{base}/mal/{second.pk}/fjern/").status_code == 405
    for url in (
        f"{base}/mal/{second.pk}/fjern/",
        f"{base}/forankring/{parts['anchor'].pk}/fjern/",
        f"{base}/dokumenter/{parts['document'].pk}/fjern/",
    ):
        response = client.post(url)
        assert response.status_code == 302 and response["Location"] == base + "/", url
    assert AgreementGoal.objects.get(pk=second.pk).archived_at is not None
    assert AgreementGoal.objects.get(pk=parts["goals"][0].pk).archived_at is None
    assert AgreementAnchor.objects.get(pk=parts["anchor"].pk).archived_at is not None
    assert AgreementDocument.objects.get(pk=parts["document"].pk).archived_at is not None
    html = client.get(base + "/").content.decode()
    assert "Mer liv i sentrum" not in html and "Signert avtale" not in html
    assert "Flere arbeidsplasser" in html
    # A removed part is gone from the page: removing it again is 404.
    assert client.post(f"{base}/mal/{second.pk}/fjern/").status_code == 404


def test_a_goal_that_a_commitment_follows_up_is_not_removed(
    client, active_agreement, parts, users, orgs
):
    goal = parts["goals"][0]
    services.commitment_create(
        actor="t",
        agreement=active_agreement,
        party=orgs["3403"],
        description="Næringshage",
        due_date=dt.date(2025, 6, 1),
        goal=goal,
    )
    client.force_login(users["hamar"])
    before = history_for(active_agreement).count()
    response = client.post(f"/avtaler/{active_agreement.pk}/mal/{goal.pk}/fjern/", follow=True)
    assert response.status_code == 200
    shown = [str(m) for m in response.context["messages"]]
    assert len(shown) == 1 and "Hamar kommune: Næringshage" in shown[0]
    goal.refresh_from_db()
    assert goal.archived_at is None and history_for(active_agreement).count() == before


def test_remove_is_refused_to_outsiders_and_anonymous(client, active_agreement, parts, users):
    url = f"/avtaler/{active_agreement.pk}/dokumenter/{parts['document'].pk}/fjern/"
    response = client.post(url)
    assert response.status_code == 302 and "/konto/logg-inn/" in response["Location"]
    client.force_login(users["outsider"])
    assert client.post(url).status_code == 403
    assert AgreementDocument.objects.get(pk=parts["document"].pk).archived_at is None
