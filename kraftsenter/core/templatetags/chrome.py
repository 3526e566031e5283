"""The page chrome (head assets, main menu, language switch, footer), rendered once.

These parts of ``base.html`` are the same on every page for a given language: only the
address of the page the reader is on goes into a few links (the language switch's ``next``,
the accessibility statement's ``side``). Rendering them through the template engine on every
request cost about 1.4 ms of each page's 1.8 ms layout (bench/split.py), so each part is
rendered once per process, language and script prefix, with a marker where the address goes,
and the marker is replaced per request. Nothing that depends on the user or on data is in
these parts. The account menu is rendered the same way, once for a visitor and once for a
logged-in user, with markers for the user's name and the CSRF token (issue 14: 0.3 ms of every
logged-in page as a template).

With ``DEBUG`` on nothing is kept, so that template edits show up at once in development.
"""

from __future__ import annotations

import threading
from urllib.parse import quote

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import HttpRequest
from django.template.loader import render_to_string
from django.urls import get_script_prefix
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from kraftsenter.core.markup import format_html

register = template.Library()

#: Markers a quoted address can never contain (``quote`` turns NUL into ``%00``).
PATH_MARK = "\x00path\x00"
FULL_PATH_MARK = "\x00full-path\x00"
NAME_MARK = "\x00name\x00"
CSRF_MARK = "\x00csrf\x00"

_rendered: dict[tuple[str, str, str, bool], str] = {}
_lock = threading.Lock()


def _render(template_name: str, authenticated: bool = False) -> str:
    key = (template_name, get_language() or "", get_script_prefix(), authenticated)
    html = _rendered.get(key)
    if html is None:
        context = {
            "LANGUAGE_CODE": key[1],
            "chrome_path": mark_safe(PATH_MARK),  # noqa: S308 - a constant marker
            "chrome_full_path": mark_safe(FULL_PATH_MARK),  # noqa: S308 - a constant marker
            "authenticated": authenticated,
            "account_name": mark_safe(NAME_MARK),  # noqa: S308 - a constant marker
            "csrf_input": mark_safe(CSRF_MARK),  # noqa: S308 - a constant marker
        }
        html = render_to_string(template_name, context)
        if not settings.DEBUG:
            with _lock:
                _rendered[key] = html
    return html


def _quoted(value: str) -> str:
    """What ``{{ value|urlencode }}`` writes in an attribute."""
    return str(escape(quote(value, safe="/")))


@register.simple_tag(takes_context=True)
def chrome(context: template.Context, template_name: str) -> SafeString:
    """Render ``template_name`` (no request, no user) once; put this page's address in."""
    html = _render(template_name)
    request: HttpRequest | None = context.get("request")
    path = request.path if request is not None else "/"
    full_path = request.get_full_path() if request is not None else "/"
    if PATH_MARK in html:
        html = html.replace(PATH_MARK, _quoted(path))
    if FULL_PATH_MARK in html:
        html = html.replace(FULL_PATH_MARK, _quoted(full_path))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, address escaped


@register.simple_tag(takes_context=True)
def chrome_account(context: template.Context) -> SafeString:
    """The account menu (the user's name, the profile link, the log-out form) or, for a
    visitor, the login link back to this page: ``includes/_chrome_account.html``."""
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return chrome(context, "includes/_chrome_account.html")
    html = _render("includes/_chrome_account.html", authenticated=True)
    html = html.replace(NAME_MARK, str(escape(user.get_full_name() or user.get_username())))
    # As {% csrf_token %} writes it.
    token = context.get("csrf_token")
    csrf: str
    if token and token != "NOTPROVIDED":  # noqa: S105 - Django's marker, not a secret
        csrf = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)
    else:
        csrf = ""
    return mark_safe(html.replace(CSRF_MARK, csrf))  # noqa: S308 - rendered, name escaped


@receiver(setting_changed)
def forget(**kwargs: object) -> None:
    """Drop what was kept: a changed setting (tests) may change URLs, static or languages."""
    with _lock:
        _rendered.clear()
