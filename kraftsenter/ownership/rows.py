"""The organisation dashboard's table of ownership control deadlines and standing tasks,
rendered in Python (issue 14): a municipality's dashboard lists up to 27 rows, and each row
through ``_deadline_status.html`` cost about 0.1 ms. The markup is what the template wrote
(``tests/test_rows.py`` compares them)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kraftsenter.core.markup import format_html, short_date
from kraftsenter.core.templatetags.ks_components import status_tag_html

DONE_SHOWN = ("met", "late")


def _status_labels() -> dict[str, str]:
    return {
        "met": _("Met"),
        "late": _("Met late"),
        "overdue": _("The deadline has passed"),
        "due": _("The deadline is approaching"),
        "upcoming": _("Not yet due"),
        "standing": _("Standing task"),
    }


def deadline_rows(deadlines: Iterable[Any]) -> SafeString:
    """The rows of ``_dashboard_deadlines.html``: the deadline or task (linked when it has a
    link), when it is due ("–" for a standing task), its status (with the date it was met)
    and its legal source."""
    labels = _status_labels()
    unknown = _("Unknown")
    tags: dict[str, SafeString] = {}
    rows = []
    for d in deadlines:
        tag = tags.get(d.status)
        if tag is None:
            tag = tags[d.status] = status_tag_html(d.status, labels.get(d.status, unknown))
        done = format_html(" ({})", short_date(d.done)) if d.done and d.status in DONE_SHOWN else ""
        label = (
            format_html('<a class="ds-link" href="{}">{}</a>', d.url, d.label) if d.url else d.label
        )
        rows.append(
            format_html(
                '<tr class="ks-deadline ks-deadline--{}"><td>{}</td><td>{}</td>'
                "<td>{}{}\n</td><td>{}</td></tr>",
                d.status,
                label,
                short_date(d.due) or "–",
                tag,
                done,
                d.source,
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every row escaped by format_html
