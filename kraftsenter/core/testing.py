"""The contract every register proves in tests: history per change, permissions as a matrix.

A register describes itself with a :class:`RegisterContract` in ``<app>/tests/contract.py``;
``core/tests/test_register_contract.py`` runs the same tests for every contract listed in
``CONTRACT_MODULES``. Add your app's module there when you add a register.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

CONTRACT_MODULES = [
    "kraftsenter.actors.tests.contract",
    "kraftsenter.cooperations.tests.contract",
    "kraftsenter.knowledge.tests.contract",
    "kraftsenter.consultations.tests.contract",
    "kraftsenter.agreements.tests.contract",
    "kraftsenter.agreements.tests.contract_plan",
    "kraftsenter.agreements.tests.contract_partnership",
    "kraftsenter.agreements.tests.contract_commitment",
]


ROLES = ("anonymous", "outsider", "member", "editor", "org_admin", "site_admin")


@dataclass
class RegisterContract:
    """How the shared suite drives one register.

    ``make(owner)`` creates a record owned by (or involving) the organisation ``owner`` as the
    system; ``update(actor, record)`` and ``archive(actor, record)`` call the register's
    services; ``page_edit_data(record)`` is valid POST data for its edit page;
    ``api_patch(record)`` a valid PATCH body (with ``version``).
    """

    name: str
    make: Callable[[Any], Any]
    update: Callable[[Any, Any], Any]
    archive: Callable[[Any, Any], Any]
    detail_url: Callable[[Any], str]
    edit_url: Callable[[Any], str]
    archive_url: Callable[[Any], str]
    api_url: Callable[[Any], str]
    page_edit_data: Callable[[Any], dict]
    api_patch: Callable[[Any], dict]
    edit_roles: tuple[str, ...] = ("editor", "org_admin", "site_admin")
    archive_roles: tuple[str, ...] = ("org_admin", "site_admin")
    #: The role that archives in the history test (one of ``archive_roles``).
    archiver: str = "org_admin"
    #: A text field of ``page_edit_data`` whose input must survive a version conflict.
    text_field: str = "name"
