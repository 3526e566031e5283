"""Consultation answers due and meetings coming up appear in the digest e-mail."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from kraftsenter.actors.choices import Role
from kraftsenter.actors.services import membership_add
from kraftsenter.agreements.services.digests import collect_digests
from kraftsenter.consultations import services

from .conftest import screen

pytestmark = pytest.mark.django_db


def test_digest_lists_pending_answer_for_party_and_authority(case, sami):
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 3, 20),
    )
    User = get_user_model()
    herder = User.objects.create_user("herder", email="h@example.no", password="x-long-pw-1")
    clerk = User.objects.create_user("clerk", email="c@example.no", password="x-long-pw-1")
    membership_add(actor="t", organisation=sami["district"], user=herder, role=Role.MEMBER)
    membership_add(actor="t", organisation=sami["karasjok"], user=clerk, role=Role.EDITOR)
    digests = dict(collect_digests(today=dt.date(2026, 3, 15), force=True))
    for user in (herder, clerk):
        items = [i for i in digests[user] if i.kind == "consultation"]
        assert len(items) == 1 and items[0].due == dt.date(2026, 3, 20)
        assert items[0].context == case.title


def test_digest_has_no_consultation_items_after_the_answer(case, sami):
    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    case = services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 3, 20),
    )
    services.party_respond(
        actor="t", party=case.parties.get(), response="declines", responded_on=dt.date(2026, 3, 5)
    )
    herder = get_user_model().objects.create_user(
        "herder", email="h@example.no", password="x-long-pw-1"
    )
    membership_add(actor="t", organisation=sami["district"], user=herder, role=Role.MEMBER)
    digests = dict(collect_digests(today=dt.date(2026, 3, 15), force=True))
    assert herder not in digests  # nothing else due: nobody gets an empty mail


def test_each_reader_gets_the_notice_e_mail_in_their_language(case, sami):
    """A Sami party's member who chose Northern Sami gets the digest in Sami where it is
    translated (bokmål where not); the authority's clerk keeps bokmål."""
    from django.core import mail
    from django.utils import translation
    from django.utils.translation import gettext

    from kraftsenter.accounts.preferences import language_preference_set
    from kraftsenter.agreements.services.digests import send_digests

    case = screen(case)
    services.party_add(actor="t", consultation=case, organisation=sami["district"])
    case.refresh_from_db()
    services.notice_send(
        actor="t",
        consultation=case,
        expected_version=case.version,
        sent_on=dt.date(2026, 3, 1),
        content="Varsel",
        response_deadline=dt.date(2026, 3, 20),
    )
    User = get_user_model()
    herder = User.objects.create_user("herder", email="h@example.no", password="x-long-pw-1")
    clerk = User.objects.create_user("clerk", email="c@example.no", password="x-long-pw-1")
    membership_add(actor="t", organisation=sami["district"], user=herder, role=Role.MEMBER)
    membership_add(actor="t", organisation=sami["karasjok"], user=clerk, role=Role.EDITOR)
    language_preference_set(actor=herder, user=herder, language="se")

    def texts(language: str) -> dict[str, str]:
        with translation.override(language):
            return {
                "heading": gettext("Due soon"),
                "title": gettext("Answer to the consultation notice from %(party)s")
                % {"party": sami["district"].name},
                "subject": gettext("Kraftsenter: %(count)s due or overdue") % {"count": 1},
            }

    se, nb = texts("se"), texts("nb")
    assert se["heading"] != nb["heading"] and se["title"] != nb["title"]  # translated in se
    send_digests(today=dt.date(2026, 3, 15), force=True)
    to = {m.to[0]: m for m in mail.outbox}
    sami_mail, bokmal_mail = to["h@example.no"], to["c@example.no"]
    assert se["heading"] in sami_mail.body and se["title"] in sami_mail.body
    assert nb["heading"] not in sami_mail.body and nb["title"] not in sami_mail.body
    assert nb["heading"] in bokmal_mail.body and nb["title"] in bokmal_mail.body
    assert se["title"] not in bokmal_mail.body
    # The subject is not translated into Sami yet: the reader gets bokmål, never English.
    with translation.override("en"):
        english_subject = gettext("Kraftsenter: %(count)s due or overdue") % {"count": 1}
    assert sami_mail.subject == se["subject"] != english_subject
    assert bokmal_mail.subject == nb["subject"]
