"""The rows of the organisation list (and its search), rendered in Python with the markup the
template wrote (``core.markup``): through the template engine each row was five lookups, two
filters and four escapes. ``tests/test_rows.py`` compares both character for character."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.utils.safestring import SafeString

from kraftsenter.core.markup import escape

from .choices import OrganisationKind

#: A row as the template's loop wrote it, whitespace included.
_ROW = (
    '\n    <tr><td><a class="ds-link" href="{}">{}</a></td><td>{}</td><td>{}</td><td>{}</td>'
    "</tr>\n  "
)


def organisation_table_rows(organisations: Sequence[Any]) -> SafeString:
    """The ``<tr>``s of :func:`~.selectors.with_urls`' organisations: linked name, kind, home
    municipality's name and organisation number ("–" when there is none)."""
    kinds = {code: escape(label) for code, label in OrganisationKind.choices}
    rows = []
    for o in organisations:
        municipality = o.municipality.name if o.municipality_id is not None else ""
        rows.append(
            _ROW.format(
                escape(o.url),
                escape(o.name),
                kinds.get(o.kind) or escape(o.kind),
                escape(municipality or "–"),
                escape(o.organisation_number or "–"),
            )
        )
    return SafeString("".join(rows))
