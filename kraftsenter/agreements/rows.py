"""Table rows of the agreement and commitment lists and of the dashboards, rendered in Python.

A row rendered by the template engine cost 0.3–0.4 ms (about twenty variable lookups, two
``reverse`` calls, a date filter and an include for the status tag): most of a 50-row list
page. Here the links are reversed once per list (:func:`url_maker`), the labels translated
once per list, and each row is one ``format_html`` call — the same markup the templates wrote
(``includes/status_tag.html`` for the status, the "Example" badge), escaped the same way.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.urls import get_script_prefix, reverse
from django.utils.formats import date_format, localize
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kraftsenter.core.templatetags.ks_components import status_colour

from .choices import OPEN_STATUSES, AgreementKind, AgreementStatus, CommitmentStatus

_PK_MARK = 2_147_483_647


def url_maker(name: str) -> Callable[[int], str]:
    """``url(pk)`` for a list: ``reverse`` once per process (and script prefix), then a string
    replacement per row."""
    return _url_maker(name, get_script_prefix())


@functools.cache
def _url_maker(name: str, _prefix: str) -> Callable[[int], str]:
    pattern = reverse(name, args=[_PK_MARK])
    mark = str(_PK_MARK)
    return lambda pk: pattern.replace(mark, str(pk))


def _short_date(value: dt.date | None) -> str:
    return date_format(value, "SHORT_DATE_FORMAT") if value else ""


class _Rows:
    """What every row of a list shares: the status tags and the "Example" badge."""

    statuses: Iterable[tuple[str, Any]] = ()

    def __init__(self) -> None:
        self.tags = {code: self._tag(code, str(label)) for code, label in self.statuses}
        self.example = format_html(
            '<span class="ks-badge ks-badge--example">{}</span>', _("Example")
        )

    @staticmethod
    def _tag(code: str, label: str) -> SafeString:
        # includes/status_tag.html, character for character (with its final line break).
        return format_html(
            '<span class="ds-tag ks-status" data-color="{}" data-size="sm" data-status="{}">'
            "{}</span>\n",
            status_colour(code),
            code,
            label,
        )

    def tag(self, code: str) -> SafeString:
        found = self.tags.get(code)
        return found if found is not None else self._tag(code, code)

    def badge(self, record: Any) -> str:
        return self.example if record.is_example else ""


class CommitmentRows(_Rows):
    """Rows of commitments: what is promised (linked), the party (``party=True``), the
    agreement (linked), the due date — with "overdue" when ``today`` is given and the
    commitment is still open — and the status."""

    statuses = CommitmentStatus.choices

    def __init__(self, *, party: bool = True, today: dt.date | None = None) -> None:
        super().__init__()
        self.party = party
        self.today = today
        self.url = url_maker("agreements:commitment-detail")
        self.agreement_url = url_maker("agreements:agreement-detail")
        self.overdue = format_html(" <strong>{}</strong>", _("overdue"))

    def row(self, c: Any) -> SafeString:
        late = (
            self.overdue
            if self.today is not None and c.due_date < self.today and c.status in OPEN_STATUSES
            else ""
        )
        return format_html(
            '<tr><td><a class="ds-link" href="{}">{}</a> {}</td>{}<td><a class="ds-link" '
            'href="{}">{}</a></td><td>{}{}</td><td>{}</td></tr>',
            self.url(c.pk),
            str(c),
            self.badge(c),
            format_html("<td>{}</td>", c.party.name) if self.party else "",
            self.agreement_url(c.agreement_id),
            c.agreement.title,
            _short_date(c.due_date),
            late,
            self.tag(c.status),
        )

    def __call__(self, commitments: Iterable[Any]) -> SafeString:
        return mark_safe("\n".join(self.row(c) for c in commitments))  # noqa: S308 - escaped rows


class AgreementRows(_Rows):
    """Rows of agreements: title (linked), kind (``kind=True``), parties, period and status."""

    statuses = AgreementStatus.choices

    def __init__(self, *, kind: bool = True) -> None:
        super().__init__()
        self.url = url_maker("agreements:agreement-detail")
        self.kinds = {code: str(label) for code, label in AgreementKind.choices} if kind else {}

    def row(self, a: Any, parties: Iterable[str]) -> SafeString:
        return format_html(
            '<tr><td><a class="ds-link" href="{}">{}</a> {}</td>{}<td>{}</td>'
            "<td>{}–{}</td><td>{}</td></tr>",
            self.url(a.pk),
            a.title,
            self.badge(a),
            format_html("<td>{}</td>", self.kinds.get(a.kind, a.kind)) if self.kinds else "",
            format_html_join(", ", "{}", ((name,) for name in parties)),
            _short_date(a.period_start),
            _short_date(a.period_end),
            self.tag(a.status),
        )

    def __call__(self, agreements: Iterable[Any]) -> SafeString:
        """The rows, the parties' names read in one query (``selectors.party_names``)."""
        from .selectors import party_names

        agreements = list(agreements)
        names = party_names(a.pk for a in agreements)
        return mark_safe(  # noqa: S308 - escaped rows
            "\n".join(self.row(a, names.get(a.pk, ())) for a in agreements)
        )


def party_count_rows(rows: Iterable[tuple[int, str, list[int], int]]) -> SafeString:
    """The county dashboard's table of commitments by party and status: (organisation id,
    name, counts in status order, total) per row, the name linked to its dashboard."""
    url = url_maker("agreements:organisation-dashboard")
    return mark_safe(  # noqa: S308 - every row escaped by format_html
        "".join(
            format_html(
                '<tr><th scope="row"><a class="ds-link" href="{}">{}</a></th>{}'
                '<td class="ks-num">{}</td></tr>\n  ',
                url(pk),
                name,
                format_html_join(
                    "", '<td class="ks-num">{}</td>', ((localize(n),) for n in counts)
                ),
                localize(total),
            )
            for pk, name, counts, total in rows
        )
    )
