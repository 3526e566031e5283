"""The start page's list items rendered in Python (kraftsenter/portal/rows.py) are what the
template wrote, character for character: the loops of ``portal/start.html`` before the change
are kept here and rendered with the same items, in Norwegian and English."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from kraftsenter.agreements.choices import CommitmentStatus
from kraftsenter.consultations.choices import Status
from kraftsenter.portal import rows
from kraftsenter.portal.start import DeadlineRow

DEADLINES = """{% load i18n ks_components %}{% for d in deadlines %}
      <li>{% if d.url %}<a class="ds-link" href="{{ d.url }}">{{ d.label }}</a>{% else %}{{ d.label }}{% endif %}
        <span class="ks-card__meta">{{ d.due|date:"SHORT_DATE_FORMAT"|default:"–" }} {% if d.status == "overdue" %}{% translate "The deadline has passed" as status_label %}{% elif d.status == "due" %}{% translate "The deadline is approaching" as status_label %}{% else %}{% translate "Not yet due" as status_label %}{% endif %}{% status_tag d.status status_label %}</span></li>{% endfor %}"""  # noqa: E501 - the template's own lines

FOLLOW_UPS = """{% load i18n ks_components %}{% for c in overdue %}
      <li><a class="ds-link" href="{{ c.get_absolute_url }}">{{ c }}</a> <span class="ks-card__meta">{{ c.due_date|date:"SHORT_DATE_FORMAT" }} {% translate "The deadline has passed" as overdue_label %}{% status_tag "overdue" overdue_label %}</span></li>{% endfor %}{% for c in due_soon %}
      <li><a class="ds-link" href="{{ c.get_absolute_url }}">{{ c }}</a> <span class="ks-card__meta">{{ c.due_date|date:"SHORT_DATE_FORMAT" }} {% status_tag c %}</span></li>{% endfor %}"""  # noqa: E501

CHANGES = """{% for c in changes %}
  <li data-ks-change><a class="ds-link" href="{{ c.url }}">{{ c.record }}</a>{% if c.part %} ({{ c.part }}){% endif %}: {{ c.action }}
    <span class="ks-card__meta">{{ c.time|date:"SHORT_DATETIME_FORMAT" }}{% if c.actor %} – {{ c.actor }}{% endif %}</span></li>{% endfor %}"""  # noqa: E501

CONSULTATIONS = """{% load i18n ks_components %}{% for c in consultations %}
      <li><a class="ds-link" href="{{ c.get_absolute_url }}">{{ c }}</a>
        <span class="ks-card__meta">{% status_tag c %}{% if c.response_deadline %} {% blocktranslate with date=c.response_deadline|date:"SHORT_DATE_FORMAT" %}answer by {{ date }}{% endblocktranslate %}{% endif %}</span></li>{% endfor %}"""  # noqa: E501

LANGUAGES = ["nb", "en"]


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.mark.parametrize("language", LANGUAGES)
def test_deadline_items_are_the_template_items(language):
    deadlines = [
        DeadlineRow("Plan <b>&</b> strategi: vedtak", dt.date(2024, 10, 31), "overdue", "/p/1/"),
        DeadlineRow("Rapport", dt.date(2026, 12, 1), "due", "/r/2/", "pbl. § 10-1"),
        DeadlineRow("Svar på konsultasjon", dt.date(2027, 3, 1), "upcoming", "/k/3/"),
        DeadlineRow("Eierskapsmelding", None, "due", ""),
        DeadlineRow("Ukjent", dt.date(2027, 1, 1), "something_else", "/x/"),
    ]
    with translation.override(language):
        assert rows.deadline_items(deadlines) == _render(DEADLINES, deadlines=deadlines)


@pytest.mark.parametrize("language", LANGUAGES)
def test_follow_up_items_are_the_template_items(language, commitment, orgs):
    from kraftsenter.agreements import services

    second = services.commitment_create(
        actor="t",
        agreement=commitment.agreement,
        party=orgs["3403"],
        description="Tiltak <2> & mer\nandre linje",
        due_date=dt.date(2026, 12, 15),
    )
    third = services.commitment_create(
        actor="t",
        agreement=commitment.agreement,
        party=orgs["3412"],
        description="  \nEtter en tom første linje",
        due_date=dt.date(2026, 12, 20),
        status="at_risk",
    )
    overdue, due_soon = [commitment], [second, third]
    light = [
        SimpleNamespace(pk=c.pk, description=c.description, due_date=c.due_date, status=c.status)
        for c in (*overdue, *due_soon)
    ]
    with translation.override(language):
        expected = _render(FOLLOW_UPS, overdue=overdue, due_soon=due_soon)
        assert rows.follow_up_items(light[:1], light[1:], CommitmentStatus.choices) == expected
        # Model instances give the same items.
        assert rows.follow_up_items(overdue, due_soon, CommitmentStatus.choices) == expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_change_items_are_the_template_items(language, settings):
    settings.TIME_ZONE = "Europe/Oslo"
    changes = [
        {
            "time": dt.datetime(2026, 6, 30, 22, 15, tzinfo=dt.UTC),  # 1 July in Oslo
            "action": "Endret",
            "record": "Hamar <kommune>",
            "part": "Medlemskap: Ola & Kari",
            "url": "/organisasjoner/1/",
            "actor": "Ola Nordmann",
            "organisation": None,
        },
        {
            "time": timezone.now(),
            "action": "Opprettet",
            "record": "Avtale",
            "part": "",
            "url": "/avtaler/2/",
            "actor": "",
            "organisation": None,
        },
    ]
    with translation.override(language), timezone.override("Europe/Oslo"):
        assert rows.change_items(changes) == _render(CHANGES, changes=changes)


@pytest.mark.parametrize("language", LANGUAGES)
def test_consultation_items_are_the_template_items(language, orgs):
    from kraftsenter.consultations.services import consultation_create
    from kraftsenter.places.models import Municipality

    municipality = Municipality.objects.get(number="5610")
    cases = [
        consultation_create(
            actor="t",
            title=f"Plan <{n}> & sentrum",
            kind="plan",
            plan_kind="zoning",
            authority=orgs["5610"],
            municipalities=[municipality],
        )
        for n in range(2)
    ]
    cases[1].response_deadline = dt.date(2026, 4, 1)
    cases[1].status = Status.IN_CONSULTATION
    with translation.override(language):
        expected = _render(CONSULTATIONS, consultations=cases)
        assert rows.consultation_items(cases, Status.choices) == expected
