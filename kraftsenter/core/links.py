"""Addresses for the rows of a list: ``reverse`` once, then a string replacement per row.

A ``reverse`` per row was a tenth of a long list's rendering (issue 14). ``url_maker(name)``
reverses the pattern once per process, script prefix and URL configuration with a marker in
place of the row's key, and gives ``url(key)``, which puts the key where the marker was.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

#: Digits, so that ``<int:…>``, ``<str:…>`` and ``<slug:…>`` converters all take it; no real
#: id, number or slug is this.
MARK = "987654321987"


def url_maker(name: str) -> Callable[[object], str]:
    """``url(key)`` for the URL pattern ``name`` with one argument."""
    return _maker(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _maker(name: str, _prefix: str, _urlconf: object) -> Callable[[object], str]:
    pattern = reverse(name, args=[MARK])
    start = pattern.index(MARK)
    head, tail = pattern[:start], pattern[start + len(MARK) :]
    return lambda key: f"{head}{key}{tail}"


def with_urls(items: Iterable[Any], url: Callable[[Any], str], key: str = "pk") -> list[Any]:
    """The items as a list, each with ``url``: ``url(item.<key>)``."""
    rows = list(items)
    for item in rows:
        item.url = url(getattr(item, key))
    return rows
