"""Every list endpoint answers exactly what ninja's own validation of its schema would answer
(``core.api.page_response`` dumps the items directly, ``core.schema_dump``): the same keys in
the same order, the same values, for an administrator and an anonymous reader, on the demo
content's registers."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder

from kraftsenter.core import api as core_api
from kraftsenter.core import schema_dump
from kraftsenter.demo.loader import load_demo_content

pytestmark = pytest.mark.django_db

#: The registers' own lists, and the lists under a record (filled from the first ones).
LISTS = [
    "/api/v1/counties",
    "/api/v1/municipalities",
    "/api/v1/municipalities?county=34&page_size=2&page=2",
    "/api/v1/regions",
    "/api/v1/organisations",
    "/api/v1/organisations?q=kommune",
    "/api/v1/cooperations",
    "/api/v1/scenarios",
    "/api/v1/plans",
    "/api/v1/partnerships",
    "/api/v1/agreements",
    "/api/v1/commitments",
    "/api/v1/consultations",
    "/api/v1/ownership-interests",
    "/api/v1/ownership-statements",
]
PARAMETER = re.compile(r"\{[^}]+\}")


def _both(client, url: str, monkeypatch) -> tuple[Any, Any]:
    direct = client.get(url)
    monkeypatch.setattr(core_api, "DIRECT_ITEMS", False)
    try:
        validated = client.get(url)
    finally:
        monkeypatch.setattr(core_api, "DIRECT_ITEMS", True)
    assert direct.status_code == validated.status_code == 200, (url, direct.content[:300])
    assert direct["Content-Type"] == validated["Content-Type"]
    # Byte for byte: keys in the same order, numbers and dates written the same way.
    assert direct.content == validated.content, url
    return direct.json(), validated.json()


def _page_operations(client) -> set[str]:
    """The API's GET operations that answer a page (``...Page`` schemas)."""
    schema = client.get("/api/v1/openapi.json").json()
    found = set()
    for path, item in schema["paths"].items():
        response = (item.get("get") or {}).get("responses", {}).get("200", {})
        ref = response.get("content", {}).get("application/json", {}).get("schema", {})
        if ref.get("$ref", "").endswith("Page"):
            found.add(path)
    return found


def _scenarios() -> None:
    """The demo has no climate scenarios: two, for Hamar and Stange."""
    from kraftsenter.actors.models import Organisation
    from kraftsenter.knowledge.models import EmissionFigure
    from kraftsenter.knowledge.services import scenario_create
    from kraftsenter.places.models import Municipality

    for number, cut in (("3403", "50"), ("3413", "35.5")):
        municipality = Municipality.objects.get(number=number, valid_to__isnull=True)
        EmissionFigure.objects.get_or_create(
            municipality=municipality,
            year=2020,
            sector="Industri",
            source="Alle",
            defaults={"tonnes_co2e": 1000.0},
        )
        scenario_create(
            actor="t",
            name=f"{municipality.name} 2030",
            municipality=municipality,
            owner=Organisation.objects.filter(municipality=municipality).first(),
            base_year=2020,
            target_cut_percent=Decimal(cut),
        )


@pytest.mark.parametrize("who", ["admin", None])
def test_every_list_answers_what_ninja_would(client, builtin_places, monkeypatch, who):
    load_demo_content(say=lambda s: None)
    _scenarios()
    if who:
        client.force_login(get_user_model().objects.get(username=who))
    urls = list(LISTS)
    compared: dict[str, int] = {}
    first_ids: dict[str, list[int]] = {}
    for url in urls:
        direct, _validated = _both(client, url, monkeypatch)
        compared[url] = len(direct["items"])
        first_ids[url.split("?")[0]] = [item["id"] for item in direct["items"] if "id" in item]
    # The lists under a record, and each record's history.
    nested = []
    for path in sorted(_page_operations(client)):
        if "{" not in path:
            continue
        if path.startswith("/api/v1/municipalities/"):
            nested.append(path.replace("{number}", "3403"))
            continue
        owner = PARAMETER.split(path)[0].rstrip("/")
        for pk in first_ids.get(owner, [])[:2]:
            nested.append(PARAMETER.sub(str(pk), path, count=1))
    for url in nested:
        if "{report_id}" in url:
            reports = client.get(url.split("/reports/")[0] + "/reports").json()["items"]
            if not reports:
                continue
            url = url.replace("{report_id}", str(reports[0]["id"]))
        direct, _validated = _both(client, url, monkeypatch)
        compared[url] = len(direct["items"])
    # Every kind of list was compared, most with more than one item.
    paths = {PARAMETER.sub("{}", re.sub(r"/\d+", "/{}", u.split("?")[0])) for u in compared}
    expected = {PARAMETER.sub("{}", p) for p in _page_operations(client)}
    assert expected <= paths, (expected - paths, compared)
    several = [u for u, n in compared.items() if n >= 2]
    assert len(several) >= len(LISTS) - 2, compared


class _Inner(Schema):
    code: str
    share: float | None = None


class _Outer(Schema):
    name: str
    label: str
    amount: Decimal
    ratio: float
    when: dt.date | None = None
    tags: list[str] = Field(default_factory=list)
    inner: list[_Inner]
    url: str

    @staticmethod
    def resolve_label(obj: Any) -> str:
        return str(gettext_lazy("Municipality"))

    @staticmethod
    def resolve_url(obj: Any, context: Any) -> str:
        return f"{context['request']}/{obj.name}"


