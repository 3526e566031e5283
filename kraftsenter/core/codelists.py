"""Code lists: every coded field's codes with their Norwegian and English labels.

Apps register their ``TextChoices`` in ``AppConfig.ready()``::

    register_code_list("legal-forms", LegalForm, description="…",
                       extra={"iks": {"enhetsregisteret_form": "IKS"}, …})

and the API serves them at ``/api/v1/code-lists`` and ``/api/v1/code-lists/{name}``; the same
codes are the ``enum`` of every field that takes them in the OpenAPI schema
(:class:`kraftsenter.core.api.CodeOf`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django.http import Http404, HttpRequest
from django.utils import translation
from ninja import Router, Schema
from pydantic import Field


@dataclass(frozen=True)
class CodeList:
    name: str
    choices: Any
    description: str
    extra: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


_LISTS: dict[str, CodeList] = {}


def register_code_list(
    name: str,
    choices: Any,
    *,
    description: str,
    extra: Mapping[str, Mapping[str, Any]] | None = None,
) -> None:
    unknown = set(extra or {}) - set(choices.values)
    if unknown:
        raise ValueError(f"Code list {name}: extra values for unknown codes {sorted(unknown)}")
    _LISTS[name] = CodeList(name, choices, description, extra or {})


def code_lists() -> list[CodeList]:
    return sorted(_LISTS.values(), key=lambda c: c.name)


class CodeOut(Schema):
    code: str
    label_nb: str = Field(description="The label in Norwegian bokmål.")
    label_en: str = Field(description="The label in English.")
    enhetsregisteret_form: str | None = Field(
        None,
        description="Enhetsregisteret's organisation-form code (KOMM, FYLK, IKS, AS, SA, STI, "
        "FLI …) where one form always applies; null where it varies.",
    )


class CodeListSummaryOut(Schema):
    name: str
    description: str
    count: int
    url: str


class CodeListOut(Schema):
    name: str
    description: str
    codes: list[CodeOut]


def _labels(entry: CodeList) -> list[dict[str, Any]]:
    out = []
    for value, label in entry.choices.choices:
        with translation.override("nb"):
            nb = str(label)
        with translation.override("en"):
            en = str(label)
        out.append({"code": value, "label_nb": nb, "label_en": en, **entry.extra.get(value, {})})
    return out


router = Router(tags=["code lists"])


@router.get(
    "/code-lists",
    response=list[CodeListSummaryOut],
    summary="The code lists",
    description="Every code list the API uses, with the address of its codes.",
    operation_id="list_code_lists",
)
def list_code_lists(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "description": c.description,
            "count": len(c.choices.values),
            "url": request.build_absolute_uri(f"{request.path.rstrip('/')}/{c.name}"),
        }
        for c in code_lists()
    ]


@router.get(
    "/code-lists/{name}",
    response={200: CodeListOut},
    summary="One code list",
    description="Each code with its Norwegian and English label (and, for organisation kinds "
    "and legal forms, Enhetsregisteret's organisation-form code).",
    operation_id="get_code_list",
)
def get_code_list(request: HttpRequest, name: str) -> dict[str, Any]:
    entry = _LISTS.get(name)
    if entry is None:
        raise Http404
    return {"name": entry.name, "description": entry.description, "codes": _labels(entry)}
