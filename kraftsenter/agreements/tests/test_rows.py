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


#: The commitment rows as agreement_detail.html wrote them, with its two includes per row.
OLD_AGREEMENT_COMMITMENTS = (
    "{% load i18n %}{% for c in commitments %}<tr><td>{{ c.party.name }}</td><td><a "
    'class="ds-link" href="{{ c.get_absolute_url }}">{{ c }}</a> {% include '
    '"agreements/_example.html" with record=c %}{% if c.carried_from_id %} <span '
    'class="ks-muted">({% translate "carried over" %})</span>{% endif %}</td>\n  <td>'
    '{{ c.due_date|date:"SHORT_DATE_FORMAT" }}{% if c.due_date < today and c.status != "done" '
    'and c.status != "dropped" %} <strong>{% translate "overdue" %}</strong>{% endif %}</td>'
    '<td class="ks-num">{{ c.budget|floatformat:"0g"|default:"–" }}</td><td>{% include '
    '"agreements/_status.html" with code=c.status label=c.get_status_display %}</td></tr>\n  '
    "{% endfor %}"
)


def test_agreement_page_commitment_rows_are_the_template_rows(listed, active_agreement):
    from kraftsenter.agreements.rows import AgreementCommitmentRows

    items = list(selectors.agreement_get(pk=active_agreement.pk).commitments.all())
    first, second, third = items
    # A budget with thousands, a carried-over commitment, and one without budget.
    services.commitment_update(
        actor="t", commitment=first, expected_version=first.version, budget=1234567
    )
    from kraftsenter.agreements.models import Commitment

    Commitment.objects.filter(pk=third.pk).update(carried_from=second)
    items = list(selectors.agreement_get(pk=active_agreement.pk).commitments.all())
    today = dt.date(2025, 3, 1)
    with translation.override("nb"):
        old = _render(OLD_AGREEMENT_COMMITMENTS, commitments=items, today=today)
        new = str(AgreementCommitmentRows(today=today)(items))
    assert new == old
    assert new.count("<strong>") == 1  # at_risk and past; done is not overdue, third is later
    assert new.count('class="ks-muted"') == 1
    assert new.count("ks-badge--example") == 1
    assert "1\xa0234\xa0567" in new or "1 234 567" in new
    assert "&lt;0&gt; «sentrum»" in new


OLD_DUE_REPORTS = (
    "{% load i18n %}{% for r in reports %}<tr><td>{{ r.agreement.title }}</td><td>"
    '<a class="ds-link" href="{{ r.get_absolute_url }}">'
    '{{ r.period_start|date:"SHORT_DATE_FORMAT" }}–'
    '{{ r.period_end|date:"SHORT_DATE_FORMAT" }}</a></td><td>'
    '{{ r.due_date|date:"SHORT_DATE_FORMAT" }}{% if r.due_date < today %} <strong>'
    '{% translate "overdue" %}</strong>{% endif %}</td></tr>\n  {% endfor %}'
)


def test_dashboard_report_rows_are_the_template_rows(listed, active_agreement, agreement):
    from kraftsenter.agreements.models import FollowUpReport
    from kraftsenter.agreements.rows import due_report_rows

    first = services.report_create(actor="t", agreement=active_agreement)
    services.report_create(actor="t", agreement=agreement)
    reports = list(FollowUpReport.objects.select_related("agreement").order_by("pk"))
    assert len(reports) == 2
    today = first.due_date + dt.timedelta(days=1)
    with translation.override("nb"):
        old = _render(OLD_DUE_REPORTS, reports=reports, today=today)
        new = str(due_report_rows(reports, today=today))
    assert new == old
    assert new.count("<tr>") == 2
    assert new.count("<strong>") == sum(r.due_date < today for r in reports) >= 1
    assert f"/{active_agreement.pk}/rapporter/{first.pk}/" in new
    assert "&lt;b&gt;&quot;fet&quot;&lt;/b&gt; &amp; co" in new
    assert str(due_report_rows([], today=today)) == ""


#: The county dashboard's overdue reports as county_dashboard.html wrote them.
OLD_COUNTY_REPORTS = (
    '{% for r in reports %}<tr><td><a class="ds-link" href="{{ r.agreement.get_absolute_url }}">'
    '{{ r.agreement.title }}</a></td><td><a class="ds-link" href="{{ r.get_absolute_url }}">'
    '{{ r.period_start|date:"SHORT_DATE_FORMAT" }}–{{ r.period_end|date:"SHORT_DATE_FORMAT" }}'
    '</a></td><td>{{ r.due_date|date:"SHORT_DATE_FORMAT" }}</td></tr>\n  {% endfor %}'
)


def test_county_report_rows_are_the_template_rows(listed, active_agreement, agreement):
    from kraftsenter.agreements.models import FollowUpReport
    from kraftsenter.agreements.rows import due_report_rows

    services.report_create(actor="t", agreement=active_agreement)
    services.report_create(actor="t", agreement=agreement)
    reports = list(FollowUpReport.objects.select_related("agreement").order_by("pk"))
    with translation.override("nb"):
        old = _render(OLD_COUNTY_REPORTS, reports=reports)
        new = str(due_report_rows(reports, agreement_link=True))
    assert new == old
    assert new.count(f'href="/avtaler/{agreement.pk}/"') == 1
    assert new.count(f'href="/avtaler/{active_agreement.pk}/"') == 1
    assert "<strong>" not in new


def test_party_names_are_each_agreements_own(agreement, active_agreement, orgs):
    """The parties' names by agreement (a statement kept per number of agreements): one
    agreement and then another through the same statement, both together, none."""

    third = services.agreement_create(
        actor="t",
        title="Samarbeidsavtale Alta",
        kind="regional_growth",
        period_start=agreement.period_start,
        period_end=agreement.period_end,
        lead=orgs["56"],
        parties=[orgs["56"], orgs["5601"]],
    )
    hamar = sorted([orgs["34"].name, orgs["3403"].name, orgs["3412"].name])
    alta = sorted([orgs["56"].name, orgs["5601"].name])
    assert sorted(selectors.party_names([agreement.pk])[agreement.pk]) == hamar
    assert sorted(selectors.party_names([third.pk])[third.pk]) == alta
    both = selectors.party_names(iter([third.pk, active_agreement.pk]))
    assert sorted(both[third.pk]) == alta and sorted(both[active_agreement.pk]) == hamar
    assert selectors.party_names([]) == {}
