"""The counties each cooperation has a current participant in (:class:`~.models.CooperationCounty`),
kept by :mod:`kraftsenter.actors.county_links` from the participants and their organisations.

The county filter of the cooperation register (list page and API) asked the participants of
every organisation in the county and sorted them into a list: in the bench 11 500
participations for Innlandet's 1 300 cooperations (2.5 of the page's 3.8 ms of SQL on SQLite),
and 97 000 for 7 000 after the bench's writes had grown the data (18 of 19 ms; issue 14). The
pairs (cooperation, county) are kept instead and the filter reads them from an index.
``cooperation_create`` and the participant sync call :func:`participants_written` (they write
the participants in bulk, which fires no model signals).
"""

from __future__ import annotations

from kraftsenter.actors.county_links import CountyLinks

from .models import CooperationCounty, Participant

COUNTIES = CountyLinks(link=CooperationCounty, parts=Participant, record="cooperation")

refresh = COUNTIES.refresh
rebuild = COUNTIES.rebuild
participants_written = COUNTIES.parts_written
