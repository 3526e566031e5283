"""A profile's figures and facts built in Python render exactly what the templates rendered
(``knowledge/_figure.html``, and the former ``knowledge/_fact.html``, kept below as it was):
issue 14, an include per figure and per fact was most of the profile page's template time."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.template.loader import render_to_string
from django.utils import translation

from kraftsenter.knowledge.profile import PERCENT, TONNES, Figure
from kraftsenter.knowledge.templatetags.profile_facts import fact

#: knowledge/_fact.html before the ``{% fact %}`` tag replaced it.
FACT_TEMPLATE = Template(
    '{% load i18n %}<dt>{{ label }}</dt><dd>{% include "knowledge/_figure.html" %} '
    '<span class="ks-source">({{ figure.source }}{% if figure.year %}, {{ figure.year }}'
    "{% endif %})</span>{% if figure.note and figure.value is None %} "
    '<span class="ks-note">{{ figure.note }}</span>{% endif %}</dd>'
)

FIGURES = [
    Figure(None, "SSB, tabell 07459", None),
    Figure(None, "SSB, tabell 11618", 2023, note="Skjermet <av SSB>"),
    Figure(31200.0, "SSB, tabell 07459", 2024),
    Figure(1234567.891, "Miljødirektoratet", 2022, unit=TONNES, decimals=1),
    Figure(-3.25, "SSB", 2024, unit=PERCENT, decimals=1, note="ikke vist"),
    Figure(0.0, "SSB & co", 2021, unit="<t>", decimals=2),
]


@pytest.mark.parametrize("language", ["nb", "se", "en"])
@pytest.mark.parametrize("figure", FIGURES)
def test_figure_html_is_the_template(figure, language):
    with translation.override(language):
        assert str(figure.html) == render_to_string("knowledge/_figure.html", {"figure": figure})


@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("figure", FIGURES)
def test_fact_is_the_template(figure, language):
    with translation.override(language):
        label = translation.gettext("Population, 1 January") + " <&>"
        expected = FACT_TEMPLATE.render(Context({"label": label, "figure": figure}))
        assert str(fact(label, figure)) == expected
