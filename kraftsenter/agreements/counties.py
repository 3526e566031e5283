"""The counties each agreement has a current party in (:class:`~.models.AgreementCounty`),
kept by :mod:`kraftsenter.actors.county_links` from the parties and their organisations; and
each commitment's party county (``Commitment.party_county``, :data:`PARTY_COUNTIES`), which a
commitment's save sets and an organisation's move to another county follows.

The agreement list's county filter and the county dashboard asked the parties of every
organisation in the county: PostgreSQL read all 25 000 parties in the bench to find a
county's few hundred agreements (2.8 ms of the list's query, 3.5 ms of the dashboard's first;
issue 14). The services that write parties (``agreement_create``, the party sync of
``agreement_update``, a renewal) call :func:`parties_written`.
"""

from __future__ import annotations

from django.db.models import OuterRef, Subquery

from kraftsenter.actors.county_links import CountyLinks
from kraftsenter.actors.models import Organisation

from .models import AgreementCounty, AgreementParty, Commitment

COUNTIES = CountyLinks(link=AgreementCounty, parts=AgreementParty, record="agreement")

refresh = COUNTIES.refresh
rebuild = COUNTIES.rebuild
parties_written = COUNTIES.parts_written


class PartyCounties:
    """Each commitment's ``party_county`` (the county of its party, kept on the commitment for
    the list's county filter)."""

    def organisation_moved(self, organisation_id: int) -> None:
        """The organisation's commitments, archived ones too, moved with it (its county read
        in the same statement)."""
        Commitment.objects.filter(party_id=organisation_id).update(
            party_county_id=Subquery(
                Organisation.objects.filter(pk=organisation_id).values("county_id")[:1]
            )
        )

    def rebuild(self) -> int:
        """Every commitment's party county from its party now (after a bulk load, which
        saves no commitment); returns how many commitments there are."""
        return Commitment.objects.update(
            party_county_id=Subquery(
                Organisation.objects.filter(pk=OuterRef("party_id")).values("county_id")[:1]
            )
        )


PARTY_COUNTIES = PartyCounties()
