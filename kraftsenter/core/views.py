"""Shared page views: a filtered, paginated list with CSV export; front page; error pages."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from typing import Any

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView

from .exceptions import ConflictError
from .forms import ArchiveForm, apply_validation_error
from .models import DataImport


class _Echo:
    def write(self, value: str) -> str:
        return value


class FilteredListView(ListView):
    """A register's list page: FilterSet from ``filters.py``, base queryset from a selector.

    Subclasses set ``filterset_class``, ``template_name``, ``csv_columns`` and implement
    ``get_base_queryset`` (a selector call). ``?format=csv`` downloads the filtered list as
    UTF-8 CSV with a byte-order mark, so that Excel shows Norwegian letters correctly.
    """

    filterset_class: Any = None
    paginate_by = 50
    csv_columns: Sequence[tuple[str, Callable[[Any], Any]]] = ()
    csv_filename = "export"

    def get_base_queryset(self):  # pragma: no cover - always overridden
        raise NotImplementedError

    def get_queryset(self):
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=self.get_base_queryset(), request=self.request
        )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.GET.get("format") == "csv" and self.csv_columns:
            return self.csv_response(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def csv_response(self, queryset) -> StreamingHttpResponse:
        writer = csv.writer(_Echo(), delimiter=";")

        def rows():
            yield "\ufeff" + writer.writerow([str(h) for h, _ in self.csv_columns])
            for obj in queryset.iterator(chunk_size=1000):
                yield writer.writerow(
                    ["" if (v := get(obj)) is None else v for _, get in self.csv_columns]
                )

        stamp = timezone.localdate().isoformat()
        response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.csv_filename}-{stamp}.csv"'
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["filter"] = self.filterset
        context["querystring"] = params.urlencode()
        return context


def about_data(request: HttpRequest) -> HttpResponse:
    imports = DataImport.objects.all()[:20]
    return render(request, "core/about_data.html", {"imports": imports})


def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility.html")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest response Django can give through the same stack."""
    return HttpResponse(b"ok", content_type="text/plain")


# --- Record pages: detail, history, create/update, archive/restore ------------------------


class RecordMixin:
    """Finds the record through a selector and asks the register's policy."""

    policy: Any = None
    service_object_name = "obj"
    tabs_template: str | None = None
    get_record: Callable[..., Any] | None = None

    def get_object(self):
        if not hasattr(self, "_object"):
            self._object = type(self).get_record(user=self.request.user, pk=self.kwargs["pk"])
        return self._object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.get_object() if "pk" in self.kwargs else None
        if obj is not None:
            user = self.request.user
            context.update(
                {
                    "object": obj,
                    "can_edit": self.policy.can_edit(user, obj),
                    "can_archive": self.policy.can_archive(user, obj),
                }
            )
        context["tabs_template"] = self.tabs_template
        return context


class RecordDetailView(RecordMixin, TemplateView):
    pass


class RecordHistoryView(RecordMixin, TemplateView):
    template_name = "core/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        from .history import history_for

        context = super().get_context_data(**kwargs)
        context["history"] = history_for(self.get_object())[:200]
        return context


class RecordFormView(RecordMixin, FormView):
    """Create (no ``pk``) or update a record through its services.

    A stale version is refused by the service; the page then shows what changed meanwhile,
    keeps the user's input, and takes the current version so that a second save is deliberate.
    """

    create_service: Callable[..., Any] | None = None
    update_service: Callable[..., Any] | None = None
    fields: Sequence[str] = ()

    @property
    def is_update(self) -> bool:
        return "pk" in self.kwargs

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        allowed = (
            self.policy.can_edit(request.user, self.get_object())
            if self.is_update
            else self.policy.can_create(request.user)
        )
        if not allowed:
            raise PermissionDenied(_("You do not have permission to change this record."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        if not self.is_update:
            return {}
        obj = self.get_object()
        initial = {name: getattr(obj, name) for name in self.fields}
        initial["version"] = obj.version
        return initial

    def form_valid(self, form):
        data = {name: form.cleaned_data.get(name) for name in self.fields}
        data = {k: ("" if v is None and self._is_text(form, k) else v) for k, v in data.items()}
        try:
            if self.is_update:
                obj = type(self).update_service(
                    actor=self.request.user,
                    **{self.service_object_name: self.get_object()},
                    expected_version=form.cleaned_data.get("version"),
                    reason=form.cleaned_data.get("reason", "") or "",
                    **data,
                )
            else:
                obj = type(self).create_service(actor=self.request.user, **data)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        except ConflictError as exc:
            return self.conflict(form, exc)
        messages.success(self.request, _("Saved."))
        return redirect(obj.get_absolute_url())

    @staticmethod
    def _is_text(form, name: str) -> bool:
        from django import forms as dj_forms

        field = form.fields.get(name)
        return isinstance(field, dj_forms.CharField)

    def conflict(self, form, exc: ConflictError):
        current = type(self.get_object())._default_manager.get(pk=self.get_object().pk)
        changes = []
        for name in self.fields:
            theirs = getattr(current, name)
            mine = form.cleaned_data.get(name)
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


class RecordArchiveView(RecordMixin, FormView):
    """Archive (or, with ``restore = True``, restore) a record, with an optional reason."""

    template_name = "core/archive_confirm.html"
    archive_service: Callable[..., Any] | None = None
    restore = False

    def get_form_class(self):
        return ArchiveForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not self.policy.can_archive(request.user, self.get_object()):
            raise PermissionDenied(_("You do not have permission to archive this record."))
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.get_object().version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["restore"] = self.restore
        return context

    def form_valid(self, form):
        try:
            obj = type(self).archive_service(
                actor=self.request.user,
                **{self.service_object_name: self.get_object()},
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        except ConflictError:
            form.add_error(
                None, _("The record changed while you were looking at it. Check it and try again.")
            )
            return self.form_invalid(form)
        messages.success(self.request, _("Restored.") if self.restore else _("Archived."))
        return redirect(obj.get_absolute_url())


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the visitor's language in a cookie (a plain link, so pages need no form)."""
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = redirect(target)
    if code in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            code,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response
