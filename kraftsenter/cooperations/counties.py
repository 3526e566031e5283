"""The counties each cooperation has a current participant in (:class:`~.models.CooperationCounty`).

The county filter of the cooperation register (list page and API) asked the participants of
every organisation in the county and sorted them into a list: in the bench 11 500
participations for Innlandet's 1 300 cooperations (2.5 of the page's 3.8 ms of SQL on SQLite),
and 97 000 for 7 000 after the bench's writes had grown the data (18 of 19 ms; issue 14). The
pairs (cooperation, county) are kept instead and the filter reads them from an index.

They are worked out from the participants and their organisations' county, here and nowhere
else:

* :func:`participants_written` after a cooperation's participants are written (the services
  write them in bulk, which fires no model signals: ``cooperation_create`` and the participant
  sync call it with the organisations before and after);
* :func:`organisation_saved` when an organisation's county changes (``organisation_update``,
  also for a reference import that moves a municipality to another county) — connected to the
  organisation's ``pre_save``/``post_save`` in :mod:`~.apps`;
* :func:`rebuild` after loading many cooperations at once (the migration that added them,
  the bench's dataset).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import connections, router

from .models import CooperationCounty, Participant

_BEFORE = "_ks_county_before"


def _pairs(participants: Any) -> Any:
    return (
        participants.filter(archived_at__isnull=True, organisation__county__isnull=False)
        .order_by()
        .values_list("cooperation_id", "organisation__county_id")
        .distinct()
    )


def refresh(cooperation_ids: Iterable[int]) -> None:
    """Bring the counties of these cooperations in step with their current participants: the
    pairs no participant gives any more are removed, the missing ones added (none written
    when nothing changed)."""
    ids = sorted(set(cooperation_ids))
    if not ids:
        return
    wanted = set(_pairs(Participant.objects.filter(cooperation_id__in=ids)))
    kept = {
        (cooperation_id, county_id): pk
        for pk, cooperation_id, county_id in CooperationCounty.objects.filter(
            cooperation_id__in=ids
        ).values_list("pk", "cooperation_id", "county_id")
    }
    stale = [pk for pair, pk in kept.items() if pair not in wanted]
    if stale:
        CooperationCounty.objects.filter(pk__in=stale).delete()
    missing = sorted(wanted - kept.keys())
    if missing:
        CooperationCounty.objects.bulk_create(
            CooperationCounty(cooperation_id=cooperation_id, county_id=county_id)
            for cooperation_id, county_id in missing
        )


def participants_written(cooperation_id: int, before: Iterable[Any], after: Iterable[Any]) -> None:
    """After a cooperation's participants are written (``before`` and ``after``: the
    organisations of its current participants): the counties no participant is in any more
    are removed and the new ones added, nothing read, and nothing written when the set of
    counties is the same (new shares, a participant from a county already there)."""
    old = {organisation.county_id for organisation in before} - {None}
    new = {organisation.county_id for organisation in after} - {None}
    if old - new:
        CooperationCounty.objects.filter(
            cooperation_id=cooperation_id, county_id__in=sorted(old - new)
        ).delete()
    if new - old:
        _insert([(cooperation_id, county_id) for county_id in sorted(new - old)])


def _insert(pairs: list[tuple[int, int]]) -> None:
    """The pairs in one plain ``INSERT`` (a pair already there, kept by an earlier refresh,
    is left as it is): on every registration of a cooperation, where ``bulk_create`` made
    and compiled a model instance per pair for a row of two numbers (0.5–1 ms of a 9 ms
    write on SQLite, issue 14)."""
    connection = connections[router.db_for_write(CooperationCounty)]
    quote = connection.ops.quote_name
    table = quote(CooperationCounty._meta.db_table)
    values = ", ".join(["(%s, %s)"] * len(pairs))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({quote('cooperation_id')}, {quote('county_id')}) "  # noqa: S608 - names are the model's
            f"VALUES {values} ON CONFLICT DO NOTHING",
            [value for pair in pairs for value in pair],
        )


def rebuild() -> int:
    """Every cooperation's counties worked out anew; returns how many pairs there are."""
    CooperationCounty.objects.all().delete()
    rows = CooperationCounty.objects.bulk_create(
        (
            CooperationCounty(cooperation_id=cooperation_id, county_id=county_id)
            for cooperation_id, county_id in _pairs(Participant.objects.all()).iterator()
        ),
        batch_size=5000,
    )
    return len(rows)


def organisation_before_save(sender: Any, instance: Any, raw: bool = False, **kwargs: Any) -> None:
    """Remember the county the organisation has in the database before it is saved."""
    update_fields = kwargs.get("update_fields")
    if raw or instance.pk is None or (update_fields is not None and "county" not in update_fields):
        return
    setattr(
        instance,
        _BEFORE,
        type(instance).objects.filter(pk=instance.pk).values_list("county_id", flat=True).first(),
    )


def organisation_saved(
    sender: Any, instance: Any, created: bool = False, raw: bool = False, **kwargs: Any
) -> None:
    """An organisation that moved to another county moves its cooperations with it."""
    if raw or created or not hasattr(instance, _BEFORE):
        return
    before = instance.__dict__.pop(_BEFORE)
    if before == instance.county_id:
        return
    refresh(
        Participant.objects.filter(organisation_id=instance.pk, archived_at__isnull=True)
        .order_by()
        .values_list("cooperation_id", flat=True)
    )
