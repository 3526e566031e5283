"""``{% fact label figure %}``: one fact of a profile (a ``<dt>``/``<dd>`` pair), built in Python.

What the former ``knowledge/_fact.html`` rendered, character for character
(``tests/test_profile_html.py`` compares them): a profile shows about twenty-five facts, and an
``{% include %}`` for each was a large part of the page's template time.
"""

from __future__ import annotations

from django import template
from django.utils.formats import localize
from django.utils.safestring import SafeString

from kraftsenter.core.markup import format_html
from kraftsenter.knowledge.profile import Figure

register = template.Library()


@register.simple_tag
def fact(label: str, figure: Figure) -> SafeString:
    year = format_html(", {}", localize(figure.year)) if figure.year else ""
    note = (
        format_html(' <span class="ks-note">{}</span>', figure.note)
        if figure.note and figure.value is None
        else ""
    )
    return format_html(
        '<dt>{}</dt><dd>{} <span class="ks-source">({}{})</span>{}</dd>',
        label,
        figure.html,
        figure.source,
        year,
        note,
    )
