"""The list and dashboard rows rendered in Python (agreements/rows.py) are the markup the
templates rendered before (issue 14): compared here with the old row templates, in bokmål,
for an ordinary row, an example, an overdue and an archived-party row, and with text that
must be escaped."""

from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.utils import translation

from kraftsenter.agreements import selectors, services
from kraftsenter.agreements.rows import AgreementRows, CommitmentRows

pytestmark = pytest.mark.django_db

LOAD = "{% load i18n ks_components %}"
#: The rows as agreement_list.html, commitment_list.html and _commitment_table.html wrote them.
OLD_AGREEMENT = (
    LOAD + '{% for a in agreements %}<tr><td><a class="ds-link" href="{{ a.get_absolute_url }}">'
    '{{ a.title }}</a> {% if a.is_example %}<span class="ks-badge ks-badge--example">'
    '{% translate "Example" %}</span>{% endif %}</td><td>{{ a.get_kind_display }}</td>'
    "<td>{% for p in a.active_parties %}{{ p.organisation.name }}{% if not forloop.last %}, "
    '{% endif %}{% endfor %}</td><td>{{ a.period_start|date:"SHORT_DATE_FORMAT" }}–'
    '{{ a.period_end|date:"SHORT_DATE_FORMAT" }}</td><td>{% status_tag a %}</td></tr>'
    "{% if not forloop.last %}\n{% endif %}{% endfor %}"
)
OLD_COMMITMENT = (
    LOAD + '{% for c in items %}<tr><td><a class="ds-link" href="{{ c.get_absolute_url }}">'
    '{{ c }}</a> {% if c.is_example %}<span class="ks-badge ks-badge--example">'
    '{% translate "Example" %}</span>{% endif %}</td>{% if show_party %}<td>{{ c.party.name }}'
    '</td>{% endif %}<td><a class="ds-link" href="{{ c.agreement.get_absolute_url }}">'
    '{{ c.agreement.title }}</a></td><td>{{ c.due_date|date:"SHORT_DATE_FORMAT" }}'
    "{% if today and c.due_date < today and c.status in open_statuses %} <strong>"
    '{% translate "overdue" %}</strong>{% endif %}</td><td>{% status_tag c.status '
    "c.get_status_display %}</td></tr>{% if not forloop.last %}\n{% endif %}{% endfor %}"
)


def _render(source: str, **context) -> str:
    return Template(source).render(Context(context))


@pytest.fixture
def listed(active_agreement, agreement, orgs):
    services.agreement_update(
        actor="t",
        agreement=agreement,
        expected_version=agreement.version,
        title='Avtale <b>"fet"</b> & co',
        is_example=True,
    )
    for i, (party, status, due) in enumerate(
        [
            (orgs["3403"], "at_risk", dt.date(2025, 1, 31)),
            (orgs["3412"], "done", dt.date(2025, 2, 28)),
            (orgs["34"], "in_progress", dt.date(2027, 6, 30)),
        ]
    ):
        c = services.commitment_create(
            actor="t",
            agreement=active_agreement,
            party=party,
            description=f"Tiltak <{i}> «sentrum»\nmed mer",
            due_date=due,
            is_example=i == 1,
        )
        if status != "not_started":
            services.commitment_update(
                actor="t", commitment=c, expected_version=c.version, status=status
            )


def test_agreement_rows_are_the_template_rows(listed):
    agreements = list(selectors.agreement_list().order_by("title"))
    assert len(agreements) == 2
    with translation.override("nb"):
        assert str(AgreementRows()(agreements)) == _render(OLD_AGREEMENT, agreements=agreements)
    html = str(AgreementRows()(agreements))
    assert "&lt;b&gt;&quot;fet&quot;&lt;/b&gt; &amp; co" in html
    assert html.count('data-status="active"') == 1
    assert html.count("ks-badge--example") == 1


@pytest.mark.parametrize("show_party", [True, False])
def test_commitment_rows_are_the_template_rows(listed, show_party):
    from kraftsenter.agreements.choices import OPEN_STATUSES

    items = list(selectors.commitment_list().order_by("due_date"))
    assert [c.status for c in items] == ["at_risk", "done", "in_progress"]
    today = dt.date(2025, 3, 1)
    with translation.override("nb"):
        old = _render(
            OLD_COMMITMENT,
            items=items,
            show_party=show_party,
            today=today,
            open_statuses=OPEN_STATUSES,
        )
        new = str(CommitmentRows(party=show_party, today=today)(items))
    assert new == old
    # Only the open commitment past its date is overdue (the second is done, the third later).
    assert new.count("<strong>") == 1
    assert "&lt;0&gt; «sentrum»" in new


def test_dashboard_rows_have_no_overdue_mark(listed):
    items = list(selectors.commitment_list().order_by("due_date"))
    assert "<strong>" not in str(CommitmentRows(party=False)(items))


OLD_PARTY_ROWS = (
    '{% for pk, name, counts, total in party_table %}<tr><th scope="row"><a class="ds-link" '
    "href=\"{% url 'agreements:organisation-dashboard' pk %}\">{{ name }}</a></th>{% for n in "
    'counts %}<td class="ks-num">{{ n }}</td>{% endfor %}<td class="ks-num">{{ total }}</td>'
    "</tr>\n  {% endfor %}"
)


def test_county_party_rows_are_the_template_rows(orgs):
    from kraftsenter.agreements.rows import party_count_rows

    table = [
        (orgs["3403"].pk, "Hamar <kommune>", [1, 0, 2, 0, 0], 3),
        (orgs["3412"].pk, "Løten & co", [0, 12345, 0, 1, 0], 12346),
    ]
    with translation.override("nb"):
        assert str(party_count_rows(table)) == _render(OLD_PARTY_ROWS, party_table=table)
    assert str(party_count_rows([])) == ""