class _Row:
    def __init__(self, name: str, amount: str, inner: list[dict[str, Any]]) -> None:
        self.name, self.amount, self.ratio, self.inner = (
            name,
            Decimal(amount),
            Decimal(amount),
            inner,
        )


def test_the_dump_converts_what_pydantic_converts():
    rows = [
        _Row("Hamar", "1.50", [{"code": "a", "share": Decimal("0.25")}, {"code": "b"}]),
        _Row("Stange", "2", [{"code": "c", "share": 3}, {"code": "d", "share": True}]),
    ]
    context = {"request": "https://example.test"}
    expected = [_Outer.model_validate(r, context=context).model_dump() for r in rows]
    dumped = schema_dump.dump(_Outer, rows, context)
    # As the client reads it: Decimal("1.50") == 1.5 in Python, but not in JSON.
    as_json = json.dumps(dumped, cls=NinjaJSONEncoder)
    assert as_json == json.dumps(expected, cls=NinjaJSONEncoder)
    assert '"ratio": 1.5,' in as_json and '"amount": "1.50",' in as_json
    assert '"share": 3.0}' in as_json and '"share": 1.0}' in as_json  # an int in a float field


def test_a_missing_required_value_is_an_error_not_a_silent_gap():
    class _Bare:
        name = "x"

    with pytest.raises(AttributeError, match="amount"):
        schema_dump.dump(_Outer, [_Bare()], {"request": ""})


def test_every_output_schema_of_the_api_can_be_dumped_directly():
    """A schema the direct dump cannot follow (an alias, a union of schemas) fails here, not
    as a server error on a user's change."""
    import config.api  # noqa: F401 - every router's schemas

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [s for s in set(subclasses(Schema)) if s.__module__.startswith("kraftsenter.")]
    outs = [s for s in ours if s.__name__.endswith("Out") and ".tests" not in s.__module__]
    assert len(outs) > 30
    for schema in outs:
        schema_dump._plan(schema)


def _patch_operations(client) -> list[str]:
    schema = client.get("/api/v1/openapi.json").json()
    return sorted(
        path
        for path, item in schema["paths"].items()
        if "patch" in item and path.count("{") == 1 and path.endswith("/{id}")
    )


def test_every_change_answers_what_ninja_would(client, builtin_places, monkeypatch):
    """Each register's PATCH (a change of nothing but the reason, so that both answers are of
    the same record) answers byte for byte what ninja's validation of its schema gives."""
    load_demo_content(say=lambda s: None)
    _scenarios()
    admin = get_user_model().objects.get(username="admin")
    client.force_login(admin)
    from kraftsenter.accounts.tokens import token_create

    _token, text = token_create(actor=admin, user=admin, name="dump", days=1)
    headers = {"Authorization": f"Bearer {text}"}
    compared = []
    for path in _patch_operations(client):
        listing = client.get(path.removesuffix("/{id}")).json()
        if not listing.get("items"):
            continue
        pk = listing["items"][-1]["id"]
        url = path.replace("{id}", str(pk))
        answers = []
        for direct in (True, False):
            monkeypatch.setattr(core_api, "DIRECT_ITEMS", direct)
            version = client.get(url).json()["version"]
            answer = client.patch(
                url, {"version": version}, content_type="application/json", headers=headers
            )
            assert answer.status_code == 200, (url, answer.content[:300])
            answers.append(answer)
        monkeypatch.setattr(core_api, "DIRECT_ITEMS", True)
        assert answers[0].content == answers[1].content, url
        assert answers[0]["ETag"] == answers[1]["ETag"], url
        compared.append(url)
    assert len(compared) >= 8, compared


def test_registering_a_cooperation_answers_what_ninja_would(client, builtin_places, monkeypatch):
    load_demo_content(say=lambda s: None)
    admin = get_user_model().objects.get(username="admin")
    from kraftsenter.accounts.tokens import token_create
    from kraftsenter.actors.models import Organisation

    _token, text = token_create(actor=admin, user=admin, name="dump", days=1)
    headers = {"Authorization": f"Bearer {text}"}
    municipalities = list(
        Organisation.objects.filter(kind="municipality").order_by("pk").values_list("pk", flat=True)
    )[:3]
    bodies = []
    for n, direct in enumerate((True, False)):
        monkeypatch.setattr(core_api, "DIRECT_ITEMS", direct)
        answer = client.post(
            "/api/v1/cooperations",
            {
                "name": f"Planlegging IPR {n + 1}",
                "legal_form": "ipr",
                "areas": ["planning", "ict"][: n + 1],
                "participants": [
                    {"organisation": pk, "ownership_share": share}
                    for pk, share in zip(municipalities, ("50", "30", "20"), strict=True)
                ],
                "host": municipalities[0],
                "start_date": "2026-01-01",
                "status": "planned",
            },
            content_type="application/json",
            headers=headers,
        )
        assert answer.status_code == 201, answer.content[:300]
        assert answer["Location"].endswith(f"/api/v1/cooperations/{answer.json()['id']}")
        body = answer.json()
        bodies.append({k: v for k, v in body.items() if k not in ("id", "url", "areas", "name")})
        assert body == client.get(answer["Location"]).json()
    assert bodies[0] == bodies[1]
