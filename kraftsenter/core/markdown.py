"""Markdown descriptions rendered to HTML once, when they are saved, and sanitised (nh3).

The renderer is markdown-it-py with the CommonMark rules: it parses in time linear in the
length of the text (the previous renderer took seconds on a few kilobytes of ``[``, issue 12),
and nesting deeper than :data:`MAX_NESTING` levels is not parsed further. Raw HTML in the text
is not interpreted: it is shown as text. The HTML is then cleaned with an allow-list of tags
and attributes, and links get ``rel="noopener noreferrer"``.

Services store the result beside the text (``Organisation.description_html``, filled with
:func:`markdown_for_storage`); templates show it with the ``stored_html`` filter, which only
runs the (linear, fast) sanitiser again. Nothing renders Markdown per view.
"""

from __future__ import annotations

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "p",
    "br",
    "strong",
    "em",
    "ul",
    "ol",
    "li",
    "a",
    "blockquote",
    "code",
    "pre",
    "h2",
    "h3",
    "h4",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto"}
#: Blocks and inline elements nest at most this deep (a list in a list … counts two per level);
#: what lies deeper is left out. It also bounds the parser's recursion.
MAX_NESTING = 20

_PARSER = MarkdownIt("commonmark", {"html": False, "maxNesting": MAX_NESTING})


def sanitise(html: str) -> SafeString:
    """HTML with only the allowed tags, attributes and link schemes left."""
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - sanitised by nh3 above


def render_markdown(text: str) -> SafeString:
    """Markdown → HTML with no scripts, styles, event handlers or raw HTML left."""
    return sanitise(_PARSER.render(text or ""))


def markdown_for_storage(text: str, *, max_length: int) -> str:
    """The HTML to store beside a Markdown text, or "" for a text over ``max_length``
    characters (the model refuses such a text, so it is never rendered)."""
    text = text or ""
    if not text or len(text) > max_length:
        return ""
    return str(render_markdown(text))
