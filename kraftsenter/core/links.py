"""Addresses for the rows of a list: ``reverse`` once, then a string replacement per row.

A ``reverse`` per row was a tenth of a long list's rendering (issue 14). ``url_maker(name)``
reverses the pattern once per process, script prefix and URL configuration with a marker in
place of the row's key, and gives ``url(key)``, which puts the key where the marker was;
``url_maker(name, keys=2)`` does the same for a pattern of two keys (``url(first, second)``);
``fixed_url(name)`` is a pattern without keys, reversed once (a form's combobox per row).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable
from typing import Any

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse

#: Digits, so that ``<int:…>``, ``<str:…>`` and ``<slug:…>`` converters all take it; no real
#: id, number or slug is this (nor the second marker, one less).
MARK = "987654321987"
SECOND_MARK = "987654321986"


def url_maker(name: str, keys: int = 1) -> Callable[..., str]:
    """``url(key)`` for the URL pattern ``name`` with one argument; ``url(first, second)``
    with ``keys=2``."""
    return _maker(name, keys, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _maker(name: str, keys: int, _prefix: str, _urlconf: object) -> Callable[..., str]:
    if keys == 1:
        pattern = reverse(name, args=[MARK])
        start = pattern.index(MARK)
        head, tail = pattern[:start], pattern[start + len(MARK) :]
        return lambda key: f"{head}{key}{tail}"
    if keys != 2:
        raise ValueError(f"url_maker({name!r}): one or two keys, not {keys}")
    pattern = reverse(name, args=[MARK, SECOND_MARK])
    first = pattern.index(MARK)
    second = pattern.index(SECOND_MARK, first + len(MARK))
    head, middle = pattern[:first], pattern[first + len(MARK) : second]
    tail = pattern[second + len(SECOND_MARK) :]
    return lambda key, other: f"{head}{key}{middle}{other}{tail}"


def fixed_url(name: str) -> str:
    """``reverse(name)`` for a pattern without arguments, reversed once per process, script
    prefix and URL configuration (a participants form reversed its combobox's source once per
    row, 25 µs each)."""
    return _fixed(name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)


@functools.cache
def _fixed(name: str, _prefix: str, _urlconf: object) -> str:
    return reverse(name)


def with_urls(items: Iterable[Any], url: Callable[[Any], str], key: str = "pk") -> list[Any]:
    """The items as a list, each with ``url``: ``url(item.<key>)``."""
    rows = list(items)
    for item in rows:
        item.url = url(getattr(item, key))
    return rows
