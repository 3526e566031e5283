"""core.markup writes what Django's own escaping helpers write, for every kind of value."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from kraftsenter.core import markup
from kraftsenter.core.tests.extremes import SAMPLE

VALUES = [
    SAMPLE,
    "<b>&amp;\"'",
    mark_safe("<em>trygt</em>"),  # noqa: S308 - safe text stays as it is
    gettext_lazy("no data"),
    33817,
    -1.5,
    Decimal("12.50"),
    dt.date(2026, 12, 1),
    None,
    "",
]


@pytest.mark.parametrize("value", VALUES)
def test_format_html_escapes_as_django_does(value):
    with override("nb"):
        ours = markup.format_html('<a title="{}">{}</a>', value, value)
        theirs = django_html.format_html('<a title="{}">{}</a>', value, value)
        assert ours == theirs and isinstance(ours, SafeString)
        named = markup.format_html("{a}<b>{b}</b>{}", value, a=value, b="<x>")
        assert named == django_html.format_html("{a}<b>{b}</b>{}", value, a=value, b="<x>")


def test_format_html_join_joins_as_django_does():
    rows = [(value, i) for i, value in enumerate(VALUES)]
    for sep in ("", ", ", "<br>", mark_safe("<br>")):  # noqa: S308
        ours = markup.format_html_join(sep, "<li>{} ({})</li>", rows)
        assert ours == django_html.format_html_join(sep, "<li>{} ({})</li>", rows)
        assert isinstance(ours, SafeString)
    assert markup.format_html_join("", "{}", iter(())) == ""


@pytest.mark.parametrize("language", ["nb", "en", "se"])
def test_whole_writes_numbers_as_localize_does(language, settings):
    from django.utils.formats import localize

    for grouping in (False, True):
        settings.USE_THOUSAND_SEPARATOR = grouping
        with override(language):
            for value in (0, 7, -7, 999, -999, 1000, -1000, 28789, 10**7, Decimal("12.5"), 2.5):
                assert markup.whole(value) == str(localize(value)), (language, grouping, value)
