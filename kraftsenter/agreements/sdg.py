"""The UN Sustainable Development Goals (17 goals, 169 targets) for tagging agreement goals.

Targets are written as on un.org: "11.3" (numbered) or "11.a" (means of implementation).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

GOALS: dict[int, StrOrPromise] = {
    1: _("No poverty"),
    2: _("Zero hunger"),
    3: _("Good health and well-being"),
    4: _("Quality education"),
    5: _("Gender equality"),
    6: _("Clean water and sanitation"),
    7: _("Affordable and clean energy"),
    8: _("Decent work and economic growth"),
    9: _("Industry, innovation and infrastructure"),
    10: _("Reduced inequalities"),
    11: _("Sustainable cities and communities"),
    12: _("Responsible consumption and production"),
    13: _("Climate action"),
    14: _("Life below water"),
    15: _("Life on land"),
    16: _("Peace, justice and strong institutions"),
    17: _("Partnerships for the goals"),
}

#: goal → (number of numbered targets, letters of the means-of-implementation targets)
TARGETS: dict[int, tuple[int, str]] = {
    1: (5, "ab"),
    2: (5, "abc"),
    3: (9, "abcd"),
    4: (7, "abc"),
    5: (6, "abc"),
    6: (6, "ab"),
    7: (3, "ab"),
    8: (10, "ab"),
    9: (5, "abc"),
    10: (7, "abc"),
    11: (7, "abc"),
    12: (8, "abc"),
    13: (3, "ab"),
    14: (7, "abc"),
    15: (9, "abc"),
    16: (10, "ab"),
    17: (19, ""),
}

_TARGET = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2}|[a-z])$")


def goal_choices() -> list[tuple[int, str]]:
    return [(n, f"{n}. {label}") for n, label in GOALS.items()]


def target_goal(code: str) -> int | None:
    """The goal a target belongs to, or None if the code is not an SDG target."""
    match = _TARGET.match(code.strip())
    if not match:
        return None
    goal, part = int(match.group(1)), match.group(2)
    if goal not in TARGETS:
        return None
    numbered, letters = TARGETS[goal]
    if part.isascii() and part.isdigit():
        return goal if 1 <= int(part) <= numbered else None
    return goal if part in letters else None


def all_targets() -> list[str]:
    out: list[str] = []
    for goal, (numbered, letters) in TARGETS.items():
        out += [f"{goal}.{i}" for i in range(1, numbered + 1)]
        out += [f"{goal}.{c}" for c in letters]
    return out
