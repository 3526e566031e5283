"""The API's shared conventions: strict input, documented codes, one error shape (RFC 9457
problem details, see :mod:`kraftsenter.core.problems`), one pagination with ordering and
``updated_after``, and the routes every register shares (:func:`add_record_routes`: read with
``ETag``, change with ``If-Match``, archive, restore, history).

List shape::

    {"count": 357, "page": 1, "page_size": 50, "next": "…?page=2", "previous": null,
     "items": [...]}
"""

from __future__ import annotations

import datetime as dt
import math
import types
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Annotated, Any, TypeVar, cast

from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import http_date
from django.utils.translation import gettext as _
from django_filters import FilterSet
from ninja import NinjaAPI, Query, Router, Schema, Status
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import (
    BeforeValidator,
    ConfigDict,
    Field,
    GetCoreSchemaHandler,
    create_model,
    field_validator,
)
from pydantic_core import core_schema

from . import paging, schema_dump
from .bounds import request_example
from .encoding import encode_json
from .exceptions import ConflictError
from .problems import problem_response

if TYPE_CHECKING:
    from .models import ChangeRecord

MAX_PAGE_SIZE = 200
MAX_PAGE = 1_000_000


class StrictSchema(Schema):
    """A request body: a field the operation does not take is refused (422 naming it), never
    dropped, so a client cannot believe it changed what it did not. Text with a NUL character
    or a lone surrogate (which JSON can carry but no database stores) is refused the same way,
    before any permission or database work."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        problem = unstorable_text(value)
        if problem:
            raise ValueError(problem)
        return value


def unstorable_text(value: Any) -> str:
    """Why a value (text, or text inside lists and objects) cannot be stored, or ``""``."""
    if isinstance(value, str):
        if "\x00" in value:
            return _("The text contains the NUL character (\\u0000), which is not allowed.")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _("The text is not valid Unicode (it contains a lone surrogate, e.g. \\ud800).")
        return ""
    if isinstance(value, dict):
        value = list(value.keys()) + list(value.values())
    if isinstance(value, list | tuple):
        return next((p for p in map(unstorable_text, value) if p), "")
    return ""


class CodeOf:
    """Field metadata: the value is one of a code list's codes (an ``enum`` in OpenAPI).

    ``kind: Annotated[str, CodeOf(OrganisationKind)]`` validates the code and documents every
    allowed value in the schema, generated from the model's choices.
    """

    def __init__(self, choices: Any) -> None:
        self.choices = choices

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.literal_schema(list(self.choices.values))


M = TypeVar("M", bound=Model)
Handler = Callable[[HttpRequest, Any], HttpResponse]


class FieldErrorOut(Schema):
    """One field that is wrong, and why."""

    field: str = Field(description="The field, as sent (`participants.0.organisation`).")
    message: str
    code: str = Field("invalid", description="The rule or check that failed.")


class ErrorOut(Schema):
    """An error as RFC 9457 problem details (`application/problem+json`)."""

    type: str = Field(description="A URI naming the kind of problem; GET it for a description.")
    title: str
    status: int
    detail: str
    instance: str = Field(description="The request's path.")
    code: str = Field(description="The kind of problem (see `type`), for programs.")
    errors: list[FieldErrorOut] = []
    current_version: int | None = Field(None, description="409: the record's current version.")
    request_id: str | None = Field(None, description="Quote it to the operator.")


def install_conventions(api: NinjaAPI) -> None:
    """Give an API the shared error handlers (``config/api.py`` builds the site's API)."""
    for exc_class, handler in _HANDLERS.items():
        api.add_exception_handler(exc_class, handler)


_HANDLERS: dict[type[Exception], Handler] = {}


def _handles(exc_class: type[Exception]) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _HANDLERS[exc_class] = handler
        return handler

    return register


def auth_user(request: HttpRequest) -> Any:
    """The caller ninja's authentication found (``request.auth``): a user, possibly anonymous.

    Ninja sets ``request.auth`` on every request to an endpoint with authentication; Django's
    ``HttpRequest`` type does not declare it, so endpoints read it through here.
    """
    return cast(Any, request).auth


def error_response(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    message: Any = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    """A problem-details response (see :mod:`kraftsenter.core.problems`)."""
    return problem_response(
        request, code=code, status=status, detail=message, errors=errors, headers=headers, **extra
    )


def validation_errors(exc: ValidationError) -> list[dict[str, str]]:
    out: list[dict[str, str]] = []
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            for error in errors:
                out.append(
                    {
                        "field": "" if field == "__all__" else field,
                        "message": " ".join(error.messages),
                        "code": error.code or "invalid",
                    }
                )
    else:
        for error in exc.error_list:
            out.append(
                {"field": "", "message": " ".join(error.messages), "code": error.code or "invalid"}
            )
    return out


@_handles(ValidationError)
def _django_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    return error_response(
        request,
        status=422,
        code="validation_error",
        message=_("The data sent is not valid."),
        errors=validation_errors(exc),
    )


#: Pydantic's messages for the checks a client most often trips, in plain words.
_SCHEMA_MESSAGES = {
    "extra_forbidden": _("This operation does not take this field."),
    "missing": _("This field is required."),
    "enum": _("Not one of the allowed codes (the documentation lists them)."),
    "literal_error": _("Not one of the allowed codes (the documentation lists them)."),
    "date_from_datetime_parsing": _("Give a date as YYYY-MM-DD."),
    "date_parsing": _("Give a date as YYYY-MM-DD."),
    "date_type": _("Give a date as YYYY-MM-DD."),
    "int_parsing": _("Give a whole number."),
    "int_type": _("Give a whole number."),
    "decimal_parsing": _("Give a number."),
    "string_type": _("Give text."),
    "bool_type": _("Give true or false."),
    "bool_parsing": _("Give true or false."),
    "list_type": _("Give a list."),
    "model_attributes_type": _("Give an object."),
    "dict_type": _("Give an object."),
    "json_invalid": _("The body is not valid JSON."),
}


_SOURCES = {"body", "query", "path", "form", "file", "header", "cookie"}


def _field_of(loc: list[Any]) -> list[str]:
    """The field a ninja error names, as the client sent it: ninja's ``loc`` is the source,
    then (for a body) the view's parameter, then the path inside it, so a field that is itself
    called ``body`` or ``file`` keeps its name."""
    if loc and loc[0] in _SOURCES:
        source, loc = loc[0], loc[1:]
        if source == "body" and len(loc) > 1:
            loc = loc[1:]  # the view's parameter name (``payload``)
    return [str(p) for p in loc]


@_handles(NinjaValidationError)
def _schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    unknown_only = True
    for err in exc.errors:
        loc = _field_of(list(err.get("loc", [])))
        kind = str(err.get("type", "invalid"))
        unknown_only = unknown_only and kind == "extra_forbidden"
        message = _SCHEMA_MESSAGES.get(kind)
        errors.append(
            {
                "field": ".".join(loc),
                "message": str(message) if message else str(err.get("msg", "")),
                "code": kind,
            }
        )
    if unknown_only and errors:
        return error_response(
            request,
            status=422,
            code="unknown_field",
            message=_("Unknown field(s): %(fields)s. Nothing was changed.")
            % {"fields": ", ".join(e["field"] for e in errors)},
            errors=errors,
        )
    return error_response(
        request,
        status=422,
        code="validation_error",
        message=_("The data sent is not valid. Nothing was changed."),
        errors=errors,
    )


@_handles(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(
        request, status=404, code="not_found", message=_("Nothing was found at this address.")
    )


@_handles(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    code = getattr(exc, "code", None) or "permission_denied"
    return error_response(
        request,
        status=403,
        code=code,
        message=str(exc) or _("You do not have permission to do this."),
    )


@_handles(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    status = getattr(exc, "status_code", 401)
    message = exc.message if exc.message and exc.message != "Unauthorized" else ""
    if status == 401:
        return error_response(
            request,
            status=401,
            code="not_authenticated",
            message=message or _("Log in or send a valid API token."),
            headers={"WWW-Authenticate": 'Bearer realm="Kraftsenter API"'},
        )
    return error_response(
        request,
        status=status,
        code="csrf_failed",
        message=message or _("The CSRF token is missing or wrong."),
    )


@_handles(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
    if request.headers.get("If-Match"):
        return error_response(
            request,
            status=412,
            code="precondition_failed",
            message=_(
                "The record has been changed since the version in If-Match (%(sent)s). "
                "Fetch it again and reapply your change."
            )
            % {"sent": exc.sent_version},
            current_version=exc.current_version,
        )
    return error_response(
        request,
        status=409,
        code="version_conflict",
        message=_(
            "The record has been changed by someone else since version %(sent)s. "
            "Fetch it again and reapply your change."
        )
        % {"sent": exc.sent_version},
        current_version=exc.current_version,
    )


_HTTP_CODES = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    415: "unsupported_media_type",
    429: "too_many_requests",
}


@_handles(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    code = _HTTP_CODES.get(exc.status_code, "bad_request")
    if isinstance(exc, Throttled):
        wait = max(1, math.ceil(exc.wait or 1))
        return error_response(
            request,
            status=429,
            code=code,
            message=_("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    return error_response(request, status=exc.status_code, code=code, message=str(exc))


class PageQuery(Schema):
    """The query parameters of every list: the page and its size.

    :func:`filter_query_schema` adds a FilterSet's filters to them. A register's API module
    names the generated schema for the type checker as this class (it is made at run time)::

        if TYPE_CHECKING:
            OrganisationQuery = PageQuery
        else:
            OrganisationQuery = filter_query_schema(OrganisationFilter, "OrganisationQuery")
    """

    page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def ordering_fields(filterset_class: type[FilterSet]) -> tuple[str, ...]:
    """The fields a list may be ordered by: the FilterSet's ``ordering_fields``, else its
    model's ``updated_at`` and ``created_at``."""
    declared = getattr(filterset_class, "ordering_fields", None)
    if declared is not None:
        return tuple(declared)
    model = filterset_class._meta.model
    names = {f.name for f in model._meta.get_fields()}
    return tuple(n for n in ("updated_at", "created_at") if n in names)


def _has_updated_at(filterset_class: type[FilterSet]) -> bool:
    model = filterset_class._meta.model
    return any(f.name == "updated_at" for f in model._meta.get_fields())


def filter_query_schema(filterset_class: type[FilterSet], name: str) -> type[PageQuery]:
    """A query-parameter schema (for the OpenAPI docs) generated from a FilterSet, with
    ``ordering`` (the allowed fields as an enum, ``-`` for descending) and, for records,
    ``updated_after``.

    The FilterSet itself validates the values, so pages and API share one filter definition.
    """
    fields: dict[str, Any] = {}
    for field_name, flt in filterset_class.base_filters.items():
        description = str(flt.extra.get("help_text") or flt.label or field_name)
        choices = flt.extra.get("choices")
        kind: Any = _FILTER_TYPES.get(type(flt).__name__, str)
        if choices and not callable(choices):
            codes = [str(c[0]) for c in choices if c[0] not in ("", None)]
            kind = Annotated[str, CodeList(codes)]
        fields[field_name] = (
            Annotated[kind | None, BeforeValidator(_blank_is_none)],
            Field(None, description=description),
        )
    allowed = ordering_fields(filterset_class)
    if allowed:
        values = [v for f in allowed for v in (f, f"-{f}")]
        fields["ordering"] = (
            Annotated[str, CodeList(values)] | None,
            Field(None, description="Order by this field; `-` before it for descending."),
        )
    if _has_updated_at(filterset_class):
        fields["updated_after"] = (
            dt.datetime | None,
            Field(
                None,
                description="Only records changed after this time (ISO 8601), to poll for "
                "changes; see also `/api/v1/changes`.",
            ),
        )
    return create_model(name, __base__=PageQuery, **fields)


class CodeList(CodeOf):
    """Like :class:`CodeOf`, for a plain list of codes."""

    def __init__(self, codes: Sequence[str]) -> None:
        self.codes = list(codes)

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.literal_schema(self.codes)


# The filter classes whose values have a type of their own in OpenAPI (`format: date`, a
# number, a boolean); the FilterSet validates the value again, so pages and API agree.
_FILTER_TYPES: dict[str, Any] = {
    "DateFilter": dt.date,
    "NumberFilter": Decimal,
    "BooleanFilter": Annotated[str, CodeList(["true", "false"])],
}


def _blank_is_none(value: Any) -> Any:
    """An empty filter (``?due_after=``, as a page's form sends it) is no filter."""
    return None if value == "" else value


def apply_filters(
    request: HttpRequest,
    filterset_class: type[FilterSet],
    queryset: QuerySet[M] | None = None,
    *,
    base_for: Callable[..., QuerySet[M]] | None = None,
    user: Any = None,
    base_args: tuple[Any, ...] = (),
    key: str = "",
) -> Any:
    """Filter a queryset with the FilterSet, then order it (``ordering``) and keep what
    changed after ``updated_after``; invalid values raise ValidationError (422).

    With ``base_for`` (the register's base queryset for a user and ``base_args``, as
    :meth:`~.filtering.FilterSet.kept_list` takes it; ``key`` names the list) instead of
    ``queryset``, the list is a :class:`~.kept.KeptList` when its filters allow
    (:func:`paginate` reads it), else ``base_for(user, *base_args)`` filtered."""
    params = request.GET.copy()
    ordering = params.pop("ordering", [None])[-1]
    updated_after = params.pop("updated_after", [None])[-1]
    kept = base_for is not None
    filterset = filterset_class(params, queryset=None if kept else queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError({k: v for k, v in filterset.errors.items()})
    errors: dict[str, str] = {}
    when = None
    if updated_after:
        when = parse_datetime(updated_after) if isinstance(updated_after, str) else None
        if when is None or not _has_updated_at(filterset_class):
            errors["updated_after"] = _("Give a time as ISO 8601, e.g. 2026-01-31T12:00:00Z.")
        elif timezone.is_naive(when):
            when = timezone.make_aware(when)
    if ordering:
        allowed = ordering_fields(filterset_class)
        if ordering.lstrip("-") not in allowed:
            errors["ordering"] = _("Order by one of: %(fields)s (with - for descending).") % {
                "fields": ", ".join(allowed)
            }
    if errors:
        raise ValidationError(errors)
    if base_for is not None:
        if when is None:
            found = filterset.kept_list(key, base_for, user, base_args=base_args, ordering=ordering)
            if found is not None:
                return found
        filterset.queryset = base_for(user, *base_args)
    filtered: QuerySet[M] = filterset.qs
    if when is not None:
        filtered = filtered.filter(updated_at__gt=when)
    if ordering:
        filtered = filtered.order_by(ordering, "pk")
    return filtered


def page_schema(item: type[Schema]) -> type[Schema]:
    items: Any = types.GenericAlias(list, (item,))  # list[item], made at run time
    return create_model(
        f"{item.__name__}Page",
        __base__=Schema,
        count=(int, ...),
        page=(int, ...),
        page_size=(int, ...),
        next=(str | None, None),
        previous=(str | None, None),
        items=(items, ...),
    )


def paginate(
    request: HttpRequest, queryset: QuerySet[Any] | Sequence[Any], *, page: int, page_size: int
) -> dict[str, Any]:
    """One page of a list. A page number past the end is 404 (an empty list has one, empty,
    page); the page's newest change becomes
    its ``Last-Modified`` (the ``ETag`` is the body's, so a client can ask ``If-None-Match``)."""
    # The query schema (PageQuery) bounds both; this guards an operation that takes them bare.
    errors = {}
    if not 1 <= page <= MAX_PAGE:
        errors["page"] = _("Give a page number from 1 to %(max)s.") % {"max": MAX_PAGE}
    if not 1 <= page_size <= MAX_PAGE_SIZE:
        errors["page_size"] = _("Give a page size from 1 to %(max)s.") % {"max": MAX_PAGE_SIZE}
    if errors:
        raise ValidationError(errors)
    start = (page - 1) * page_size
    items, total = paging.page_with_count(queryset, start, start + page_size)
    if total is not None:  # read with the page (core.paging.count_with_page)
        count = total
    elif len(items) < page_size and (items or page == 1):
        # The last page: its rows give the count (core.paging; a filtered list's count cost
        # as much as its page at national scale).
        count = start + len(items)
    else:
        count = paging.count(queryset) if isinstance(queryset, QuerySet) else len(queryset)
    pages = max(1, math.ceil(count / page_size))
    if page > pages:
        raise Http404
    changed = [i.updated_at for i in items if getattr(i, "updated_at", None) is not None]
    if changed:
        cast(Any, request).ks_last_modified = max(changed)

    def link(number: int) -> str:
        params = request.GET.copy()
        params["page"] = str(number)
        return request.build_absolute_uri(f"{request.path}?{params.urlencode()}")

    return {
        "count": count,
        "page": page,
        "page_size": page_size,
        "next": link(page + 1) if page < pages else None,
        "previous": link(page - 1) if page > 1 else None,
        "items": items,
    }


#: Off in tests that compare :func:`page_response` with ninja's own validation of the page.
DIRECT_ITEMS = True


def json_response(body: Any, status: int = 200) -> HttpResponse:
    """A body written as ninja's JSON renderer writes it (:mod:`.encoding`, its content type)."""
    return HttpResponse(
        encode_json(body),
        status=status,
        content_type="application/json; charset=utf-8",
    )


def page_response(request: HttpRequest, page: dict[str, Any], item: type[Schema]) -> Any:
    """A page from :func:`paginate` answered as ``page_schema(item)`` would answer it, the
    items dumped directly (:mod:`.schema_dump`) instead of validated one by one by ninja."""
    if not DIRECT_ITEMS:
        return page
    context = {"request": request, "response_status": 200}
    return json_response({**page, "items": schema_dump.dump(item, page["items"], context)})


def record_response(
    request: HttpRequest, response: HttpResponse, obj: Any, schema: type[Schema], status: int = 200
) -> Any:
    """One record answered as ``schema`` would answer it (the status, the body, and the
    headers the route set on ``response``: ``ETag``, ``Location`` …), dumped directly
    (:mod:`.schema_dump`): a cooperation with 15 participants went through ninja's getter
    and validation field by field once more after the service had built it."""
    if not DIRECT_ITEMS:
        return obj if status == 200 else Status(status, obj)
    context = {"request": request, "response_status": status}
    answer = json_response(schema_dump.dump(schema, [obj], context)[0], status)
    for header, value in response.items():
        answer[header] = value
    return answer


class ChangeRecordOut(Schema):
    """One entry of a record's history: the full before and after, referring to places and
    organisations by their public identifiers (municipality number, organisation number)."""

    id: int
    action: str
    time: str
    actor: str
    actor_organisation: dict[str, Any] | None = Field(
        None, description="The organisation the actor acted for: id, organisation number, name."
    )
    request_id: str
    reason: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @staticmethod
    def resolve_time(obj: ChangeRecord) -> str:
        return obj.created_at.isoformat()

    @staticmethod
    def resolve_actor(obj: ChangeRecord) -> str:
        return obj.actor_name

    @staticmethod
    def resolve_actor_organisation(obj: ChangeRecord) -> dict[str, Any] | None:
        from .history import ref

        return ref(obj.actor_organisation) if obj.actor_organisation_id else None


class VersionIn(StrictSchema):
    """Archive or restore: the version the change is based on (or send ``If-Match``), and an
    optional reason."""

    model_config = request_example(
        {"version": 4, "reason": "Samarbeidet er avsluttet og erstattet av regionrådet."}
    )

    version: int | None = Field(None, description="The version you saw (or send If-Match).")
    reason: str = ""


def resolve_refs(data: dict[str, Any], refs: dict[str, Callable[[Any], Any]]) -> dict[str, Any]:
    """Replace each identifier in a request's ``data`` with its record, for the keys present
    (``refs`` maps a field to its lookup, which raises ValidationError naming the field)."""
    for key, lookup in refs.items():
        if key in data:
            data[key] = lookup(data[key])
    return data


def refuse_null(data: dict[str, Any], model: type[Model], *always: str) -> dict[str, Any]:
    """A change's ``null`` only where the field can be empty: ``null`` for a field that must
    have a value (a title, a status, a list such as ``parties``) is a 422 naming the field,
    never "unchanged". ``always`` names fields of the request that are not model fields."""
    errors: dict[str, ValidationError] = {}
    for name, value in data.items():
        if value is not None or name in ("version", "reason"):
            continue
        if name in always:
            nullable = False
        else:
            try:
                nullable = bool(getattr(model._meta.get_field(name), "null", True))
            except FieldDoesNotExist:
                nullable = True
        if not nullable:
            errors[name] = ValidationError(
                _("This field cannot be null: send a value, or leave it out."), code="null"
            )
    if errors:
        raise ValidationError(errors)
    return data


def require_user(request: HttpRequest) -> Any:
    """The calling user for a write; 401 in the shared shape when anonymous."""
    user = getattr(request, "auth", None)
    if user is None or not user.is_authenticated:
        raise AuthenticationError(401, _("Log in or send a valid API token."))
    return user


def history_response(request: HttpRequest, obj: Model, *, page: int, page_size: int) -> Any:
    from .timeline import visible_changes

    changes = visible_changes(obj, user=auth_user(request), limit=10_000)
    page_of = paginate(request, changes, page=page, page_size=page_size)
    return page_response(request, page_of, ChangeRecordOut)


def etag(obj: Any) -> str:
    """A record's entity tag: its version and its newest change, its parts' included
    (``"7-1234"``). It changes when the record or any of its parts changes, so ``If-None-Match``
    never answers 304 for a representation whose goals or members changed.

    The newest change is read once per instance, and not at all for the instance a service has
    just changed (``core.history.record_change`` leaves its id there). Should a part change
    in between, the tag names an older change than the newest: a client's next
    ``If-None-Match`` then fetches again, never gets a wrong 304."""
    from .history import NEWEST_CHANGE, newest_change_id

    newest = obj.__dict__.get(NEWEST_CHANGE)
    if newest is None:
        newest = newest_change_id(obj)
        obj.__dict__[NEWEST_CHANGE] = newest
    return f'"{obj.version}-{newest or 0}"'


def if_match_version(request: HttpRequest) -> int | None:
    """The version in an ``If-Match`` header: the record's ``ETag`` (``"7-1234"``, also weak)
    or its bare version (``"7"``, ``7``), or None. The version decides: a change to a part
    since the client's read does not refuse a change to the record's own fields."""
    raw = request.headers.get("If-Match", "").strip()
    if not raw or raw == "*":
        return None
    version = raw.removeprefix("W/").strip('"').split("-", 1)[0]
    if not (version.isascii() and version.isdigit()):
        raise ValidationError({"If-Match": _('Send the ETag of the record, e.g. "7-1234".')})
    return int(version)


def expected_version(request: HttpRequest, body_version: int | None) -> int:
    """The version a change is based on: ``If-Match`` or the body's ``version``."""
    header = if_match_version(request)
    if header is not None:
        return header
    if body_version is None:
        raise ValidationError(
            {
                "version": _(
                    "Send the version the change is based on: in the body as version, or as "
                    "the If-Match header (the record's ETag)."
                )
            }
        )
    return body_version


def record_headers(response: HttpResponse, obj: Any) -> None:
    """``ETag`` (version and newest change) and ``Last-Modified`` of one record."""
    response["ETag"] = etag(obj)
    if getattr(obj, "updated_at", None) is not None:
        response["Last-Modified"] = http_date(obj.updated_at.timestamp())


def created(
    request: HttpRequest,
    response: HttpResponse,
    obj: Any,
    path: str = "",
    schema: type[Schema] | None = None,
) -> Any:
    """A 201 with ``Location`` (the record's API address) and its ``ETag``; with ``schema``,
    the body dumped directly (:func:`record_response`)."""
    where = path or f"{request.path.rstrip('/')}/{obj.pk}"
    response["Location"] = request.build_absolute_uri(where)
    record_headers(response, obj)
    if schema is not None:
        return record_response(request, response, obj, schema, status=201)
    return Status(201, obj)


def absolute_url(obj: Any, context: Any) -> str:
    """A record's page as an absolute address (for a schema's ``resolve_url``)."""
    request = (context or {}).get("request")
    url = obj.get_absolute_url()
    return request.build_absolute_uri(url) if request is not None else url


def not_modified(request: HttpRequest, obj: Any) -> HttpResponse | None:
    """304 when the client's ``If-None-Match`` names the record's current entity tag."""
    tags = [t.strip() for t in request.headers.get("If-None-Match", "").split(",")]
    current = etag(obj)
    if current in tags or f"W/{current}" in tags or "*" in tags:
        response = HttpResponse(status=304)
        record_headers(response, obj)
        return response
    return None


RESPONSES = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    412: ErrorOut,
    422: ErrorOut,
}


def add_record_routes(
    router: Router,
    *,
    path: str,
    noun: str,
    label: str,
    schema: type[Schema],
    get: Callable[..., Any],
    object_name: str,
    patch: tuple[type[Schema], Callable[..., Any]] | None = None,
    archive: Callable[..., Any] | None = None,
    restore: Callable[..., Any] | None = None,
    read_description: str = "",
    patch_description: str = "",
    locate: Callable[..., Any] | None = None,
    update_answers: bool = False,
) -> None:
    """The routes every register shares, the same everywhere:

    * ``GET {path}/{id}`` — the record, with ``ETag`` (its version) and ``Last-Modified``;
      ``If-None-Match`` answers 304;
    * ``PATCH {path}/{id}`` — change fields: ``patch = (Schema, update)`` where
      ``update(user=…, record=…, data=…, expected_version=…, reason=…)`` calls the register's
      one service; the version comes from ``If-Match`` or the body (412 or 409 when stale);
    * ``POST {path}/{id}/archive`` and ``/restore``, and ``GET {path}/{id}/history``.

    ``get(user=…, pk=…)`` is the register's selector (404 for what the caller may not see).
    ``locate(user=…, pk=…)``, where given, finds the record a change starts from: the same 404
    for what the caller may not see, without the parts ``get`` loads for the answer. The
    services lock and read the row again, so a full ``get`` before a change was wasted work
    (a third of a cooperation's PATCH, issue 14). Without it, ``get`` is used.
    ``update_answers``: the PATCH's ``update`` returns the changed record with everything
    ``schema`` shows (what ``get`` gives), built from what its service read and wrote in its
    transaction; that is the answer, instead of ``get`` reading it all again.
    """
    find = locate or get

    def read(request: HttpRequest, id: int, response: HttpResponse) -> Any:
        record = get(user=auth_user(request), pk=id)
        unchanged = not_modified(request, record)
        if unchanged is not None:
            return unchanged
        record_headers(response, record)
        return record

    router.get(
        f"{path}/{{id}}",
        response={200: schema, 304: None, 404: ErrorOut},
        summary=f"Read {label}",
        description=read_description
        or f"One {noun} by its id, with `ETag` (its version) for `If-None-Match` and `If-Match`.",
        operation_id=f"get_{noun}",
    )(read)

    if patch is not None:
        patch_schema, update = patch

        def change_fields(
            request: HttpRequest,
            id: int,
            payload: Schema,
            response: HttpResponse,
        ) -> Any:
            user = require_user(request)
            record = find(user=user, pk=id)
            data = payload.dict(exclude_unset=True)
            version = expected_version(request, data.pop("version", None))
            reason = data.pop("reason", "") or ""
            changed = update(
                user=user, record=record, data=data, expected_version=version, reason=reason
            )
            fresh = changed if update_answers else get(user=user, pk=id)
            record_headers(response, fresh)
            return record_response(request, response, fresh, schema)

        # The annotations are strings here (``from __future__``): name the body's schema.
        change_fields.__annotations__ = {
            **change_fields.__annotations__,
            "payload": patch_schema,
            "request": HttpRequest,
            "id": int,
            "response": HttpResponse,
        }
        router.patch(
            f"{path}/{{id}}",
            response={200: schema, **RESPONSES},
            summary=f"Change {label}",
            description=patch_description
            or "Send only the fields to change, and the version the change is based on (in the "
            "body or as `If-Match`). Unknown fields are refused. A change that changes nothing "
            "writes nothing.",
            operation_id=f"update_{noun}",
        )(change_fields)

    def change(service: Callable[..., Any]) -> Callable[..., Any]:
        def endpoint(
            request: HttpRequest, id: int, payload: VersionIn, response: HttpResponse
        ) -> Any:
            user = require_user(request)
            record = find(user=user, pk=id)
            service(
                actor=user,
                **{object_name: record},
                expected_version=expected_version(request, payload.version),
                reason=payload.reason,
            )
            fresh = get(user=user, pk=id)
            record_headers(response, fresh)
            return fresh

        return endpoint

    if archive is not None:
        router.post(
            f"{path}/{{id}}/archive",
            response={200: schema, **RESPONSES},
            summary=f"Archive {label}",
            description="The record is hidden from lists but kept with its history, and can be "
            "restored. Nothing is deleted.",
            operation_id=f"archive_{noun}",
        )(change(archive))
    if restore is not None:
        router.post(
            f"{path}/{{id}}/restore",
            response={200: schema, **RESPONSES},
            summary=f"Restore an archived {noun}",
            description="The record is active again and shown in lists.",
            operation_id=f"restore_{noun}",
        )(change(restore))

    def history(request: HttpRequest, id: int, params: Query[PageQuery]) -> Any:
        return history_response(
            request,
            get(user=auth_user(request), pk=id),
            page=params.page,
            page_size=params.page_size,
        )

    router.get(
        f"{path}/{{id}}/history",
        response={200: page_schema(ChangeRecordOut), 404: ErrorOut, 422: ErrorOut},
        summary=f"The change history of {label}",
        description="Newest first, with the changes to its parts; the full before and after of "
        "each change.",
        operation_id=f"{noun}_history",
    )(history)
