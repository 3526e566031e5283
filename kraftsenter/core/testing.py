"""The contract every register proves in tests: history per change, permissions as a matrix.

A register describes itself with a :class:`RegisterContract` in ``<app>/tests/contract*.py``
and names those modules in its ``AppConfig.contract_modules``;
``core/tests/test_register_contract.py`` runs the same tests for every contract the installed
apps announce (:func:`kraftsenter.core.registry.contract_modules`). Nothing in ``core`` lists
the registers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = ("anonymous", "outsider", "member", "editor", "org_admin", "site_admin")
#: The roles that change a record in most registers: the owner's editors and admins, site admins.
EDITORS = ("editor", "org_admin", "site_admin")


@dataclass
class PageAction:
    """One named policy action taken on its page.

    ``url(record)`` is the page, ``data(record)`` valid POST data for a record as ``prepare``
    leaves it, and ``roles`` the roles the policy lets take the action. The shared suite posts
    the data as every role: the allowed ones succeed with exactly one new history entry in the
    record's timeline, the others are refused and change nothing.
    """

    url: Callable[[Any], str]
    data: Callable[[Any], dict]
    roles: tuple[str, ...] = EDITORS
    prepare: Callable[[Any], Any] | None = None
    #: Where the action is taken on: the record (default) or another (a commitment's agreement).
    target: Callable[[Any], Any] | None = None


@dataclass
class ApiAction:
    """One named policy action taken through its API operation.

    ``method`` and ``url(record)`` name the operation, ``body(record)`` a valid JSON body for a
    record as ``prepare`` leaves it, ``roles`` the roles the policy lets take it. The shared
    suite calls it as every role (with a bearer token): the allowed ones succeed (2xx) with
    exactly one new history entry, the others get 401/403 and change nothing.
    """

    method: str
    url: Callable[[Any], str]
    body: Callable[[Any], dict]
    roles: tuple[str, ...] = EDITORS
    prepare: Callable[[Any], Any] | None = None
    target: Callable[[Any], Any] | None = None


@dataclass
class Handover:
    """A change through the API that would leave the editor's organisation out of the record:
    hand it to another organisation, or take their own out of its relations (owner, lead,
    parties, participants). ``body(record, other)`` names ``other``, an organisation the editor
    does not act for. The shared suite: an editor and an organisation admin of the owner are
    refused (403, nothing written); a site admin may.
    """

    method: str
    url: Callable[[Any], str]
    body: Callable[[Any, Any], dict]
    #: Brings the record to a state where the handover is otherwise valid (as the system).
    prepare: Callable[[Any], Any] | None = None


@dataclass
class RegisterContract:
    """How the shared suite drives one register.

    ``make(owner)`` creates a record owned by (or involving) the organisation ``owner`` as the
    system; ``update(actor, record)`` and ``archive(actor, record)`` call the register's
    services; ``page_edit_data(record)`` is valid POST data for its edit page;
    ``api_patch(record)`` a valid PATCH body (with ``version``) and ``api_invalid_patch`` one
    that a rule refuses (422). ``actions`` names the register's own policy actions with the
    page that takes each; ``not_on_pages`` the actions without a page of their own, with why.
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
    api_invalid_patch: Callable[[Any], dict]
    policy: Any
    edit_roles: tuple[str, ...] = EDITORS
    archive_roles: tuple[str, ...] = ("org_admin", "site_admin")
    #: The role that archives in the history test (one of ``archive_roles``).
    archiver: str = "org_admin"
    #: A text field of ``page_edit_data`` whose input must survive a version conflict.
    text_field: str = "name"
    actions: dict[str, PageAction] = field(default_factory=dict)
    not_on_pages: dict[str, str] = field(default_factory=dict)
    #: The same named actions through the API (issue: everything the pages can change, the
    #: API can change); ``not_in_api`` the actions without an operation, with why.
    api_actions: dict[str, ApiAction] = field(default_factory=dict)
    not_in_api: dict[str, str] = field(default_factory=dict)
    #: Changes to the record's relation fields that hand it away (see :class:`Handover`), or
    #: ``no_handover``: why the register has none.
    handovers: dict[str, Handover] = field(default_factory=dict)
    no_handover: str = ""
    #: The owner's organisation id the history should name for an editor's change.
    acting_organisation: Callable[[Any, Any], Any] | None = None


def etag_version(response: Any) -> int:
    """The record version an API response's ``ETag`` names (``"7-1234"`` → 7)."""
    return int(response["ETag"].removeprefix("W/").strip('"').split("-", 1)[0])
