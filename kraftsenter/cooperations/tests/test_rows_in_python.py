"""What is now built in Python is what the template engine and ninja built before (issue 14):
a municipality's cooperations' table rows, the API lists' items, and the edit forms' GET
without the detail page's reads."""

from __future__ import annotations

import json
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from ninja.responses import NinjaJSONEncoder

from kraftsenter.cooperations import overviews, selectors
from kraftsenter.cooperations.api import CooperationOut
from kraftsenter.cooperations.overview_views import overview_rows

from .test_overviews import create, register  # noqa: F401 - the fixture
from .test_views_multi_item import editor  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db
with_register = pytest.mark.usefixtures("register")

#: A group's rows as municipality_overview.html rendered them before ``overview_rows``.
ROWS_TEMPLATE = (
    "{% load ks_components %}{% for p in participations %}<tr>\n"
    '      <th scope="row"><a class="ds-link" href="{{ p.url }}">{{ p.cooperation.name }}</a>'
    "</th>\n"
    "      <td>{% if by_area %}{{ p.legal_form_label }}{% else %}"
    '{{ p.area_labels|join:", " }}{% endif %}</td>\n'
    "      <td>{% status_tag p.cooperation.status p.status_label %}</td>\n"
    '      <td class="ks-num">{{ p.ownership_display|default:"–" }}</td>\n'
    '      <td class="ks-num">{{ p.liability_display|default:"–" }}</td>\n'
    "      <td>{% if p.host %}{{ p.host.name }}{% else %}–{% endif %}</td>\n"
    "    </tr>{% endfor %}"
)


@with_register
@pytest.mark.parametrize("language", ["nb", "en"])
@pytest.mark.parametrize("grouping", ["area", "form"])
def test_overview_rows_are_what_the_template_rendered(orgs, language, grouping):
    # Characters to escape, a share with decimals, a host: in the rows of more than one group.
    create(
        orgs,
        "Vann & «avløp» <IKS>",
        "iks",
        {"3403": "33.333", "3412": "66.667"},
        ["utilities", "health"],
        host=orgs["3412"],
    )
    template = Template(ROWS_TEMPLATE)
    with translation.override(language):
        full = overviews.organisation_overview(user=None, organisation=orgs["3403"])
        page = overviews.organisation_overview_page(
            user=None, organisation=orgs["3403"], grouping=grouping
        )
        expected_groups = full.by_area if grouping == "area" else full.by_form
        rows = overview_rows(page)
        assert [g.code for g, _html in rows] == [g.code for g in expected_groups]
        for (group, html), expected in zip(rows, expected_groups, strict=True):
            assert group.total == len(expected.participations)
            context = {"participations": expected.participations, "by_area": grouping == "area"}
            assert html == template.render(Context(context)), group.code
    joined = "".join(html for _group, html in rows)
    assert "Vann &amp; «avløp» &lt;IKS&gt;" in joined
    assert joined.count("Vann &amp;") == (2 if grouping == "area" else 1)
    assert 'data-status="dissolved"' in joined  # the dissolved one is listed with its status


@with_register
def test_api_list_items_are_what_ninja_gave(client, orgs):
    """The list's items as ``CooperationOut`` validated and dumped them from the models."""
    got = client.get("/api/v1/cooperations", {"page_size": 100}).json()["items"]
    coops = selectors.cooperation_list(user=None, with_participants=False).filter(
        pk__in=[item["id"] for item in got]
    )
    by_pk = {c.pk: c for c in selectors.attach_participant_rows(list(coops))}
    request = RequestFactory().get("/api/v1/cooperations")
    expected = [
        CooperationOut.model_validate(by_pk[item["id"]], context={"request": request}).model_dump()
        for item in got
    ]
    assert got == json.loads(json.dumps(expected, cls=NinjaJSONEncoder))
    items = {item["name"]: item for item in got}
    # Shares where the form has them, none where it has not, a host, areas in order.
    iks = items["Innlandet revisjon IKS"]
    assert [p["ownership_share"] for p in iks["participants"]] != [None] * 3
    assert iks["host"] == orgs["3403"].pk
    as_shares = [p["ownership_share"] for p in items["Snøbrøyt Innlandet AS"]["participants"]]
    assert as_shares == [None, None, None]
    assert items["Kulturbrua"]["areas"] == ["audit", "culture"]
    assert items["Kulturbrua"]["url"].startswith("http://testserver/samarbeid/")


