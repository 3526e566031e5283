"""Design-system components used on every page: the status tag.

``{% status_tag record %}`` shows ``record.status`` in words (``get_status_display``) as a
Designsystemet tag whose colour says how it stands; ``{% status_tag code label %}`` does the
same for a status that is not a record's field (a deadline's, a statistic row's). One place,
so that "active" looks the same on every list and page.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template
from django.utils.safestring import SafeString

from kraftsenter.core.markup import format_html

register = template.Library()

#: Colour of each status code (Designsystemet's data-color); anything else is neutral.
STATUS_COLOURS: dict[str, str] = {
    # Done, in force, agreed.
    "active": "success",
    "done": "success",
    "met": "success",
    "adopted": "success",
    "approved": "success",
    "concluded_agreement": "success",
    # Under way.
    "in_progress": "info",
    "in_consultation": "info",
    "hearing": "info",
    "notified": "info",
    "planned": "info",
    "preparation": "info",
    # Needs attention.
    "at_risk": "warning",
    "due": "warning",
    "late": "warning",
    "pending": "warning",
    "dissolving": "warning",
    "screening": "warning",
    "draft": "warning",
    "concluded_no_agreement": "warning",
    # Gone wrong.
    "overdue": "danger",
    "dropped": "danger",
    "refused": "danger",
}


def status_colour(code: str) -> str:
    return STATUS_COLOURS.get(code or "", "neutral")


def status_tag_html(code: str, label: Any) -> SafeString:
    """``includes/status_tag.html`` rendered in Python, character for character (with its
    final line break), for rows built without the template engine."""
    return format_html(
        '<span class="ds-tag ks-status" data-color="{}" data-size="sm" data-status="{}">'
        "{}</span>\n",
        status_colour(code),
        code,
        label,
    )


class StatusTags:
    """Each status tag of a list of choices rendered once, for rows built in Python:
    ``tags(code)`` is :func:`status_tag_html` with the choice's label (read in the language
    active when the list was built), or with the code itself for a code not among them."""

    def __init__(self, choices: Iterable[tuple[str, Any]]) -> None:
        self._tags = {code: status_tag_html(code, str(label)) for code, label in choices}

    def __call__(self, code: str) -> SafeString:
        found = self._tags.get(code)
        return found if found is not None else status_tag_html(code, code)


@register.inclusion_tag("includes/status_tag.html")
def status_tag(record_or_code: Any, label: Any = None) -> dict[str, str]:
    if isinstance(record_or_code, str):
        code = record_or_code
    else:
        code = getattr(record_or_code, "status", "") or ""
        if label is None and hasattr(record_or_code, "get_status_display"):
            label = record_or_code.get_status_display()
    return {
        "code": code,
        "label": str(label if label is not None else code),
        "colour": status_colour(code),
    }
