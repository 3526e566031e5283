"""The counties each agreement has a current party in (:class:`~.models.AgreementCounty`),
kept by :mod:`kraftsenter.actors.county_links` from the parties and their organisations.

The agreement list's county filter and the county dashboard asked the parties of every
organisation in the county: PostgreSQL read all 25 000 parties in the bench to find a
county's few hundred agreements (2.8 ms of the list's query, 3.5 ms of the dashboard's first;
issue 14). The services that write parties (``agreement_create``, the party sync of
``agreement_update``, a renewal) call :func:`parties_written`.
"""

from __future__ import annotations

from kraftsenter.actors.county_links import CountyLinks

from .models import AgreementCounty, AgreementParty

COUNTIES = CountyLinks(link=AgreementCounty, parts=AgreementParty, record="agreement")

refresh = COUNTIES.refresh
rebuild = COUNTIES.rebuild
parties_written = COUNTIES.parts_written
