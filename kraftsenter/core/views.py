"""The register kit's pages: list, detail, history, create/edit, archive/restore and "a part".

A register's ``views.py`` declares what differs (its templates, forms, services, selector and
policy) on a mixin, and :func:`record_urlpatterns` builds the usual addresses::

    /<register>/                 list (filters, pagination, CSV)
    /<register>/ny/              create
    /<register>/<pk>/            detail
    /<register>/<pk>/endre/      edit
    /<register>/<pk>/historikk/  history timeline
    /<register>/<pk>/arkiver/    archive (nothing is deleted)
    /<register>/<pk>/gjenopprett/ restore

Every write goes through one service call. A refused change shows the service's messages on
the form (422), a permission refusal the 403 page, and a stale version the shared conflict
page (409) with what changed meanwhile and the user's input kept.
"""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any, cast

from django import forms as dj_forms
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import FormView, ListView, TemplateView, View
from django.views.generic.base import ContextMixin, TemplateResponseMixin
from django.views.generic.edit import ProcessFormView

if TYPE_CHECKING:
    from django.contrib.auth.models import User

    # The mixins below are always combined with these views; the type checker sees them as
    # their bases so that ``super()`` and the view methods they call are known.
    _ContextBase = ContextMixin

    class _FormPage(TemplateResponseMixin, ContextMixin, ProcessFormView):
        """Django's FormView as the register pages use it. The pages have a method
        ``success_url(result)`` where FormView has an attribute (which they never use), so
        the checker sees FormView's form methods without it. At run time this is FormView."""

        initial: dict[str, Any]
        form_class: Any
        prefix: str | None

        def get_initial(self) -> dict[str, Any]: ...
        def get_prefix(self) -> str | None: ...
        def get_form_class(self) -> Any: ...
        def get_form(self, form_class: Any = None) -> Any: ...
        def get_form_kwargs(self) -> dict[str, Any]: ...
        def form_valid(self, form: Any) -> HttpResponse: ...
        def form_invalid(self, form: Any) -> HttpResponse: ...

    _ServiceFormBase = _FormPage
else:
    _ContextBase = object
    _FormPage = FormView
    _ServiceFormBase = object

from .exceptions import ConflictError
from .forms import ArchiveForm, apply_validation_error
from .models import DataImport
from .paging import ListPaginator
from .permissions import can_read_accessibility_feedback
from .spreadsheets import SafeWriter
from .timeline import display, timeline

logger = logging.getLogger(__name__)


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind ``login_required``, whose user is a real user. Only an
    annotation for the type checker: at run time the view gets Django's request as ever."""

    user: User


def _configured(value: Callable[..., Any] | None, name: str) -> Callable[..., Any]:
    """A callable a register's view must declare (a selector, a service, a form class)."""
    if value is None:
        raise ImproperlyConfigured(f"The view declares no {name}.")
    return value


class _Echo:
    def write(self, value: str) -> str:
        return value


