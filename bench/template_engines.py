"""Django templates or Jinja2 for the hottest logged-in pages? Same context, both engines.

Issue 14 asks, once the per-row overhead is gone, whether Django's template engine is still
the cost and whether Jinja2 (Django's built-in backend, ``django.template.backends.jinja2``)
would pay for a conversion. This script renders the row-heavy part of the two pages that
spent most time in templates after the fixes — a municipality's cooperations (one page of
100 rows, ``cooperations/municipality_overview.html``) and a region's coverage matrix and
network (``cooperations/region_coverage.html``) — with the same context, built once from the
bench database by the pages' own selectors, through both backends' ``from_string(...).render``
(so both pay the backend's context handling, CSRF and request processors). The Jinja2
templates are line-for-line translations of the Django ones (``{% translate %}`` → ``_()``,
with ``%`` written ``%%`` as the template tag does; ``|default`` → ``or``; the addresses are
precomputed by the selectors and views, as on the pages); the script checks that both engines
produce the same HTML (whitespace aside) before it times anything.

It also times the whole page as served (``base.html`` included) with the Django engine, so
that the table part can be read as a share of the page.

Usage::

    .venv/bin/python bench/template_engines.py [--repeat N]

Needs the bench database (``bench/run.py`` builds it). Prints the median per render in ms.
"""

# ruff: noqa: E501 - the templates below are copies of one-line-per-row page templates

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import BENCH_EDITOR, DB_PATH, FACTS_PATH, bench_env  # noqa: E402

# --- the templates: the row-heavy part of each page, in both dialects -------------------------

OVERVIEW_DJANGO = """{% load i18n %}<table class="ds-table" data-border="true" data-grouping="{{ overview.grouping }}">
  <caption>{% blocktranslate with name=organisation.name %}Cooperations of {{ name }} by area{% endblocktranslate %}</caption>
  <thead><tr><th scope="col">{% translate "Cooperation" %}</th><th scope="col">{% translate "Form" %}</th><th scope="col">{% translate "Status" %}</th><th scope="col" class="ks-num">{% translate "Ownership share (%)" %}</th><th scope="col" class="ks-num">{% translate "Liability share (%)" %}</th><th scope="col">{% translate "Host or office municipality" %}</th></tr></thead>
  {% for group in overview.groups %}<tbody>
    <tr class="ks-group"><th scope="rowgroup" colspan="6">{{ group.label }} <span class="ks-muted">({{ group.total }})</span></th></tr>
    {% for p in group.participations %}<tr>
      <th scope="row"><a class="ds-link" href="{{ p.url }}">{{ p.cooperation.name }}</a></th>
      <td>{{ p.legal_form_label }}</td>
      <td>{{ p.status_label }}</td>
      <td class="ks-num">{{ p.ownership_display|default:"–" }}</td>
      <td class="ks-num">{{ p.liability_display|default:"–" }}</td>
      <td>{% if p.host %}{{ p.host.name }}{% else %}–{% endif %}</td>
    </tr>{% endfor %}
  </tbody>{% endfor %}
</table>"""

OVERVIEW_JINJA = """<table class="ds-table" data-border="true" data-grouping="{{ overview.grouping }}">
  <caption>{{ _("Cooperations of %(name)s by area", name=organisation.name) }}</caption>
  <thead><tr><th scope="col">{{ _("Cooperation") }}</th><th scope="col">{{ _("Form") }}</th><th scope="col">{{ _("Status") }}</th><th scope="col" class="ks-num">{{ _("Ownership share (%%)") }}</th><th scope="col" class="ks-num">{{ _("Liability share (%%)") }}</th><th scope="col">{{ _("Host or office municipality") }}</th></tr></thead>
  {% for group in overview.groups %}<tbody>
    <tr class="ks-group"><th scope="rowgroup" colspan="6">{{ group.label }} <span class="ks-muted">({{ group.total }})</span></th></tr>
    {% for p in group.participations %}<tr>
      <th scope="row"><a class="ds-link" href="{{ p.url }}">{{ p.cooperation.name }}</a></th>
      <td>{{ p.legal_form_label }}</td>
      <td>{{ p.status_label }}</td>
      <td class="ks-num">{{ p.ownership_display or "–" }}</td>
      <td class="ks-num">{{ p.liability_display or "–" }}</td>
      <td>{% if p.host %}{{ p.host.name }}{% else %}–{% endif %}</td>
    </tr>{% endfor %}
  </tbody>{% endfor %}
</table>"""

