"""Shared pieces of this app's pages: the create/update view over ``core.views.RecordFormView``
for forms with organisation and many-to-many fields, and the page helpers for record parts."""

from __future__ import annotations

import functools
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from kraftsenter.actors.forms import OrganisationRefField
from kraftsenter.actors.models import Organisation
from kraftsenter.core.exceptions import ConflictError
from kraftsenter.core.views import RecordFormView

from ..forms import OrganisationListField, org_label


def display(value: Any) -> Any:
    """A value as the conflict table shows it (names for organisations and lists)."""
    if hasattr(value, "all"):
        value = list(value.all())
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return value


class ServiceFormView(RecordFormView):
    """Create or update through the services, with the page's own form class.

    ``form_class`` may take extra keyword arguments (``form_kwargs()``); ``m2m_fields`` are
    shown and compared as lists; empty organisation fields give None (not "")."""

    template_name = "agreements/record_form.html"
    m2m_fields: tuple[str, ...] = ()
    title = ""

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def get_form_class(self):
        return functools.partial(self.form_class, **self.form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        initial = super().get_initial()
        if self.is_update:
            obj = self.get_object()
            for name in self.m2m_fields:
                initial[name] = list(getattr(obj, name).all())
            for name, value in list(initial.items()):
                if isinstance(value, Organisation):
                    initial[name] = org_label(value)
        return initial

    @staticmethod
    def _is_text(form, name: str) -> bool:
        field = form.fields.get(name)
        return isinstance(field, forms.CharField) and not isinstance(
            field, OrganisationRefField | OrganisationListField
        )

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.title
        context["cancel_url"] = self.cancel_url()
        return context

    def cancel_url(self) -> str:
        return self.get_object().get_absolute_url() if self.is_update else "../"

    def conflict(self, form, exc: ConflictError):
        current = type(self.get_object())._default_manager.get(pk=self.get_object().pk)
        changes = []
        for name in self.fields:
            theirs, mine = display(getattr(current, name)), display(form.cleaned_data.get(name))
            if (theirs or "") != (mine or ""):
                changes.append((form.fields[name].label, theirs, mine))
        data = form.data.copy()
        data["version"] = str(current.version)
        new_form = self.get_form_class()(data=data)
        new_form.is_valid()
        new_form.add_error(
            None,
            _(
                "Someone else saved this record while you were editing (now version %(version)s). "
                "Compare below; your input is kept. Save again to overwrite with your input."
            )
            % {"version": current.version},
        )
        return self.render_to_response(
            self.get_context_data(form=new_form, conflict=changes), status=409
        )


def editable(request: HttpRequest, obj: Any, allowed: bool, message: str) -> Any:
    if not allowed:
        raise PermissionDenied(message)
    return obj


def part_page(
    request: HttpRequest,
    obj: Any,
    *,
    form: Any,
    title: str,
    ok: bool,
    redirect_to: str | None = None,
    template: str = "agreements/part_form.html",
    extra: dict[str, Any] | None = None,
) -> HttpResponse:
    """Redirect after a saved part (decision, goal, item …), or show the form again."""
    if ok:
        messages.success(request, _("Saved."))
        return redirect(redirect_to or obj.get_absolute_url())
    status = 422 if request.method == "POST" else 200
    context = {"object": obj, "form": form, "title": title, **(extra or {})}
    return render(request, template, context, status=status)
