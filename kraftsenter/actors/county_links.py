"""Counties kept for the records of a register whose parts name organisations.

A register's county filter ("cooperations with a participant in Innlandet", "agreements with
a party in Nordland") asked the parts of every organisation in the county and sorted them into
a list: at national scale the participations or parties of thousands of organisations, to find
a few hundred records (issue 14). Instead, each such register keeps the pairs (record, county)
in a table of its own (``cooperations.CooperationCounty``, ``agreements.AgreementCounty``) and
its filter reads them from an index. A :class:`CountyLinks` works the pairs out from the
current parts (not archived) and their organisations' county, here and nowhere else:

* :meth:`CountyLinks.parts_written` after a record's parts are written (the services call it
  with the organisations before and after; bulk writes fire no model signals);
* :func:`organisation_saved`, when an organisation's county changes (``organisation_update``,
  also for a reference import that moves a municipality to another county), for every register
  :func:`keep` was told of — connected to the organisation's ``pre_save``/``post_save`` in
  :mod:`~.apps`;
* :meth:`CountyLinks.rebuild` after loading many records at once (the migrations that added
  the tables, the bench's dataset).

The pairs are derived data: no history of their own, not part of the API.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from django.db import connections, router
from django.db.models import Model

_BEFORE = "_ks_county_before"
_F = TypeVar("_F", bound="Follower")


@dataclass(frozen=True)
class CountyLinks:
    """The pairs of ``link`` (a model with the foreign keys ``<record>`` and ``county``),
    worked out from ``parts`` (a model with the foreign keys ``<record>`` and
    ``organisation`` and an ``archived_at``)."""

    link: type[Model]
    parts: type[Model]
    #: The name of the foreign key to the record, on both models ("cooperation", "agreement").
    record: str

    @property
    def _record_id(self) -> str:
        return f"{self.record}_id"

    def _pairs(self, parts: Any) -> Any:
        return (
            parts.filter(archived_at__isnull=True, organisation__county__isnull=False)
            .order_by()
            .values_list(self._record_id, "organisation__county_id")
            .distinct()
        )

    def refresh(self, record_ids: Iterable[int]) -> None:
        """Bring the counties of these records in step with their current parts: the pairs
        no part gives any more are removed, the missing ones added (nothing written when
        nothing changed)."""
        ids = sorted(set(record_ids))
        if not ids:
            return
        manager = self.link._default_manager
        wanted = set(
            self._pairs(self.parts._default_manager.filter(**{f"{self._record_id}__in": ids}))
        )
        kept = {
            (record_id, county_id): pk
            for pk, record_id, county_id in manager.filter(
                **{f"{self._record_id}__in": ids}
            ).values_list("pk", self._record_id, "county_id")
        }
        stale = [pk for pair, pk in kept.items() if pair not in wanted]
        if stale:
            manager.filter(pk__in=stale).delete()
        missing = sorted(wanted - kept.keys())
        if missing:
            self._insert(missing)

    def parts_written(self, record_id: int, before: Iterable[Any], after: Iterable[Any]) -> None:
        """After a record's parts are written (``before`` and ``after``: the organisations of
        its current parts): the counties no part is in any more are removed and the new ones
        added, nothing read, and nothing written when the set of counties is the same (new
        shares or decisions, a part from a county already there)."""
        old = {organisation.county_id for organisation in before} - {None}
        new = {organisation.county_id for organisation in after} - {None}
        if old - new:
            self.link._default_manager.filter(
                **{self._record_id: record_id, "county_id__in": sorted(old - new)}
            ).delete()
        if new - old:
            self._insert([(record_id, county_id) for county_id in sorted(new - old)])

    def _insert(self, pairs: list[tuple[int, int]]) -> None:
        """The pairs in one plain ``INSERT`` (a pair already there, kept by an earlier
        refresh, is left as it is): on every registration of a record, where ``bulk_create``
        made and compiled a model instance per pair for a row of two numbers (0.5–1 ms of a
        9 ms write on SQLite)."""
        connection = connections[router.db_for_write(self.link)]
        quote = connection.ops.quote_name
        table = quote(self.link._meta.db_table)
        values = ", ".join(["(%s, %s)"] * len(pairs))
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({quote(self._record_id)}, {quote('county_id')}) "  # noqa: S608 - names are the model's
                f"VALUES {values} ON CONFLICT DO NOTHING",
                [value for pair in pairs for value in pair],
            )

    def rebuild(self) -> int:
        """Every record's counties worked out anew; returns how many pairs there are."""
        manager = self.link._default_manager
        manager.all().delete()
        rows = manager.bulk_create(
            (
                self.link(**{self._record_id: record_id, "county_id": county_id})
                for record_id, county_id in self._pairs(
                    self.parts._default_manager.all()
                ).iterator()
            ),
            batch_size=5000,
        )
        return len(rows)

    def organisation_moved(self, organisation_id: int) -> None:
        """The records the organisation takes part in, brought in step with its new county."""
        self.refresh(
            self.parts._default_manager.filter(
                organisation_id=organisation_id, archived_at__isnull=True
            )
            .order_by()
            .values_list(self._record_id, flat=True)
        )


class Follower(Protocol):
    """What follows an organisation that moves to another county: a register's pairs
    (:class:`CountyLinks`), or a county kept on the records themselves."""

    def organisation_moved(self, organisation_id: int) -> None: ...


_kept: list[Follower] = []


def keep(links: _F) -> _F:
    """Tell the organisations' signals of a register's pairs, or of anything else that
    follows an organisation's county (the apps' ``ready()``)."""
    if links not in _kept:
        _kept.append(links)
    return links


def organisation_before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Remember the county the organisation has in the database before it is saved."""
    update_fields = kwargs.get("update_fields")
    if not _kept or raw or instance.pk is None:
        return
    if update_fields is not None and "county" not in update_fields:
        return
    setattr(
        instance,
        _BEFORE,
        type(instance).objects.filter(pk=instance.pk).values_list("county_id", flat=True).first(),
    )


def organisation_saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """An organisation that moved to another county moves the records it takes part in."""
    if raw or created or _BEFORE not in vars(instance):
        return
    before = vars(instance).pop(_BEFORE)
    if before == instance.county_id:
        return
    for links in _kept:
        links.organisation_moved(instance.pk)