class FilteredListView(ListView):
    """A register's list page: FilterSet from ``filters.py``, base queryset from a selector.

    Subclasses set ``filterset_class``, ``template_name``, ``csv_columns`` and implement
    ``get_base_queryset`` (a selector call). ``?format=csv`` downloads the filtered list as
    UTF-8 CSV with a byte-order mark, so that Excel shows Norwegian letters correctly; every
    cell goes through ``core.spreadsheets`` (text that would start a formula is neutralised).
    ``policy`` (when set) gives the page ``can_create``.
    """

    filterset_class: Any = None
    policy: Any = None
    paginate_by = 50
    paginator_class = ListPaginator
    csv_columns: Sequence[tuple[str, Callable[[Any], Any]]] = ()
    csv_filename = "export"
    #: Lists with prefetches export from memory (iterator() would drop the prefetches).
    csv_prefetched = False

    #: Read the list with kept statements (core.kept) when its filters allow: the view
    #: implements :meth:`base_queryset_for`.
    kept = False

    def get_base_queryset(self):  # pragma: no cover - always overridden
        raise NotImplementedError

    def base_queryset_for(self, who, *args):  # pragma: no cover - overridden where used
        """The list's base queryset for ``who`` (a user, or the stand-in for one a kept
        statement is built with) and :meth:`kept_base_args`: it may read nothing else, the
        request neither (a kept list, ``kept = True``)."""
        raise NotImplementedError

    def kept_base_args(self) -> tuple[Any, ...] | None:
        """What :meth:`base_queryset_for` takes besides the user (ints, strs, dates), read for
        this request; None: the list is read through the ORM."""
        return ()

    def get_queryset(self):
        data = self.request.GET or None
        if self.kept and self.request.GET.get("format") != "csv":
            # The base is built only when the list is read through the ORM.
            self.filterset = self.filterset_class(data, queryset=None, request=self.request)
            base_args = self.kept_base_args()
            if base_args is not None and (not self.filterset.is_bound or self.filterset.is_valid()):
                found = self.filterset.kept_list(
                    f"{type(self).__module__}.{type(self).__qualname__}",
                    self.base_queryset_for,
                    self.request.user,
                    base_args=base_args,
                )
                if found is not None:
                    return found
            self.filterset.queryset = self.get_base_queryset()
        else:
            self.filterset = self.filterset_class(
                data, queryset=self.get_base_queryset(), request=self.request
            )
        if self.filterset.is_bound and not self.filterset.is_valid():
            return self.filterset.queryset.none()
        return self.filterset.qs

    # Django's views may return any response; the stubs say HttpResponse for ListView.get.
    def get(  # type: ignore[override]
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponseBase:
        if request.GET.get("format") == "csv" and self.csv_columns:
            return self.csv_response(self.get_queryset())
        return super().get(request, *args, **kwargs)

    def csv_rows(self, queryset) -> Iterable[Any]:
        return iter(queryset) if self.csv_prefetched else queryset.iterator(chunk_size=1000)

    def csv_response(self, queryset) -> StreamingHttpResponse:
        writer = SafeWriter(_Echo(), delimiter=";")

        def rows():
            yield "\ufeff" + writer.writerow([str(h) for h, _ in self.csv_columns])
            for obj in self.csv_rows(queryset):
                yield writer.writerow([get(obj) for _, get in self.csv_columns])

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
        if self.policy is not None:
            context["can_create"] = self.policy.can(self.request.user, "create")
        return context


def about_data(request: HttpRequest) -> HttpResponse:
    imports = DataImport.objects.all()[:20]
    return render(request, "core/about_data.html", {"imports": imports})


#: The date the accessibility statement was last reviewed against the pages (axe-core runs in
#: tests/browser and the manual checks it lists). Review at least once a year (forskrift
#: 21.6.2013 nr. 732 om universell utforming av IKT-løsninger, § 4e andre ledd) and set the
#: date here.
ACCESSIBILITY_REVIEWED = dt.date(2026, 11, 29)


def _feedback_page(
    request: HttpRequest,
    form_class: type[dj_forms.Form],
    template: str,
    context: dict[str, Any],
    **create: Any,
) -> HttpResponse:
    """A page with the feedback form to the site administrators (core/feedback.py): the
    accessibility statement and the page for corrections to the translations."""
    from .feedback import accessibility_feedback_create, feedback_allowed, feedback_count

    status = 200
    if request.method == "POST":
        form = form_class(request.POST)
        if not feedback_allowed(request):
            form.is_valid()
            form.add_error(
                None,
                _("You have sent many messages in a short time. Try again in an hour."),
            )
            status = 429
        elif form.is_valid():
            try:
                accessibility_feedback_create(actor=request.user, **form.cleaned_data, **create)
            except ValidationError as exc:
                apply_validation_error(form, exc)
                status = 422
            else:
                feedback_count(request)
                messages.success(request, _("Thank you. Your message has been sent."))
                return redirect(request.path)
        else:
            status = 422
    else:
        form = form_class(initial={"page": request.GET.get("side", "")[:500]})
    context = {
        **context,
        "form": form,
        "can_read_feedback": can_read_accessibility_feedback(request.user),
    }
    return render(request, template, context, status=status)


def accessibility(request: HttpRequest) -> HttpResponse:
    """The accessibility statement, with its feedback form (anyone, also anonymous)."""
    from .forms import AccessibilityFeedbackForm

    reviewed = ACCESSIBILITY_REVIEWED
    context = {"reviewed": reviewed, "next_review": reviewed.replace(year=reviewed.year + 1)}
    return _feedback_page(request, AccessibilityFeedbackForm, "core/accessibility.html", context)


def language_correction(request: HttpRequest) -> HttpResponse:
    """The languages of the site, who translated them, and a form to suggest a correction to a
    translation (the footer links here in nynorsk and Northern Sami): the accessibility
    feedback channel with ``kind`` = language, reaching the site administrators."""
    from django.utils import translation

    from .feedback import LanguageCorrectionForm
    from .models import FeedbackKind

    language = translation.get_language() or ""
    return _feedback_page(
        request,
        LanguageCorrectionForm,
        "core/languages.html",
        {"current_language": language},
        kind=FeedbackKind.LANGUAGE,
        language=language,
    )


class AccessibilityFeedbackListView(ListView):
    """The messages received through the accessibility statement: site administrators only."""

    template_name = "core/accessibility_feedback_list.html"
    paginate_by = 50
    paginator_class = ListPaginator
    context_object_name = "messages_received"

    def dispatch(self, request, *args, **kwargs):
        refused = _login_or_403(
            request,
            lambda: can_read_accessibility_feedback(request.user),
            _("Only site administrators read the feedback on accessibility."),
        )
        return refused or super().dispatch(request, *args, **kwargs)

    def get_queryset(self):
        from .models import AccessibilityFeedback

        return AccessibilityFeedback.objects.select_related("sender")


def error_403(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "403.html", {"reason": str(exception or "")}, status=403)


def error_404(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "404.html", status=404)


def error_500(request: HttpRequest) -> HttpResponse:
    return render(request, "500.html", status=500)


def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers (docs/DEPLOYMENT.md): 200 when this worker answers and every
    configured database (the primary, and the replica where one is set) answers ``SELECT 1``;
    503 otherwise. Never cached, no session, nothing about the error beyond which database."""
    databases = {}
    for alias in connections:
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
                cursor.fetchone()
            databases[alias] = "ok"
        except DatabaseError:
            logger.warning("health check: database %s does not answer", alias, exc_info=True)
            databases[alias] = "unavailable"
    healthy = all(state == "ok" for state in databases.values())
    response = JsonResponse(
        {"status": "ok" if healthy else "unavailable", "databases": databases},
        status=200 if healthy else 503,
    )
    response["Cache-Control"] = "no-store"
    return response


def floor(request: HttpRequest) -> HttpResponse:
    """The benchmark's floor: the cheapest response Django can give through the same stack."""
    return HttpResponse(b"ok", content_type="text/plain")


# --- Record pages ------------------------------------------------------------------------------


class _Can:
    """``can.<action>`` in templates: whether the user may take a named action on the record."""

    def __init__(self, policy: Any, user: Any, record: Any) -> None:
        self._policy, self._user, self._record = policy, user, record
        self._known: dict[str, bool] = {}

    def __getattr__(self, action: str) -> bool:
        if action.startswith("_"):
            raise AttributeError(action)
        if action not in self._known:
            try:
                self._known[action] = self._policy.can(self._user, action, self._record)
            except KeyError:
                self._known[action] = False
        return self._known[action]


class RecordMixin(_ContextBase):
    """Finds the record through a selector and asks the register's policy.

    ``get_record(user=…, pk=…)`` is the register's selector (404 for what the user may not
    see); ``policy`` its :class:`~kraftsenter.core.permissions.RecordPolicy`;
    ``service_object_name`` the keyword its services take the record by.
    """

    policy: Any = None
    service_object_name = "obj"
    tabs_template: str | None = "core/_record_tabs.html"
    get_record: Callable[..., Any] | None = None
    request: HttpRequest
    kwargs: dict[str, Any]

    def get_object(self):
        if not hasattr(self, "_object"):
            get_record = _configured(type(self).get_record, "get_record")
            self._object = get_record(user=self.request.user, pk=self.kwargs["pk"])
        return self._object

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        obj = self.get_object() if "pk" in self.kwargs else None
        if obj is not None:
            user = self.request.user
            context.update(
                {
                    "object": obj,
                    "can": _Can(self.policy, user, obj),
                    "can_edit": self.policy.can(user, "edit", obj),
                    "can_archive": self.policy.can(user, "archive", obj),
                    "extra_tabs": self.extra_tabs(obj),
                }
            )
        context["tabs_template"] = self.tabs_template
        return context

    def extra_tabs(self, obj: Any) -> list[tuple[str, str, str]]:
        """More tabs beside Overview and History: (key, label, address)."""
        return []


class RecordDetailView(RecordMixin, TemplateView):
    pass


class RecordHistoryView(RecordMixin, TemplateView):
    """The record's timeline: its changes and its parts', readable, newest first."""

    template_name = "core/history.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["entries"] = timeline(self.get_object(), user=self.request.user)
        return context


def conflict_rows(
    form: dj_forms.Form, current: Any, fields: Iterable[str]
) -> list[tuple[str, str, str]]:
    """(label, saved now, your input) for every field where the two differ."""
    rows = []
    model = type(current)
    for name in fields:
        if name not in form.fields:
            continue
        theirs: Any = getattr(current, name, None)
        if hasattr(theirs, "all"):
            theirs = list(theirs.all())
        mine = form.cleaned_data.get(name) if hasattr(form, "cleaned_data") else None
        shown = [_shown(model, name, v) for v in (theirs, mine)]
        if shown[0] != shown[1]:
            rows.append((str(form.fields[name].label), shown[0], shown[1]))
    return rows


def _shown(model: Any, name: str, value: Any) -> str:
    if isinstance(value, list | tuple | set):
        return ", ".join(str(v) for v in value) or "–"
    if value is None or value == "":
        return "–"
    if hasattr(value, "pk"):
        return str(value)
    if isinstance(value, bool):
        return display(model, name, value)
    return str(value)


class ServiceFormMixin(_ServiceFormBase):
    """Calls one service with the form's data and turns its refusals into the page's answers:
    ValidationError → the form with messages (422), ConflictError → the conflict page (409).
    PermissionDenied is left to the 403 page."""

    template_name: str | None = "core/form_page.html"
    title: Any = ""
    intro: Any = ""
    #: Field names compared on the conflict page. A view may give them as a property instead
    #: (when they differ between create and edit), so the checker sees a read-only property.
    if TYPE_CHECKING:

        @property
        def fields(self) -> Sequence[str]: ...

    else:
        fields: Sequence[str] = ()
    #: Several items on one page (participants, parties): a formset beside the form.
    formset_class: Any = None
    formset_prefix = "p"
    formset_legend: Any = ""
    formset_row_label: Any = ""
    #: Show the rows before the form's own fields (a reason field then comes last).
    formset_first = False
    request: HttpRequest

    def formset_initial(self) -> list[dict[str, Any]]:
        return []

    def get_formset(self) -> Any:
        if self.formset_class is None:
            return None
        if not hasattr(self, "_formset"):
            data = self.request.POST if self.request.method == "POST" else None
            self._formset = self.formset_class(
                data, prefix=self.formset_prefix, initial=self.formset_initial()
            )
        return self._formset

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        formset = self.get_formset()
        form_ok = form.is_valid()
        if form_ok and (formset is None or formset.is_valid()):
            return self.form_valid(form)
        return self.form_invalid(form)

    def call_service(self, form) -> Any:  # pragma: no cover - always overridden
        raise NotImplementedError

    def success_url(self, result: Any) -> str:  # pragma: no cover - always overridden
        raise NotImplementedError

    def success_message(self) -> str:
        return _("Saved.")

    def current_record(self) -> Any:
        """The record as it is now in the database (for the conflict page)."""
        return None

    def form_valid(self, form):
        try:
            result = self.call_service(form)
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.form_invalid(form)
        except ConflictError as exc:
            return self.conflict(form, exc)
        messages.success(self.request, self.success_message())
        return redirect(self.success_url(result))

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=422)

    def conflict(self, form, exc: ConflictError):
        current = self.current_record()
        rows = conflict_rows(form, current, self.fields) if current is not None else []
        data = form.data.copy()
        if "version" in form.fields:
            data["version"] = str(exc.current_version)
        new_form = self.get_form_class()(data=data, **self.extra_form_kwargs())
        new_form.is_valid()
        new_form.add_error(
            None,
            _(
                "Someone else saved this record while you were editing (now version %(version)s). "
                "Compare below; your input is kept. Save again to overwrite with your input."
            )
            % {"version": exc.current_version},
        )
        return self.render_to_response(
            self.get_context_data(form=new_form, conflict=rows), status=409
        )

    def extra_form_kwargs(self) -> dict[str, Any]:
        """Keyword arguments the form class takes besides data (choices from the record)."""
        return {}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context.setdefault("title", self.title)
        context.setdefault("intro", self.intro)
        formset = self.get_formset()
        if formset is not None:
            context["formset"] = formset
            context["formset_legend"] = self.formset_legend
            context["formset_first"] = self.formset_first
            context["formset_rows"] = [
                (str(self.formset_row_label) % {"n": n}, f)
                for n, f in enumerate(formset.forms, start=1)
            ]
        return context


