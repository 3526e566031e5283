"""``{% url %}`` with the address remembered: a built-in library (``TEMPLATES`` ``builtins``)
whose ``url`` tag replaces Django's in every template.

Django's tag calls ``reverse`` each time it renders, about 25 µs; a dashboard listing fifteen
counties with two links each did it 35 times a request. This tag asks ``reverse`` once per
view name, arguments, namespace, script prefix and URL configuration in a process and then
answers from memory. Only plain arguments (text and whole numbers) are remembered: an object
is turned into text by ``reverse`` and that text may change, so those go to ``reverse`` every
time, as does everything that fails (the same error each time). The markup is Django's own
(the same escaping, ``as`` variable and error handling).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django import template
from django.conf import settings
from django.template.defaulttags import URLNode
from django.template.defaulttags import url as django_url
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.html import conditional_escape

register = template.Library()

#: Distinct addresses kept per process (a long list's row links included); the oldest go.
MAX_ADDRESSES = 20_000


@lru_cache(maxsize=MAX_ADDRESSES)
def _reverse(
    view_name: str,
    args: tuple[Any, ...],
    kwargs: tuple[tuple[str, Any], ...],
    current_app: str | None,
    _prefix: str,
    _urlconf: Any,
) -> str:
    return reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)


def _plain(value: Any) -> bool:
    return type(value) in (str, int)


class CachedURLNode(URLNode):
    def render(self, context: Any) -> str:
        args = tuple(arg.resolve(context) for arg in self.args)
        kwargs = tuple((k, v.resolve(context)) for k, v in self.kwargs.items())
        view_name = self.view_name.resolve(context)
        if not (
            isinstance(view_name, str)
            and all(_plain(a) for a in args)
            and all(_plain(v) for _k, v in kwargs)
        ):
            return str(super().render(context))
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = _reverse(
                view_name,
                args,
                kwargs,
                current_app,
                get_script_prefix(),
                get_urlconf() or settings.ROOT_URLCONF,
            )
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        if context.autoescape:
            url = conditional_escape(url)
        return url


@register.tag
def url(parser: Any, token: Any) -> CachedURLNode:
    """Django's ``{% url %}`` (same syntax), remembered (see the module's docstring)."""
    node = django_url(parser, token)
    return CachedURLNode(node.view_name, node.args, node.kwargs, node.asvar)
