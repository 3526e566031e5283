"""Rows of the cooperation list, rendered in Python (as ``agreements/rows.py``).

The list read every cooperation with all its columns, and its areas and every participant
with their organisations as model instances (some 600 per page), to show a name, two labels, a
count and a status; the template then spent about a third of a millisecond on each row. Here a
row is the cooperation's four columns (light rows), its area codes and its number of
participants from two queries for the page, and one ``format_html`` call — the markup the
template wrote, escaped the same way (``cooperations/cooperation_list.html`` before round
eight; ``tests/test_rows_in_python.py`` compares them).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString

from kraftsenter.core.links import url_maker
from kraftsenter.core.markup import format_html, join_escaped, whole
from kraftsenter.core.templatetags.ks_components import StatusTags

from . import selectors
from .choices import Area, LegalForm, Status


class CooperationRows:
    """The ``<tr>`` of each cooperation of a page of the list (light rows of ``columns``)."""

    columns = ("pk", "name", "legal_form", "status")

    def __init__(self) -> None:
        self.url = url_maker("cooperations:cooperation-detail")
        self.forms = {code: str(label) for code, label in LegalForm.choices}
        self.areas = {code: str(label) for code, label in Area.choices}
        self.tag = StatusTags(Status.choices)

    def __call__(self, cooperations: Iterable[Any]) -> SafeString:
        rows = list(cooperations)
        areas, counts = selectors.cooperation_row_parts([c.pk for c in rows])
        return SafeString(
            "".join(
                format_html(
                    '\n    <tr><td><a class="ds-link" href="{}">{}</a></td><td>{}</td>'
                    "\n    <td>{}</td>\n    <td>{}</td><td>{}</td></tr>\n  ",
                    self.url(c.pk),
                    c.name,
                    self.forms.get(c.legal_form, c.legal_form),
                    join_escaped(self.areas.get(code, code) for code in areas.get(c.pk, ())),
                    whole(counts.get(c.pk, 0)),
                    self.tag(c.status),
                )
                for c in rows
            )
        )
