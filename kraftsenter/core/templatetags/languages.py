"""The language switch's list: each language named in its own language.

Django's ``get_available_languages`` translates the names into the reader's language ("Engelsk"
on a bokmål page); a switch names each language the way its readers write it."""

from __future__ import annotations

from django import template
from django.conf import settings

register = template.Library()


@register.simple_tag
def languages_in_their_own_names() -> list[tuple[str, str]]:
    """``settings.LANGUAGES`` as written there: code and the language's own name."""
    return [(code, str(name)) for code, name in settings.LANGUAGES]