@with_register
def test_municipality_api_items_are_the_lists(client, orgs):
    municipality = client.get("/api/v1/municipalities/3412/cooperations").json()
    listed = {i["id"]: i for i in client.get("/api/v1/cooperations?page_size=100").json()["items"]}
    assert municipality["count"] == len(municipality["items"]) >= 3
    for item in municipality["items"]:
        assert item == listed[item["id"]]


def test_edit_forms_do_not_read_what_only_the_detail_page_shows(client, editor, register):  # noqa: F811
    client.force_login(editor)
    coop = register["ipr"]
    for name in ("cooperations:participants-edit", "cooperations:cooperation-edit"):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name, args=[coop.pk]))
        assert response.status_code == 200, name
        tables = " ".join(q["sql"] for q in captured.captured_queries)
        for table in ("cooperations_body", "cooperations_agreementversion", "cooperations_doc"):
            assert f'FROM "{table}' not in tables, (name, table)
    # The participants form still shows each participant's share.
    html = client.get(reverse("cooperations:participants-edit", args=[coop.pk])).content
    assert b'value="60' in html and b'value="40' in html


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, roles (2), municipality, organisation, then the page's three (every
        # participation as a narrow row, the page's rows, their areas)
        ("/kommuner/3403/samarbeid/", 8),
        ("/kommuner/3403/samarbeid/?group=form", 8),
        # ... the organisations, the count, the page, its participants and its areas
        ("/api/v1/municipalities/3403/cooperations", 9),
        ("/api/v1/cooperations", 7),
    ],
)
def test_overview_and_api_pages_stay_within_their_queries(
    client,
    editor,  # noqa: F811
    register,  # noqa: F811
    django_assert_max_num_queries,
    url,
    queries,
):
    client.force_login(editor)
    with django_assert_max_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert b"Innlandet revisjon IKS" in response.content


def test_edit_forms_stay_within_their_queries(
    client,
    editor,  # noqa: F811
    register,  # noqa: F811
    django_assert_max_num_queries,
):
    client.force_login(editor)
    for name in ("cooperations:participants-edit", "cooperations:cooperation-edit"):
        with django_assert_max_num_queries(6):
            response = client.get(reverse(name, args=[register["iks"].pk]))
        assert response.status_code == 200, name
    # The host is shown by its municipality's number (read with the cooperation).
    html = response.content.decode()
    assert re.search(r'name="host"[^>]*value="3403"|value="3403"[^>]*name="host"', html)


#: The list page's rows as cooperation_list.html rendered them before ``CooperationRows``.
LIST_ROWS_TEMPLATE = (
    "{% load i18n ks_components %}{% for c in cooperations %}\n"
    '    <tr><td><a class="ds-link" href="{{ c.get_absolute_url }}">{{ c.name }}</a></td>'
    "<td>{{ c.get_legal_form_display }}</td>\n"
    "    <td>{% for a in c.area_links.all %}{{ a.get_area_display }}{% if not forloop.last %}, "
    "{% endif %}{% endfor %}</td>\n"
    "    <td>{% with n=c.active_participants|length %}{{ n }}{% endwith %}</td>"
    "<td>{% status_tag c %}</td></tr>\n  {% endfor %}"
)


@with_register
@pytest.mark.parametrize("language", ["nb", "en"])
def test_list_rows_are_what_the_template_rendered(orgs, language):
    from decimal import Decimal

    from kraftsenter.cooperations.rows import CooperationRows
    from kraftsenter.cooperations.services import ParticipantInput, cooperation_update
    from kraftsenter.core.light import light

    from .test_overviews import create

    odd = create(
        orgs,
        "Vann & «avløp» <IKS>",
        "iks",
        {"3403": "50", "3412": "25", "iks": "25"},
        ["utilities", "health", "audit"],
    )
    # A withdrawn participant is not counted; the areas are listed in code order.
    cooperation_update(
        actor="t",
        cooperation=odd,
        expected_version=odd.version,
        participants=[
            ParticipantInput(orgs["3403"], Decimal("60")),
            ParticipantInput(orgs["3412"], Decimal("40")),
        ],
    )
    with translation.override(language):
        old = Template(LIST_ROWS_TEMPLATE).render(
            Context({"cooperations": list(selectors.cooperation_list())})
        )
        new = CooperationRows()(light(selectors.cooperation_rows(), *CooperationRows.columns))
    assert str(new) == old
    assert "Vann &amp; «avløp» &lt;IKS&gt;" in old and old.count("<tr>") >= 5
