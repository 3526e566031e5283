"""A small, strict reader for JSON-stat 2.0 datasets (the format SSB's PxWebApi v2 returns).

Pure Python, no pandas. :func:`parse_jsonstat2` checks the document's structure and raises
:class:`~kraftsenter.places.importers.base.ImportFailed` with one problem per defect, each naming
the JSON path of the defect (for example ``dimension.Region.category.index``). A parsed
:class:`JsonStatDataset` yields one flat row per cell::

    {"Region": "K-3103", "Tid": "2024", "value": 50123, "status": None}

The reader is generic: the population import uses it for table 07459, and the commuting and
employment imports can use it for tables 03321, 11618 and 13470.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from .imports import ImportFailed, Problem

Number = int | float
RESERVED_KEYS = ("value", "status")


@dataclass(frozen=True)
class Dimension:
    """One dimension: its codes in index order and a label for each."""

    id: str
    label: str
    codes: tuple[str, ...]
    labels: dict[str, str]

    @property
    def size(self) -> int:
        return len(self.codes)


@dataclass
class JsonStatDataset:
    """A checked JSON-stat 2.0 dataset."""

    source: str
    label: str
    dimensions: dict[str, Dimension]
    values: list[Number | None] | dict[int, Number | None]
    statuses: dict[int, str] = field(default_factory=dict)
    updated: str = ""

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(self.dimensions)

    @property
    def sizes(self) -> tuple[int, ...]:
        return tuple(d.size for d in self.dimensions.values())

    def __len__(self) -> int:
        return math.prod(self.sizes)

    def value_at(self, index: int) -> Number | None:
        if isinstance(self.values, dict):
            return self.values.get(index)
        return self.values[index]

    def rows(self) -> Iterator[dict[str, Any]]:
        """Every cell in storage order (last dimension varies fastest), missing cells as None."""
        ids = self.ids
        combos = itertools.product(*(d.codes for d in self.dimensions.values()))
        for index, codes in enumerate(combos):
            row: dict[str, Any] = dict(zip(ids, codes, strict=True))
            row["value"] = self.value_at(index)
            row["status"] = self.statuses.get(index)
            yield row

    def require(self, *dimension_ids: str) -> None:
        """Raise ImportFailed naming each dimension in ``dimension_ids`` the dataset lacks."""
        require_dimensions(self, dimension_ids)


def require_dimensions(dataset: JsonStatDataset, dimension_ids: Iterable[str]) -> None:
    """Raise ImportFailed with one problem per required dimension that is missing."""
    present = ", ".join(dataset.ids) or "—"
    problems = [
        Problem(
            dataset.source,
            None,
            f"dimension.{dim}",
            _("The dataset has no dimension “%(dim)s” (it has: %(present)s).")
            % {"dim": dim, "present": present},
        )
        for dim in dimension_ids
        if dim not in dataset.dimensions
    ]
    if problems:
        raise ImportFailed(problems)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _codes_in_order(index: Any) -> list[str] | None:
    """Codes in position order from a category index (a list, or an object of code → position)."""
    if isinstance(index, list) and all(isinstance(c, str) for c in index):
        return list(index)
    if isinstance(index, dict):
        positions = list(index.values())
        if all(isinstance(p, int) and not isinstance(p, bool) for p in positions) and sorted(
            positions
        ) == list(range(len(positions))):
            return sorted(index, key=index.__getitem__)
    return None


def _category(
    dim_id: str, dim: Any, size: int | None, source: str, problems: list[Problem]
) -> Dimension | None:
    where = f"dimension.{dim_id}"
    if not isinstance(dim, dict):
        problems.append(Problem(source, None, where, _("The dimension is missing.")))
        return None
    category = dim.get("category")
    if not isinstance(category, dict):
        problems.append(Problem(source, None, f"{where}.category", _("The category is missing.")))
        return None
    labels = category.get("label")
    if labels is not None and not isinstance(labels, dict):
        problems.append(
            Problem(
                source, None, f"{where}.category.label", _("Expected an object of code → label.")
            )
        )
        labels = None
    labels = labels or {}
    index = category.get("index")
    if index is None and len(labels) == 1:  # JSON-stat allows this for a single category
        index = list(labels)
    codes = _codes_in_order(index)
    if codes is None:
        message = (
            _("The category index is missing.")
            if index is None
            else _("Expected a list of codes or an object of code → position 0…n−1.")
        )
        problems.append(Problem(source, None, f"{where}.category.index", message))
        return None
    if len(set(codes)) != len(codes):
        problems.append(
            Problem(source, None, f"{where}.category.index", _("A code appears more than once."))
        )
        return None
    if size is not None and len(codes) != size:
        problems.append(
            Problem(
                source,
                None,
                f"{where}.category.index",
                _("The dimension has %(count)s categories but its size is %(size)s.")
                % {"count": len(codes), "size": size},
            )
        )
        return None
    raw_label = dim.get("label")
    label = raw_label if isinstance(raw_label, str) else dim_id
    return Dimension(
        id=dim_id, label=label, codes=tuple(codes), labels={c: str(labels.get(c, c)) for c in codes}
    )


def _values(
    raw: Any, total: int | None, source: str, problems: list[Problem]
) -> list[Number | None] | dict[int, Number | None]:
    if isinstance(raw, list):
        if total is not None and len(raw) != total:
            problems.append(
                Problem(
                    source,
                    None,
                    "value",
                    _("Expected %(total)s values (the product of the sizes), got %(count)s.")
                    % {"total": total, "count": len(raw)},
                )
            )
        bad = [i for i, v in enumerate(raw) if v is not None and not _is_number(v)]
        if bad:
            problems.append(
                Problem(
                    source,
                    None,
                    f"value[{bad[0]}]",
                    _("Expected a number or null, got “%(value)s”.") % {"value": raw[bad[0]]},
                )
            )
        return raw
    if isinstance(raw, dict):
        out: dict[int, Number | None] = {}
        for key, v in raw.items():
            position = int(key) if isinstance(key, str) and key.isascii() and key.isdigit() else -1
            if position < 0 or (total is not None and position >= total):
                problems.append(
                    Problem(
                        source,
                        None,
                        f"value.{key}",
                        _("“%(key)s” is not a cell position.") % {"key": key},
                    )
                )
            elif v is not None and not _is_number(v):
                problems.append(
                    Problem(
                        source,
                        None,
                        f"value.{key}",
                        _("Expected a number or null, got “%(value)s”.") % {"value": v},
                    )
                )
            else:
                out[position] = v
        return out
    problems.append(
        Problem(
            source, None, "value", _("Expected a list of values or an object of position → value.")
        )
    )
    return []


def _statuses(raw: Any, total: int | None, source: str, problems: list[Problem]) -> dict[int, str]:
    if raw is None:
        return {}
    if isinstance(raw, str):
        return dict.fromkeys(range(total or 0), raw)
    if isinstance(raw, list):
        return {i: s for i, s in enumerate(raw) if isinstance(s, str) and s}
    if isinstance(raw, dict):
        return {
            int(k): str(s)
            for k, s in raw.items()
            if isinstance(k, str) and k.isascii() and k.isdigit()
        }
    problems.append(
        Problem(
            source,
            None,
            "status",
            _("Expected a string, a list or an object of position → status."),
        )
    )
    return {}


def parse_jsonstat2(data: Any, *, source: str) -> JsonStatDataset:
    """Check a decoded JSON-stat 2.0 dataset and return it; raise ImportFailed on any defect."""
    if not isinstance(data, dict):
        raise ImportFailed([Problem(source, None, "", _("Expected a JSON-stat object."))])
    problems: list[Problem] = []
    if data.get("class") != "dataset":
        problems.append(
            Problem(
                source,
                None,
                "class",
                _("Expected class “dataset”, got “%(value)s”.") % {"value": data.get("class")},
            )
        )
    ids, sizes = data.get("id"), data.get("size")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        problems.append(Problem(source, None, "id", _("Expected a list of dimension ids.")))
        ids = None
    elif len(set(ids)) != len(ids) or set(ids) & set(RESERVED_KEYS):
        problems.append(
            Problem(
                source, None, "id", _("Dimension ids must be unique and not “value” or “status”.")
            )
        )
        ids = None
    if not isinstance(sizes, list) or not all(
        isinstance(s, int) and not isinstance(s, bool) and s >= 0 for s in sizes
    ):
        problems.append(Problem(source, None, "size", _("Expected a list of whole numbers.")))
        sizes = None
    if ids is not None and sizes is not None and len(ids) != len(sizes):
        problems.append(
            Problem(
                source,
                None,
                "size",
                _("There are %(ids)s dimension ids but %(sizes)s sizes.")
                % {"ids": len(ids), "sizes": len(sizes)},
            )
        )
        sizes = None
    raw_dimensions = data.get("dimension")
    if not isinstance(raw_dimensions, dict):
        problems.append(Problem(source, None, "dimension", _("The dimensions are missing.")))
        raw_dimensions = {}
    dimensions: dict[str, Dimension] = {}
    for position, dim_id in enumerate(ids or []):
        size = sizes[position] if sizes is not None else None
        dim = _category(dim_id, raw_dimensions.get(dim_id), size, source, problems)
        if dim is not None:
            dimensions[dim_id] = dim
    total = math.prod(sizes) if sizes is not None else None
    values = _values(data.get("value"), total, source, problems)
    statuses = _statuses(data.get("status"), total, source, problems)
    if problems:
        raise ImportFailed(problems)
    label = data.get("label")
    updated = data.get("updated")
    return JsonStatDataset(
        source=source,
        label=label if isinstance(label, str) else "",
        dimensions=dimensions,
        values=values,
        statuses=statuses,
        updated=updated if isinstance(updated, str) else "",
    )