COVERAGE_DJANGO = """{% load i18n %}<table class="ds-table ks-cov" data-border="true">
  <thead><tr>
    <th scope="col">{% translate "Area" %}</th>
    {% for m, url, covered in columns %}<th scope="col"><a class="ds-link" href="{{ url }}">{{ m.name_nb }}</a>{% if forloop.first %} <span class="ks-muted">({% translate "centre" %})</span>{% endif %}</th>{% endfor %}
    <th scope="col" class="ks-num">{% translate "Municipalities without" %}</th>
  </tr></thead>
  <tbody>{% for row in coverage.rows %}<tr>
    <th scope="row">{{ row.label }}</th>
    {% for cell in row.cells %}{% if cell.items %}<td class="ks-cov__cell"><ul class="ks-cov__list">{% for item in cell.shown %}<li><a class="ds-link" href="{{ item.url }}">{{ item.name }}</a> <span class="ks-muted">({{ item.short_form }}{% if item.planned %}, {% translate "planned" %}{% endif %})</span></li>{% endfor %}{% if cell.more %}<li><a class="ds-link" href="{{ list_url }}?municipality={{ cell.municipality.number }}&amp;area={{ row.area }}">{% blocktranslate count counter=cell.more %}and {{ counter }} more{% plural %}and {{ counter }} more{% endblocktranslate %}</a></li>{% endif %}</ul></td>{% else %}<td class="ks-cov__cell ks-cov__gap"><span aria-hidden="true">–</span><span class="ds-sr-only">{% translate "no cooperation" %}</span></td>{% endif %}{% endfor %}
    <td class="ks-num{% if row.uncovered %} ks-cov__count--gap{% endif %}">{{ row.uncovered }}</td>
  </tr>{% endfor %}</tbody>
</table>
<table class="ds-table" data-border="true">
  <tbody>{% for edge in network.edges %}<tr><td>{{ edge.a.name_nb }}</td><td>{{ edge.b.name_nb }}</td><td class="ks-num">{{ edge.weight }}</td><td>{{ edge.shown_names|join:", " }}{% if edge.more_names %} {% blocktranslate count counter=edge.more_names %}and {{ counter }} more{% plural %}and {{ counter }} more{% endblocktranslate %}{% endif %}</td></tr>{% endfor %}</tbody>
</table>"""

COVERAGE_JINJA = """<table class="ds-table ks-cov" data-border="true">
  <thead><tr>
    <th scope="col">{{ _("Area") }}</th>
    {% for m, url, covered in columns %}<th scope="col"><a class="ds-link" href="{{ url }}">{{ m.name_nb }}</a>{% if loop.first %} <span class="ks-muted">({{ _("centre") }})</span>{% endif %}</th>{% endfor %}
    <th scope="col" class="ks-num">{{ _("Municipalities without") }}</th>
  </tr></thead>
  <tbody>{% for row in coverage.rows %}<tr>
    <th scope="row">{{ row.label }}</th>
    {% for cell in row.cells %}{% if cell.items %}<td class="ks-cov__cell"><ul class="ks-cov__list">{% for item in cell.shown %}<li><a class="ds-link" href="{{ item.url }}">{{ item.name }}</a> <span class="ks-muted">({{ item.short_form }}{% if item.planned %}, {{ _("planned") }}{% endif %})</span></li>{% endfor %}{% if cell.more %}<li><a class="ds-link" href="{{ list_url }}?municipality={{ cell.municipality.number }}&amp;area={{ row.area }}">{{ ngettext("and %(counter)s more", "and %(counter)s more", cell.more, counter=cell.more) }}</a></li>{% endif %}</ul></td>{% else %}<td class="ks-cov__cell ks-cov__gap"><span aria-hidden="true">–</span><span class="ds-sr-only">{{ _("no cooperation") }}</span></td>{% endif %}{% endfor %}
    <td class="ks-num{% if row.uncovered %} ks-cov__count--gap{% endif %}">{{ row.uncovered }}</td>
  </tr>{% endfor %}</tbody>
</table>
<table class="ds-table" data-border="true">
  <tbody>{% for edge in network.edges %}<tr><td>{{ edge.a.name_nb }}</td><td>{{ edge.b.name_nb }}</td><td class="ks-num">{{ edge.weight }}</td><td>{{ edge.shown_names|join(", ") }}{% if edge.more_names %} {{ ngettext("and %(counter)s more", "and %(counter)s more", edge.more_names, counter=edge.more_names) }}{% endif %}</td></tr>{% endfor %}</tbody>
</table>"""


def environment(**options: Any) -> Any:
    """The Jinja2 environment: Django's ``gettext``/``ngettext`` (new style) and ``url()``."""
    import jinja2
    from django.urls import reverse
    from django.utils import translation

    env = jinja2.Environment(**options)  # noqa: S701 - the backend sets autoescape
    env.globals["url"] = lambda name, *a: reverse(name, args=a)
    env.install_gettext_callables(  # type: ignore[attr-defined]
        translation.gettext, translation.ngettext, newstyle=True
    )
    return env


