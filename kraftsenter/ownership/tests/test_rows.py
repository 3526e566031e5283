"""The dashboard's ownership deadline rows rendered in Python (ownership/rows.py) are the
markup ``_dashboard_deadlines.html`` wrote with ``_deadline_status.html`` per row (issue 14):
every status, a met date, a task with a link and text that must be escaped."""

from __future__ import annotations

import datetime as dt

from django.template import Context, Template
from django.utils import translation

from kraftsenter.ownership.deadlines import OwnershipDeadline
from kraftsenter.ownership.rows import deadline_rows

OLD = (
    '{% for d in deadlines %}<tr class="ks-deadline ks-deadline--{{ d.status }}"><td>'
    '{% if d.url %}<a class="ds-link" href="{{ d.url }}">{{ d.label }}</a>{% else %}'
    '{{ d.label }}{% endif %}</td><td>{{ d.due|date:"SHORT_DATE_FORMAT"|default:"–" }}</td>'
    '<td>{% include "ownership/_deadline_status.html" %}</td><td>{{ d.source }}</td></tr>'
    "{% endfor %}"
)
DAY = dt.date(2025, 12, 31)
DONE = dt.date(2025, 3, 4)


def _deadlines() -> list[OwnershipDeadline]:
    return [
        OwnershipDeadline("statement", "Eierskapsmelding", DAY, DONE, "met", "§ 26-1"),
        OwnershipDeadline("control_plan", "Plan", DAY, DONE, "late", "§ 23-4"),
        OwnershipDeadline("control_plan", "Plan", DAY, None, "overdue", "§ 23-4"),
        OwnershipDeadline("control_plan", "Plan", DAY, None, "due", "§ 23-4"),
        OwnershipDeadline("control_plan", "Plan", DAY, DONE, "upcoming", "§ 23-4"),
        OwnershipDeadline("x", "Odd", None, None, "strange", "§ 1"),
        OwnershipDeadline(
            "control_committee_notice",
            'Tell <b>"IKS"</b> & co',
            None,
            None,
            "standing",
            "§ 23-6",
            "/samarbeid/7/?a=1&b=2",
        ),
    ]


def test_deadline_rows_are_the_template_rows():
    deadlines = _deadlines()
    with translation.override("nb"):
        old = Template(OLD).render(Context({"deadlines": deadlines}))
        new = str(deadline_rows(deadlines))
    assert new == old
    assert new.count("<tr ") == 7
    # The date met is shown for "met" and "late" only, not for an upcoming deadline.
    assert new.count("(04.03.2025)") == 2
    assert "&lt;b&gt;&quot;IKS&quot;&lt;/b&gt; &amp; co" in new
    assert 'href="/samarbeid/7/?a=1&amp;b=2"' in new
    assert str(deadline_rows([])) == ""
