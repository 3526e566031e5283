"""Table rows of the agreement and commitment lists and of the dashboards, rendered in Python.

A row rendered by the template engine cost 0.3–0.4 ms (about twenty variable lookups, two
``reverse`` calls, a date filter and an include for the status tag): most of a 50-row list
page. Here the links are reversed once per list (:func:`url_maker`), the labels translated
once per list, and each row is one ``format_html`` call — the same markup the templates wrote
(``includes/status_tag.html`` for the status, the "Example" badge), escaped the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.template.defaultfilters import floatformat
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from kraftsenter.core.links import url_maker
from kraftsenter.core.markup import escape, format_html, join_escaped, short_date, whole
from kraftsenter.core.templatetags.ks_components import StatusTags

from .choices import OPEN_STATUSES, AgreementKind, AgreementStatus, CommitmentStatus
from .models.commitments import commitment_label


class _Rows:
    """What every row of a list shares: the status tags and the "Example" badge."""

    statuses: Iterable[tuple[str, Any]] = ()

    def __init__(self) -> None:
        self.tag = StatusTags(self.statuses)
        self.example = format_html(
            '<span class="ks-badge ks-badge--example">{}</span>', _("Example")
        )

    def badge(self, record: Any) -> str:
        return self.example if record.is_example else ""


#: A short date ("" for none), for rows rendered in Python elsewhere (ownership/rows.py).


class CommitmentRows(_Rows):
    """Rows of commitments: what is promised (linked), the party (``party=True``), the
    agreement (linked), the due date — with "overdue" when ``today`` is given and the
    commitment is still open — and the status."""

    statuses = CommitmentStatus.choices
    #: What a row reads of a commitment (a list may give light rows of these).
    columns = (
        "pk",
        "description",
        "is_example",
        "party__name",
        "agreement_id",
        "agreement__title",
        "due_date",
        "status",
    )

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
            commitment_label(c.description, c.pk),
            self.badge(c),
            format_html("<td>{}</td>", c.party.name) if self.party else "",
            self.agreement_url(c.agreement_id),
            c.agreement.title,
            short_date(c.due_date),
            late,
            self.tag(c.status),
        )

    def __call__(self, commitments: Iterable[Any]) -> SafeString:
        return mark_safe("\n".join(self.row(c) for c in commitments))  # noqa: S308 - escaped rows


class AgreementCommitmentRows(_Rows):
    """The agreement page's table of its commitments: the party, what is promised (linked,
    "carried over" when it was), the due date with "overdue" while not done or dropped, the
    budget and the status — the rows ``agreement_detail.html`` wrote with two includes each."""

    statuses = CommitmentStatus.choices

    def __init__(self, *, today: dt.date) -> None:
        super().__init__()
        self.today = today
        self.url = url_maker("agreements:commitment-detail")
        self.overdue = format_html(" <strong>{}</strong>", _("overdue"))
        self.carried = format_html(' <span class="ks-muted">({})</span>', _("carried over"))

    def row(self, c: Any) -> SafeString:
        late = c.due_date < self.today and c.status != "done" and c.status != "dropped"
        return format_html(
            '<tr><td>{}</td><td><a class="ds-link" href="{}">{}</a> {}\n{}</td>\n  '
            '<td>{}{}</td><td class="ks-num">{}</td><td>{}\n</td></tr>\n  ',
            c.party.name,
            self.url(c.pk),
            str(c),
            self.badge(c),
            self.carried if c.carried_from_id else "",
            short_date(c.due_date),
            self.overdue if late else "",
            floatformat(c.budget, "0g") or "–",
            self.tag(c.status),
        )

    def __call__(self, commitments: Iterable[Any]) -> SafeString:
        return mark_safe("".join(self.row(c) for c in commitments))  # noqa: S308 - escaped rows


def due_report_rows(
    reports: Iterable[Any], *, today: dt.date | None = None, agreement_link: bool = False
) -> SafeString:
    """Rows of follow-up reports due: the agreement's title (linked with ``agreement_link``,
    the county dashboard), the period (linked to the report) and the due date, with "overdue"
    once it has passed when ``today`` is given (the organisation dashboard)."""
    report_url = url_maker("agreements:report-detail", keys=2)
    agreement_url = url_maker("agreements:agreement-detail")
    overdue = format_html(" <strong>{}</strong>", _("overdue"))
    return mark_safe(  # noqa: S308 - every row escaped by format_html
        "".join(
            format_html(
                '<tr><td>{}</td><td><a class="ds-link" href="{}">{}–{}</a></td><td>{}{}</td>'
                "</tr>\n  ",
                format_html(
                    '<a class="ds-link" href="{}">{}</a>',
                    agreement_url(r.agreement_id),
                    r.agreement.title,
                )
                if agreement_link
                else r.agreement.title,
                report_url(r.agreement_id, r.pk),
                short_date(r.period_start),
                short_date(r.period_end),
                short_date(r.due_date),
                overdue if today is not None and r.due_date < today else "",
            )
            for r in reports
        )
    )


class AgreementRows(_Rows):
    """Rows of agreements: title (linked), kind (``kind=True``), parties, period and status."""

    statuses = AgreementStatus.choices
    #: What a row reads of an agreement (a list may give light rows of these).
    columns = ("pk", "title", "kind", "status", "period_start", "period_end", "is_example")

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
            join_escaped(parties),
            short_date(a.period_start),
            short_date(a.period_end),
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
                SafeString("".join(f'<td class="ks-num">{escape(whole(n))}</td>' for n in counts)),
                whole(total),
            )
            for pk, name, counts, total in rows
        )
    )