def _normalise(html: str) -> str:
    return re.sub(r"\s+", " ", html).replace("> <", "><").strip()


def _median_ms(fn: Callable[[], Any], repeat: int) -> float:
    fn()  # warm-up: compiles, fills the translation and URL caches
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples) * 1000


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args(argv)
    if not DB_PATH.exists() or not FACTS_PATH.exists():
        print("No bench database: run bench/run.py first (it builds var/bench/).")
        return 2
    facts = json.loads(FACTS_PATH.read_text())
    env = bench_env()
    env["KRAFTSENTER_PAGE_CACHE"] = "0"
    os.environ.update(env)

    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.template import engines
    from django.template.backends.jinja2 import Jinja2
    from django.test import Client, RequestFactory
    from django.urls import reverse
    from django.utils import translation

    from kraftsenter.cooperations import overviews
    from kraftsenter.places import selectors as places

    translation.activate("nb")
    user = get_user_model().objects.get(username=BENCH_EDITOR[0])
    request = RequestFactory().get("/")
    request.user = user

    jinja = Jinja2(
        {
            "NAME": "jinja2",
            "DIRS": [],
            "APP_DIRS": False,
            "OPTIONS": {
                "environment": "bench.template_engines.environment",
                "extensions": ["jinja2.ext.i18n"],
            },
        }
    )
    dj = engines["django"]

    # The contexts, built once by the pages' own selectors.
    municipality = places.municipality_get(number="3403")
    organisation = overviews.municipal_organisation(user=user, municipality=municipality)
    page = overviews.organisation_overview_page(user=user, organisation=organisation)
    overview_context = {"overview": page, "organisation": organisation}
    region = places.region_get(slug=facts["region_slug"])
    coverage = overviews.region_coverage(user=user, region=region)
    network = overviews.region_network(user=user, region=region)
    columns = [
        (m, reverse("cooperations:municipality-cooperations", args=[m.number]), count)
        for m, count in zip(coverage.members, coverage.covered_counts, strict=True)
    ]
    coverage_context = {
        "coverage": coverage,
        "network": network,
        "columns": columns,
        "list_url": reverse("cooperations:cooperation-list"),
    }

    cases = [
        (
            "municipality-cooperations (100 rows)",
            OVERVIEW_DJANGO,
            OVERVIEW_JINJA,
            overview_context,
            "/kommuner/3403/samarbeid/",
        ),
        (
            f"region-coverage ({len(coverage.rows)}×{len(coverage.members)} + "
            f"{len(network.edges)} pairs)",
            COVERAGE_DJANGO,
            COVERAGE_JINJA,
            coverage_context,
            f"/regioner/{facts['region_slug']}/samarbeid/",
        ),
    ]
    client = Client()
    client.force_login(user)
    print(f"Median of {args.repeat} renders, ms (Django {django.get_version()}, Jinja2 ", end="")
    import jinja2

    print(f"{jinja2.__version__})\n")
    header = (
        f"{'template':<40} {'Django':>8} {'Jinja2':>8} {'ratio':>6} {'page':>8} {'rows/page':>9}"
    )
    print(header)
    print("-" * len(header))
    for name, dj_source, jinja_source, context, path in cases:
        dj_template = dj.from_string(dj_source)
        jinja_template = jinja.from_string(jinja_source)
        with translation.override("nb"):
            a = _normalise(dj_template.render(context, request))
            b = _normalise(jinja_template.render(context, request))
        if a != b:
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                if x != y:
                    print(
                        f"{name}: the engines differ at {i}:\n  {a[i - 80 : i + 80]}\n  {b[i - 80 : i + 80]}"
                    )
                    break
            else:
                print(f"{name}: the engines differ in length ({len(a)} / {len(b)})")
            return 1

        def render_django(t: Any = dj_template, c: dict[str, Any] = context) -> str:
            return t.render(c, request)

        def render_jinja(t: Any = jinja_template, c: dict[str, Any] = context) -> str:
            return t.render(c, request)

        def serve(p: str = path) -> Any:
            return client.get(p)

        with translation.override("nb"):
            t_dj = _median_ms(render_django, args.repeat)
            t_jinja = _median_ms(render_jinja, args.repeat)
        t_page = _median_ms(serve, max(5, args.repeat // 5))
        print(
            f"{name:<40} {t_dj:8.2f} {t_jinja:8.2f} {t_dj / t_jinja:5.1f}x {t_page:8.1f} "
            f"{t_dj / t_page:8.0%}"
        )
    print(
        "\nDjango, Jinja2: the table part alone; page: the whole request as served (Django "
        "templates,\nbase.html, middleware, selectors, SQL); rows/page: the Django table's share "
        "of the page."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
