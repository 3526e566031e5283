"""``{% url %}`` (core/templatetags/cached_url.py) writes what Django's own tag writes, and
asks ``reverse`` once per address."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, Template
from django.test import RequestFactory
from django.urls import NoReverseMatch, set_script_prefix

from kraftsenter.core.templatetags import cached_url

CASES = [
    ("{% url 'places:municipality-list' %}", {}),
    ("{% url 'places:municipality-detail' '3403' %}", {}),
    ("{% url 'places:municipality-detail' number %}", {"number": "3413"}),
    ("{% url 'places:municipality-detail' number=number %}", {"number": "3401"}),
    ("{% url name 7 %}", {"name": "actors:organisation-detail"}),
    ("{% url 'agreements:county-dashboard' c %}", {"c": 34}),
    ("{% url 'places:municipality-detail' n as link %}[{{ link }}]", {"n": "3403"}),
    ("{% url 'no-such-page' as link %}[{{ link }}]", {}),
    ("{% url 'places:municipality-detail' 'a&b' %}", {}),  # escaped as Django escapes it
]


def _django(source: str) -> Template:
    """The same template through Django's own tag (no builtins of ours)."""
    return Engine(libraries={}, builtins=[]).from_string(source)


def _ours(source: str) -> Template:
    return Engine(builtins=["kraftsenter.core.templatetags.cached_url"]).from_string(source)


@pytest.mark.parametrize(("source", "values"), CASES)
def test_writes_what_djangos_url_tag_writes(source, values):
    request = RequestFactory().get("/")
    for _ in range(2):  # the second time from memory
        expected = _django(source).render(Context({**values, "request": request}))
        assert _ours(source).render(Context({**values, "request": request})) == expected


def test_a_missing_page_is_an_error_as_before():
    with pytest.raises(NoReverseMatch):
        _ours("{% url 'no-such-page' %}").render(Context({}))


def test_each_address_is_reversed_once(monkeypatch):
    calls = []
    real = cached_url.reverse

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(cached_url, "reverse", counted)
    cached_url._reverse.cache_clear()
    template = _ours("{% for n in numbers %}{% url 'places:municipality-detail' n %} {% endfor %}")
    html = template.render(Context({"numbers": ["3403", "3413", "3403", "3403"]}))
    assert html.split() == ["/kommuner/3403/", "/kommuner/3413/", *["/kommuner/3403/"] * 2]
    assert len(calls) == 2


def test_another_script_prefix_gets_its_own_addresses():
    template = _ours("{% url 'places:municipality-detail' '3403' %}")
    try:
        set_script_prefix("/kraftsenter/")
        assert template.render(Context({})) == "/kraftsenter/kommuner/3403/"
    finally:
        set_script_prefix("/")
    assert template.render(Context({})) == "/kommuner/3403/"


def test_an_object_is_reversed_every_time(monkeypatch):
    """Its text can change (a renamed record), so it is never remembered."""

    class Key:
        text = "3403"

        def __str__(self) -> str:
            return self.text

    key = Key()
    template = _ours("{% url 'places:municipality-detail' key %}")
    assert template.render(Context({"key": key})) == "/kommuner/3403/"
    key.text = "3413"
    assert template.render(Context({"key": key})) == "/kommuner/3413/"


def test_the_site_uses_it():
    from django.template import engines

    tags = engines["django"].engine.template_builtins[-1].tags  # type: ignore[attr-defined]
    assert tags["url"] is cached_url.url
