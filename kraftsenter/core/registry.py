"""The registers of the platform, announced by their apps so that ``core`` imports none of them.

Each domain app registers its record models in its ``AppConfig.ready()``::

    register(Cooperation, policy=COOPERATION_POLICY, actions=HistoryAction)

and may name the modules of its register contract tests in ``AppConfig.contract_modules``.
The history timeline, the change feed and the shared test suites read this registry; nothing
in ``core`` needs to know which registers exist.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Model

from .permissions import RecordPolicy


@dataclass(frozen=True)
class Register:
    """One register: its model, its policy, the labels of its history actions and its parts.

    ``part_visible(user, record, part)`` decides whether a change to one of the record's parts
    (a document, a protocol) may be shown to ``user`` in the record's timeline; by default
    every part of a record the user may see is shown.
    """

    model: type[Model]
    policy: RecordPolicy
    action_labels: Mapping[str, Any] = field(default_factory=dict)
    part_visible: Callable[[Any, Any, Any], bool] | None = None

    @property
    def name(self) -> str:
        return self.model._meta.model_name or ""


_REGISTERS: dict[type[Model], Register] = {}
_ACTION_LABELS: dict[str, Any] = {}


def register(
    model: type[Model],
    *,
    policy: RecordPolicy,
    actions: Iterable[tuple[str, Any]] | Any = (),
    part_visible: Callable[[Any, Any, Any], bool] | None = None,
) -> Register:
    """Announce a register. ``actions`` is a TextChoices class (or pairs) of history actions
    with their labels: ``("consultation.screened", _("Screening recorded"))``."""
    pairs = actions.choices if hasattr(actions, "choices") else list(actions)
    labels = dict(pairs)
    entry = Register(model=model, policy=policy, action_labels=labels, part_visible=part_visible)
    _REGISTERS[model] = entry
    _ACTION_LABELS.update(labels)
    return entry


def register_for(model_or_obj: Any) -> Register | None:
    # __class__, not type(): a lazy object (request.user) reports its wrapped class.
    model = model_or_obj if isinstance(model_or_obj, type) else model_or_obj.__class__
    meta = getattr(model, "_meta", None)
    if meta is None:
        return None
    return _REGISTERS.get(meta.concrete_model or model)


def registers() -> list[Register]:
    return list(_REGISTERS.values())


def action_label(action: str) -> Any:
    """The registered label of a history action, or None."""
    return _ACTION_LABELS.get(action)


def add_action_labels(pairs: Iterable[tuple[str, Any]] | Any) -> None:
    """History actions of records that are parts, not registers (a party's answer …)."""
    _ACTION_LABELS.update(dict(pairs.choices if hasattr(pairs, "choices") else pairs))


def contract_modules() -> list[str]:
    """The register contract modules every installed app announces (``contract_modules``)."""
    found: list[str] = []
    for config in apps.get_app_configs():
        found.extend(getattr(config, "contract_modules", ()))
    return found