def _login_or_403(request: HttpRequest, allowed: Callable[[], bool], message: str):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not allowed():
        raise PermissionDenied(message)
    return None


def _text_or_empty(form, data: dict[str, Any]) -> dict[str, Any]:
    """Optional text fields give "" (not None) to the services."""
    out = {}
    for name, value in data.items():
        field = form.fields.get(name)
        is_text = isinstance(field, dj_forms.CharField) and not getattr(field, "returns_record", 0)
        out[name] = "" if value is None and is_text else value
    return out


class RecordFormView(ServiceFormMixin, RecordMixin, _FormPage):
    """Create (no ``pk``) or update a record through its services.

    ``fields`` are the form fields passed to the service; ``create_service`` and
    ``update_service`` the register's services. The policy decides who may open the page
    (``create`` or ``edit``); the service decides again.
    """

    create_service: Callable[..., Any] | None = None
    update_service: Callable[..., Any] | None = None

    @property
    def is_update(self) -> bool:
        return "pk" in self.kwargs

    def dispatch(self, request, *args, **kwargs):
        refused = _login_or_403(
            request,
            lambda: (
                self.policy.can(request.user, "edit", self.get_object())
                if self.is_update
                else self.policy.can(request.user, "create")
            ),
            self.policy.denied_message("edit" if self.is_update else "create"),
        )
        return refused or super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return str(self.title)

    def get_form_class(self) -> Any:
        form_class = _configured(self.form_class, "form_class")
        return functools.partial(form_class, **self.extra_form_kwargs())

    def get_initial(self) -> dict[str, Any]:
        if not self.is_update:
            return {}
        obj = self.get_object()
        initial: dict[str, Any] = {}
        for name in self.fields:
            value: Any = getattr(obj, name, None)
            initial[name] = list(value.all()) if hasattr(value, "all") else value
        initial["version"] = obj.version
        return self.adjust_initial(initial)

    def adjust_initial(self, initial: dict[str, Any]) -> dict[str, Any]:
        return initial

    def service_data(self, form) -> dict[str, Any]:
        """The form's values as the service's keyword arguments."""
        return _text_or_empty(form, {name: form.cleaned_data.get(name) for name in self.fields})

    def call_service(self, form) -> Any:
        data = self.service_data(form)
        if self.is_update:
            update_service = _configured(type(self).update_service, "update_service")
            return update_service(
                actor=self.request.user,
                **{self.service_object_name: self.get_object()},
                expected_version=form.cleaned_data.get("version"),
                reason=form.cleaned_data.get("reason", "") or "",
                **data,
            )
        create_service = _configured(type(self).create_service, "create_service")
        return create_service(actor=self.request.user, **data)

    def success_url(self, result: Any) -> str:
        return result.get_absolute_url()

    def current_record(self) -> Any:
        obj = self.get_object()
        return type(obj)._default_manager.get(pk=obj.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        context["cancel_url"] = (
            self.get_object().get_absolute_url()
            if self.is_update
            else self.request.path.rstrip("/").rsplit("/", 1)[0] + "/"
        )
        return context


class PartFormView(ServiceFormMixin, RecordMixin, _FormPage):
    """Add or change a part of a record, or take one of its steps, on a page of its own.

    Declare ``action`` (the policy's named action), ``form_class``, ``service`` and ``title``;
    the service is called with the record as ``service_object_name`` and the form's cleaned
    data (a ``version`` field becomes ``expected_version``). Override ``service_kwargs`` when
    the form's names differ from the service's, ``extra_form_kwargs`` for choices taken from
    the record, and ``get_part`` for steps on one part (a party's answer).
    """

    action = "edit"
    service: Callable[..., Any] | None = None
    pass_record = True

    def dispatch(self, request, *args, **kwargs):
        refused = _login_or_403(
            request,
            lambda: self.policy.can(request.user, self.action, self.get_object()),
            self.policy.denied_message(self.action),
        )
        return refused or super().dispatch(request, *args, **kwargs)

    def get_title(self) -> str:
        return str(self.title)

    def get_form_class(self) -> Any:
        form_class = _configured(self.form_class, "form_class")
        return functools.partial(form_class, **self.extra_form_kwargs())

    def service_kwargs(self, form) -> dict[str, Any]:
        data = _text_or_empty(form, dict(form.cleaned_data))
        if "version" in data:
            data["expected_version"] = data.pop("version")
        if self.pass_record:
            data[self.service_object_name] = self.get_object()
        return data

    def call_service(self, form) -> Any:
        service = _configured(type(self).service, "service")
        return service(actor=self.request.user, **self.service_kwargs(form))

    def success_url(self, result: Any) -> str:
        return self.get_object().get_absolute_url()

    def current_record(self) -> Any:
        obj = self.get_object()
        return type(obj)._default_manager.get(pk=obj.pk)

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["title"] = self.get_title()
        context["cancel_url"] = self.get_object().get_absolute_url()
        return context


class RecordActionView(RecordMixin, TemplateView):
    """A button that takes one step (end a membership, remove a part) by POST, then returns to
    the record with the outcome as a message. GET shows nothing of its own (405)."""

    http_method_names = ["post"]
    action = "edit"

    def post(self, request, *args, **kwargs):
        refused = _login_or_403(
            request,
            lambda: self.policy.can(request.user, self.action, self.get_object()),
            self.policy.denied_message(self.action),
        )
        if refused is not None:
            return refused
        try:
            self.perform()
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        except ConflictError:
            messages.error(
                request,
                _("The record changed while you were looking at it. Check it and try again."),
            )
        else:
            messages.success(request, self.success_message())
        return redirect(self.redirect_url())

    def redirect_url(self) -> str:
        return self.get_object().get_absolute_url()

    def success_message(self) -> str:
        return _("Saved.")

    def perform(self) -> None:  # pragma: no cover - always overridden
        raise NotImplementedError


class RecordArchiveView(RecordMixin, FormView):
    """Archive (or, with ``restore = True``, restore) a record, with an optional reason."""

    template_name = "core/archive_confirm.html"
    archive_service: Callable[..., Any] | None = None
    restore = False

    def get_form_class(self):
        return ArchiveForm

    def dispatch(self, request, *args, **kwargs):
        action = "restore" if self.restore else "archive"
        refused = _login_or_403(
            request,
            lambda: self.policy.can(request.user, action, self.get_object()),
            self.policy.denied_message(action),
        )
        return refused or super().dispatch(request, *args, **kwargs)

    def get_initial(self) -> dict[str, Any]:
        return {"version": self.get_object().version}

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["restore"] = self.restore
        return context

    def form_valid(self, form):
        try:
            archive_service = _configured(type(self).archive_service, "archive_service")
            obj = archive_service(
                actor=self.request.user,
                **{self.service_object_name: self.get_object()},
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data.get("reason", ""),
            )
        except ValidationError as exc:
            apply_validation_error(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=422)
        except ConflictError:
            form.add_error(
                None, _("The record changed while you were looking at it. Check it and try again.")
            )
            return self.render_to_response(self.get_context_data(form=form), status=409)
        messages.success(self.request, _("Restored.") if self.restore else _("Archived."))
        return redirect(obj.get_absolute_url())


def record_urlpatterns(
    name: str,
    *,
    mixin: type,
    detail: type | None = None,
    list_view: Any = None,
    form: Any = None,
    create: Any = None,
    edit: Any = None,
    archive_service: Callable[..., Any] | None = None,
    restore_service: Callable[..., Any] | None = None,
    parts: Sequence[URLPattern] = (),
) -> list[URLPattern]:
    """The usual addresses of one register (see the module docstring), named ``<name>-list``,
    ``-create``, ``-detail``, ``-edit``, ``-history``, ``-archive`` and ``-restore``.

    ``form`` serves both create and edit; ``create``/``edit`` give separate views. The
    history, archive and restore views are made here from ``mixin``.
    """

    def view(v: Any) -> Any:
        return cast(type[View], v).as_view() if isinstance(v, type) else v

    patterns: list[URLPattern] = []
    if list_view is not None:
        patterns.append(path("", view(list_view), name=f"{name}-list"))
    if create or form:
        patterns.append(path("ny/", view(create or form), name=f"{name}-create"))
    if detail is not None:
        patterns.append(path("<int:pk>/", view(detail), name=f"{name}-detail"))
    if edit or form:
        patterns.append(path("<int:pk>/endre/", view(edit or form), name=f"{name}-edit"))
    # type() makes a plain ``type`` to the checker; these are views of the named kind.
    history = cast(
        type[RecordHistoryView], type(f"{mixin.__name__}History", (mixin, RecordHistoryView), {})
    )
    patterns.append(path("<int:pk>/historikk/", history.as_view(), name=f"{name}-history"))
    for suffix, service, restore in (
        ("arkiver", archive_service, False),
        ("gjenopprett", restore_service, True),
    ):
        if service is None:
            continue
        cls = cast(
            type[RecordArchiveView],
            type(
                f"{mixin.__name__}{'Restore' if restore else 'Archive'}",
                (mixin, RecordArchiveView),
                {"archive_service": staticmethod(service), "restore": restore},
            ),
        )
        patterns.append(
            path(
                f"<int:pk>/{suffix}/",
                cls.as_view(),
                name=f"{name}-{'restore' if restore else 'archive'}",
            )
        )
    return patterns + list(parts)


#: At most this many unknown-language attempts an hour from one address reach the security log.
UNKNOWN_LANGUAGE_LOG_PER_HOUR = 20


def choose_language(request: HttpRequest, code: str) -> HttpResponse:
    """Remember the visitor's language in a cookie (a plain link, so pages need no form);
    for a logged-in user, also as the account's preferred language (accounts.preferences).

    A code that is not one of ``settings.LANGUAGES`` stores nothing: the visitor gets a 404
    page that names the languages there are, and the attempt goes to the security log (at most
    :data:`UNKNOWN_LANGUAGE_LOG_PER_HOUR` entries an hour from one address)."""
    from django.conf import settings
    from django.utils.http import url_has_allowed_host_and_scheme

    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    if code not in dict(settings.LANGUAGES):
        _log_unknown_language(request, code)
        context = {"code": code[:20], "next": target}
        return render(request, "core/language_unknown.html", context, status=404)
    if request.user.is_authenticated:
        # A logged-in user's choice is also the language of their e-mails (the digest).
        from kraftsenter.accounts.preferences import language_preference_set

        language_preference_set(actor=request.user, user=request.user, language=code)
    response = redirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        code,
        max_age=365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _log_unknown_language(request: HttpRequest, code: str) -> None:
    from django.core.cache import cache

    from kraftsenter.accounts.models import SecurityEventKind
    from kraftsenter.accounts.security import client_address, security_event_record

    key = f"ks-language-unknown:{client_address(request) or '-'}"
    if cache.add(key, 1, 3600):
        count = 1
    else:
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, 3600)
            count = 1
    if count > UNKNOWN_LANGUAGE_LOG_PER_HOUR:
        return
    user = (
        request.user if getattr(request, "user", None) and request.user.is_authenticated else None
    )
    security_event_record(
        kind=SecurityEventKind.LANGUAGE_UNKNOWN,
        user=user,
        request=request,
        code=code[:20].replace("\x00", ""),
        path=request.get_full_path()[:200],
    )
