"""``core.rules.full_clean``: Django's ``full_clean`` without a query per foreign key whose
row the instance already holds (issue 14), with the same errors otherwise."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kraftsenter.actors.models import Organisation
from kraftsenter.cooperations import services
from kraftsenter.cooperations.models import Cooperation
from kraftsenter.core import bounds
from kraftsenter.core.rules import full_clean, loaded_relations

pytestmark = pytest.mark.django_db


def _exists_queries(captured) -> list[str]:
    return [
        q["sql"]
        for q in captured.captured_queries
        if 'FROM "actors_organisation"' in q["sql"] and ' AS "a"' in q["sql"]
    ]


def test_registering_with_a_host_read_from_the_database_asks_no_existence(ipr_data, orgs):
    """The host and the archive custodian, read before, are not looked up again; a second
    registration with another host neither."""
    for key, name in (("3403", "Første"), ("3412", "Andre")):
        with CaptureQueriesContext(connection) as captured:
            coop = services.cooperation_create(
                actor="t",
                **{**ipr_data, "name": f"{name} interkommunalt politisk råd"},
                host=orgs[key],
                archive_custodian=orgs["34"],
            )
        assert _exists_queries(captured) == []
        assert (coop.host_id, coop.archive_custodian_id) == (orgs[key].pk, orgs["34"].pk)


def test_an_unknown_host_is_still_refused_on_its_field(ipr_data, orgs):
    """A host that was never read (an unsaved instance with a key no row has) is checked as
    Django checks it: refused on ``host`` with the foreign key's own message, nothing
    written."""
    ghost = Organisation(pk=987_654, name="Ingen")
    with pytest.raises(ValidationError) as djangos:
        Cooperation(host=ghost).clean_fields(exclude=["name", "legal_form"])
    (missing,) = djangos.value.message_dict["host"]
    with pytest.raises(ValidationError) as refused:
        services.cooperation_create(actor="t", **ipr_data, host=ghost)
    assert missing in refused.value.message_dict["host"]
    assert not Cooperation.objects.exists()


def test_the_errors_are_djangos_for_a_record_with_three_faults(orgs):
    """A name too long, a date out of range and a host that does not exist: the same errors,
    field by field, as Django's ``full_clean``; the loaded archive custodian is not asked."""
    coop = Cooperation(
        name="x" * (bounds.LINE_LENGTH + 1),
        legal_form="ipr",
        start_date=dt.date(1800, 1, 1),
        host=Organisation(pk=987_654, name="Ingen"),
        archive_custodian=orgs["34"],
    )
    assert loaded_relations(coop) == {"archive_custodian"}
    with pytest.raises(ValidationError) as ours:
        full_clean(coop)
    with pytest.raises(ValidationError) as djangos:
        coop.full_clean()
    assert ours.value.message_dict == djangos.value.message_dict
    assert {"name", "start_date", "host"} <= set(ours.value.message_dict)
