"""Shared form widgets.

:class:`Combobox` is a text field that ``static/js/combobox.js`` turns into a searchable
combobox following the WAI-ARIA combobox pattern (``role=combobox`` with ``aria-expanded``,
``aria-controls`` and ``aria-activedescendant``, a listbox of options, arrows, Enter and
Escape). Its options come from a small JSON endpoint (``source``: a URL name answering
``?q=`` with ``{"results": [{"value", "label", "detail"}]}``).

Without JavaScript it stays what it is underneath: a text field whose form field accepts a
number or an exact name and answers anything else with a clear error. With JavaScript the
visible box shows the chosen option's name, while a hidden twin under the field's name sends
its value (an organisation's municipality number, county number, organisation number or
name): text typed without choosing is sent as typed, so the server's error still applies.

:class:`ComboboxList` is the same for a field of several values, one per line (a textarea):
the combobox above it adds the chosen option's value as a new line. The organisation
combobox built on them is in ``kraftsenter/actors/widgets.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from .forms import input_html
from .links import fixed_url


class Labelled(str):
    """A field's value as text that also knows what the combobox shows for it (the record's
    name), so that rendering a row needs no look-up of the value."""

    display: str

    def __new__(cls, value: str, display: str) -> Labelled:
        made = super().__new__(cls, value)
        made.display = display
        return made


class Combobox(forms.TextInput):
    """A searchable combobox over ``source``; a plain text field without JavaScript.

    Rendered in Python (as ``core.forms.PlainInputMixin`` renders Django's inputs): a
    participants form has one per row, and through the template engine each cost two
    template renders (issue 14)."""

    def __init__(
        self,
        *,
        source: str,
        describe: Callable[[str], str] | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(attrs={"autocomplete": "off", "spellcheck": "false", **(attrs or {})})
        self.source = source
        self.describe = describe

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        text = context["widget"]["value"] or ""
        context["widget"]["source"] = fixed_url(self.source)
        # What the visible box shows for the value: the chosen record's name, else the text.
        # A value prepared by its field may carry its display (``Labelled``): no look-up.
        display = getattr(value, "display", None)
        if display is None and self.describe and text:
            display = self.describe(text)
        context["widget"]["display"] = display or text
        context["widget"]["no_results"] = _("No matches. Try part of the name or a number.")
        context["widget"]["results_hint"] = _("%(count)s matches. Use the arrow keys to choose.")
        return context

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        widget = self.get_context(name, value, attrs)["widget"]
        data = " ".join(
            f'data-ks-{key}="{conditional_escape(str(widget[name]))}"'
            for key, name in (
                ("combobox", "source"),
                ("combobox-display", "display"),
                ("no-results", "no_results"),
                ("results-hint", "results_hint"),
            )
        )
        return mark_safe(  # noqa: S308 - every part is escaped
            f'<div class="ks-combobox" {data}>{input_html(widget)}</div>'
        )


class ComboboxList(forms.Textarea):
    """Several values, one per line, with a combobox that adds a chosen option as a line."""

    template_name = "core/widgets/combobox_list.html"

    def __init__(self, *, source: str, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs={"rows": 4, **(attrs or {})})
        self.source = source

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["source"] = fixed_url(self.source)
        context["widget"]["add_label"] = _("Search and add")
        context["widget"]["no_results"] = _("No matches. Try part of the name or a number.")
        context["widget"]["results_hint"] = _("%(count)s matches. Use the arrow keys to choose.")
        return context
