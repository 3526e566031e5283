"""Template helpers: stored Markdown HTML, query strings, history values."""

from __future__ import annotations

import json

from django import template
from django.utils.safestring import SafeString

from kraftsenter.core.form_markup import form_fields as _form_fields
from kraftsenter.core.markdown import sanitise

register = template.Library()


@register.filter
def stored_html(html: str) -> SafeString:
    """HTML a service stored when it saved a Markdown text (``<field>_html``), sanitised again
    on the way out (cheap; Markdown is never rendered per view, see ``core.markdown``)."""
    return sanitise(html or "")


@register.filter
def history_value(value) -> str:
    """A before/after value of a change record, readable for people."""
    if value is None or value == "":
        return "–"
    if isinstance(value, bool):
        return "ja" if value else "nei"
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (for pagination links)."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        params[key] = value
    return params.urlencode()


@register.simple_tag
def form_fields(form) -> SafeString:
    """A form's fields with labels, help texts and errors (``core.form_markup``)."""
    return _form_fields(form) if form else SafeString("\n\n")  # as the loops wrote nothing
