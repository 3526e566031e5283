"""Test support for the bounds (docs/bounds.md): the extreme valid value of every field, and a
crawler that opens every page linked from a set of pages.

A register's ``tests/test_bounds.py`` builds its records through its services, stores the
extreme values with :func:`store_extremes` (each record still passes ``full_clean``, so the
values are ones a user could have saved) and asks :func:`crawl` to open its lists, detail
pages, CSV downloads, forms and every page they link to: none may answer 500.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core import validators as dj
from django.db import models

from kraftsenter.core import bounds

#: Text with what breaks pages and files when it is handled carelessly: markup, entities,
#: quotes, separators, Norwegian and Sami letters, Markdown.
SAMPLE = "Åse & «Čáhcesuolu» <b>x</b> 'a' \"b\"; c, d | *e* [f](g) ŋ "

#: The largest value each kind of integer column holds in every database we support.
INTEGER_CAPS = {
    "PositiveSmallIntegerField": 32_767,
    "SmallIntegerField": 32_767,
    "PositiveIntegerField": 2_147_483_647,
    "IntegerField": 2_147_483_647,
}
#: Fields no user sets: bookkeeping of every record.
BOOKKEEPING = {"id", "version", "created_at", "updated_at", "archived_at"}
#: Validators that only bound a value (any other validator checks a format: left alone).
BOUNDING = (
    dj.MaxLengthValidator,
    dj.MinLengthValidator,
    dj.MaxValueValidator,
    dj.MinValueValidator,
    dj.DecimalValidator,
    dj.URLValidator,
    dj.EmailValidator,
    bounds.DateRangeValidator,
    dj.ProhibitNullCharactersValidator,
)


def long_text(length: int) -> str:
    return (SAMPLE * (length // len(SAMPLE) + 1))[:length]


def long_url(length: int) -> str:
    start = "https://www.example.no/"
    return start + "a" * (length - len(start))


def long_email(length: int) -> str:
    """A valid address of exactly ``length`` characters (local part 64, labels ≤ 63)."""
    local = "k" * 64
    body = length - len(local) - len("@") - len(".no")
    labels = []
    while body > 0:
        size = min(63, body)
        if body - size == 1:  # a dot with no label after it: shorten this label
            size -= 1
        labels.append("d" * size)
        body -= size
        body -= 1 if body > 0 else 0  # the dot before the next label
    address = f"{local}@{'.'.join(labels)}.no"
    assert len(address) == length, (len(address), length)
    return address


def _limit(field: models.Field, kind: type) -> Any:
    values = [v.limit_value for v in field.validators if isinstance(v, kind)]
    return values[0] if values else None


def _bounding_only(field: models.Field) -> bool:
    return all(isinstance(v, BOUNDING) for v in field.validators)


def extreme_value(field: models.Field, *, high: bool) -> Any:
    """The extreme valid value of one field (the earliest or latest date, the longest text,
    the smallest or largest number), or ``None`` for a field that has none to test."""
    if (
        field.name in BOOKKEEPING
        or not field.editable
        or field.is_relation
        or field.choices
        or not _bounding_only(field)
    ):
        return None
    if isinstance(field, models.DateTimeField):
        return None
    if isinstance(field, models.DateField):
        return bounds.LATEST_DATE if high else bounds.EARLIEST_DATE
    if isinstance(field, models.SlugField):
        return None  # a record's address: unique, made by the service
    if isinstance(field, models.EmailField):
        return long_email(field.max_length or bounds.EMAIL_LENGTH)
    if isinstance(field, models.URLField):
        return long_url(field.max_length or 200)
    if isinstance(field, models.CharField | models.TextField):
        return long_text(field.max_length) if field.max_length else None
    if isinstance(field, models.DecimalField):
        most = Decimal(10) ** (field.max_digits - field.decimal_places) - Decimal(1).scaleb(
            -field.decimal_places
        )
        top = _limit(field, dj.MaxValueValidator)
        bottom = _limit(field, dj.MinValueValidator)
        if high:
            return min(Decimal(top), most) if top is not None else most
        return Decimal(bottom) if bottom is not None else -most
    if isinstance(field, models.IntegerField):
        cap = INTEGER_CAPS.get(field.get_internal_type())
        top = _limit(field, dj.MaxValueValidator)
        bottom = _limit(field, dj.MinValueValidator)
        if high:
            return min(v for v in (top, cap) if v is not None) if top or cap else None
        return bottom if bottom is not None else (-cap if cap else None)
    return None


def extreme_values(model: type[models.Model], *, high: bool) -> dict[str, Any]:
    values = {}
    for field in model._meta.concrete_fields:
        value = extreme_value(field, high=high)
        if value is not None:
            values[field.name] = value
    return values


def store_extremes(obj: models.Model, *, high: bool, **overrides: Any) -> models.Model:
    """Give ``obj`` the extreme value of every field (``overrides`` where a rule of the record
    ties two fields together), check that it is still valid, and store it as it is (the
    services are not asked: what is tested is that a stored row never breaks a page)."""
    values = {**extreme_values(type(obj), high=high), **overrides}
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    type(obj)._default_manager.filter(pk=obj.pk).update(**values)
    obj.refresh_from_db()
    return obj


LINK = re.compile(r'href="(/[^"#]*)')
#: Addresses the crawler leaves alone: accounts, language switch, static files, the admin,
#: and the API's browsable docs.
SKIP = ("/konto/", "/sprak/", "/static/", "/admin/", "/api/v1/docs", "/media/")


def crawl(client: Any, seeds: Iterable[str], *, limit: int = 800) -> dict[str, int]:
    """Open every page reachable from ``seeds`` through links (each path once, and its CSV
    download), and return {address: status}. Fails on the first 5xx, naming the page."""
    queue = list(dict.fromkeys(seeds))
    seen: dict[str, int] = {}
    while queue and len(seen) < limit:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        status = response.status_code
        seen[url] = status
        assert status < 500, f"{url} answered {status}"
        content_type = response.get("Content-Type", "")
        if status != 200 or "html" not in content_type:
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)  # a CSV is written while it streams
            continue
        for link in LINK.findall(response.content.decode()):
            link = link.replace("&amp;", "&")
            path, _, query = link.partition("?")
            if path.startswith(SKIP):
                continue
            candidates = [path]
            if "format=csv" in query:
                candidates.append(f"{path}?{query}")
            queue.extend(c for c in candidates if c not in seen)
    assert len(seen) < limit, f"more than {limit} pages: raise the limit"
    return seen
