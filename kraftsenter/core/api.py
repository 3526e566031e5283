"""The API's shared conventions: one NinjaAPI, one error shape, one pagination, filter params.

Error shape (every 4xx from /api/v1)::

    {"status": 422, "code": "validation_error", "message": "…",
     "errors": [{"field": "county", "message": "…", "code": "invalid_choice"}]}

List shape::

    {"count": 357, "page": 1, "page_size": 50, "next": "…?page=2", "previous": null,
     "items": [...]}
"""

from __future__ import annotations

import math
import types
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TypeVar, cast

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django_filters import FilterSet
from ninja import NinjaAPI, Router, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field, create_model

from .exceptions import ConflictError

if TYPE_CHECKING:
    from .models import ChangeRecord

MAX_PAGE_SIZE = 200

M = TypeVar("M", bound=Model)
Handler = Callable[[HttpRequest, Any], HttpResponse]


class FieldErrorOut(Schema):
    field: str
    message: str
    code: str = "invalid"


class ErrorOut(Schema):
    status: int
    code: str
    message: str
    errors: list[FieldErrorOut] = []
    current_version: int | None = None


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
    message: str,
    errors: list[dict[str, str]] | None = None,
    **extra: Any,
) -> HttpResponse:
    body = {"status": status, "code": code, "message": message, "errors": errors or [], **extra}
    return JsonResponse(body, status=status)


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


@_handles(NinjaValidationError)
def _schema_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    errors = []
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", []) if p not in ("body", "query", "path", "payload")]
        errors.append(
            {
                "field": ".".join(loc),
                "message": err.get("msg", ""),
                "code": err.get("type", "invalid"),
            }
        )
    return error_response(
        request,
        status=422,
        code="validation_error",
        message=_("The data sent is not valid."),
        errors=errors,
    )


@_handles(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(
        request, status=404, code="not_found", message=_("Nothing was found at this address.")
    )


@_handles(PermissionDenied)
def _forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(
        request,
        status=403,
        code="permission_denied",
        message=str(exc) or _("You do not have permission to do this."),
    )


@_handles(AuthenticationError)
def _unauthorised(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    status = getattr(exc, "status_code", 401)
    message = exc.message if exc.message and exc.message != "Unauthorized" else ""
    return error_response(
        request,
        status=status,
        code="not_authenticated" if status == 401 else "csrf_failed",
        message=message or _("Log in or send a valid API token."),
    )


@_handles(ConflictError)
def _conflict(request: HttpRequest, exc: ConflictError) -> HttpResponse:
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


@_handles(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, status=exc.status_code, code="error", message=str(exc))


class PageQuery(Schema):
    """The query parameters of every list: the page and its size.

    :func:`filter_query_schema` adds a FilterSet's filters to them. A register's API module
    names the generated schema for the type checker as this class (it is made at run time)::

        if TYPE_CHECKING:
            OrganisationQuery = PageQuery
        else:
            OrganisationQuery = filter_query_schema(OrganisationFilter, "OrganisationQuery")
    """

    page: int = Field(1, ge=1, description="Page number, from 1.")
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE, description="Items per page.")


def filter_query_schema(filterset_class: type[FilterSet], name: str) -> type[PageQuery]:
    """A query-parameter schema (for the OpenAPI docs) generated from a FilterSet.

    The FilterSet itself validates the values, so pages and API share one filter definition.
    """
    fields: dict[str, Any] = {}
    for field_name, flt in filterset_class.base_filters.items():
        description = str(flt.extra.get("help_text") or flt.label or field_name)
        fields[field_name] = (str | None, Field(None, description=description))
    return create_model(name, __base__=PageQuery, **fields)


def apply_filters(
    request: HttpRequest, filterset_class: type[FilterSet], queryset: QuerySet[M]
) -> QuerySet[M]:
    """Filter a queryset with the FilterSet; invalid values raise ValidationError (422)."""
    filterset = filterset_class(request.GET, queryset=queryset, request=request)
    if not filterset.is_valid():
        raise ValidationError({k: v for k, v in filterset.errors.items()})
    filtered: QuerySet[M] = filterset.qs
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
    count = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
    pages = max(1, math.ceil(count / page_size))
    if page > pages and count:
        raise Http404
    start = (page - 1) * page_size
    items = list(queryset[start : start + page_size])

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


class ChangeRecordOut(Schema):
    """One entry of a record's history."""

    id: int
    action: str
    time: str
    actor: str
    actor_organisation: int | None = None
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
    def resolve_actor_organisation(obj: ChangeRecord) -> int | None:
        return obj.actor_organisation_id


class VersionIn(Schema):
    """Archive or restore: the version the change is based on, and an optional reason."""

    version: int
    reason: str = ""


def require_user(request: HttpRequest) -> Any:
    """The calling user for a write; 401 in the shared shape when anonymous."""
    user = getattr(request, "auth", None)
    if user is None or not user.is_authenticated:
        raise AuthenticationError(401, _("Log in or send a valid API token."))
    return user


def history_response(
    request: HttpRequest, obj: Model, *, page: int, page_size: int
) -> dict[str, Any]:
    from .timeline import visible_changes

    changes = visible_changes(obj, user=auth_user(request), limit=10_000)
    return paginate(request, changes, page=page, page_size=page_size)


def add_record_routes(
    router: Router,
    *,
    path: str,
    noun: str,
    label: str,
    schema: type[Schema],
    get: Callable[..., Any],
    object_name: str,
    archive: Callable[..., Any] | None = None,
    restore: Callable[..., Any] | None = None,
) -> None:
    """The archive, restore and history endpoints of one register, the same for every register.

    ``get(user=…, pk=…)`` is the register's selector (it applies the visibility rules);
    ``archive``/``restore`` are its services, called with ``object_name=record``.
    """
    responses = {
        200: schema,
        401: ErrorOut,
        403: ErrorOut,
        404: ErrorOut,
        409: ErrorOut,
        422: ErrorOut,
    }

    def change(service: Callable[..., Any]) -> Callable[..., Any]:
        def endpoint(request: HttpRequest, record_id: int, payload: VersionIn) -> Any:
            user = require_user(request)
            record = get(user=user, pk=record_id)
            service(
                actor=user,
                **{object_name: record},
                expected_version=payload.version,
                reason=payload.reason,
            )
            return get(user=user, pk=record_id)

        return endpoint

    if archive is not None:
        router.post(
            f"{path}/{{record_id}}/archive",
            response=responses,
            summary=f"Archive {label} (nothing is deleted)",
            operation_id=f"archive_{noun}",
        )(change(archive))
    if restore is not None:
        router.post(
            f"{path}/{{record_id}}/restore",
            response=responses,
            summary=f"Restore an archived {noun}",
            operation_id=f"restore_{noun}",
        )(change(restore))

    def history(
        request: HttpRequest, record_id: int, page: int = 1, page_size: int = 50
    ) -> dict[str, Any]:
        return history_response(
            request, get(user=auth_user(request), pk=record_id), page=page, page_size=page_size
        )

    router.get(
        f"{path}/{{record_id}}/history",
        response={200: page_schema(ChangeRecordOut), 404: ErrorOut},
        summary=f"The change history of {label}, newest first",
        operation_id=f"{noun}_history",
    )(history)
