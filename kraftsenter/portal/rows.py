"""The start page's list items rendered in Python (``core.markup``), character for character
what ``portal/start.html`` wrote with a ``status_tag`` inclusion and translated labels per item:
a member's two desks, the recent changes and the open consultations were 6 of the page's 35 ms
in the template engine (issue 14). ``test_start_rows`` compares them with that template.

Each function returns the items of one ``<ul>``, each item on its own line as the template
indented it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kraftsenter.agreements.models.commitments import commitment_label
from kraftsenter.core.links import url_maker
from kraftsenter.core.markup import format_html, short_date
from kraftsenter.core.templatetags.ks_components import StatusTags, status_tag_html

_ITEM = "\n      <li>"


def label(commitment: Any) -> str:
    return commitment_label(commitment.description, commitment.pk)


def deadline_items(deadlines: Iterable[Any]) -> SafeString:
    """A desk's deadlines (``start.DeadlineRow``): the label (linked when it has an address),
    the due date ("–" for none) and the status with its statutory wording."""
    tags = {
        "overdue": status_tag_html("overdue", _("The deadline has passed")),
        "due": status_tag_html("due", _("The deadline is approaching")),
    }
    items = []
    for d in deadlines:
        tag = tags.get(d.status)
        if tag is None:
            tag = status_tag_html(d.status, _("Not yet due"))
        label = (
            format_html('<a class="ds-link" href="{}">{}</a>', d.url, d.label) if d.url else d.label
        )
        items.append(
            format_html(
                _ITEM + '{}\n        <span class="ks-card__meta">{} {}</span></li>',
                label,
                short_date(d.due) or "–",
                tag,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every item escaped by format_html


def follow_up_items(overdue: Iterable[Any], due_soon: Iterable[Any], statuses: Any) -> SafeString:
    """A desk's commitments overdue (tagged as such) and due soon (with their status), as
    commitments or light rows of their ``pk``, ``description``, ``due_date`` and ``status``;
    ``statuses`` the commitment statuses' choices."""
    url = url_maker("agreements:commitment-detail")
    late = status_tag_html("overdue", _("The deadline has passed"))
    tags = StatusTags(statuses)
    pattern = (
        _ITEM + '<a class="ds-link" href="{}">{}</a> <span class="ks-card__meta">{} {}</span></li>'
    )
    items = [
        format_html(pattern, url(c.pk), label(c), short_date(c.due_date), late) for c in overdue
    ]
    items += [
        format_html(pattern, url(c.pk), label(c), short_date(c.due_date), tags(c.status))
        for c in due_soon
    ]
    return mark_safe("".join(items))  # noqa: S308 - every item escaped by format_html


def change_items(changes: Iterable[dict[str, Any]]) -> SafeString:
    """The recent changes (``start.recent_changes``): the record (linked), the part changed,
    what was done, when (local time) and by whom."""
    items = []
    for c in changes:
        items.append(
            format_html(
                '\n  <li data-ks-change><a class="ds-link" href="{}">{}</a>{}: {}\n'
                '    <span class="ks-card__meta">{}{}</span></li>',
                c["url"],
                c["record"],
                format_html(" ({})", c["part"]) if c["part"] else "",
                c["action"],
                date_format(timezone.localtime(c["time"]), "SHORT_DATETIME_FORMAT"),
                format_html(" – {}", c["actor"]) if c["actor"] else "",
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every item escaped by format_html


def consultation_items(consultations: Iterable[Any], statuses: Any) -> SafeString:
    """Open consultations: the title (linked), the status and the answer deadline if set."""
    url = url_maker("consultations:consultation-detail")
    tags = StatusTags(statuses)
    items = []
    for c in consultations:
        deadline = ""
        if c.response_deadline:
            deadline = " " + _("answer by %(date)s") % {"date": short_date(c.response_deadline)}
        items.append(
            format_html(
                _ITEM + '<a class="ds-link" href="{}">{}</a>\n'
                '        <span class="ks-card__meta">{}{}</span></li>',
                url(c.pk),
                c.title,
                tags(c.status),
                deadline,
            )
        )
    return mark_safe("".join(items))  # noqa: S308 - every item escaped by format_html
