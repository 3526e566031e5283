"""What each column of the registers' CSV downloads means (the CSV distributions' field
descriptions in the open-data catalogue, published as CSV on the Web metadata).

Keyed by the column names the list views write (``csv_columns`` in each register's views);
``test_catalog`` checks that every column of every catalogued CSV has a description here, so a
new column cannot be published undescribed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    #: The column's name in the CSV's header row.
    name: str
    #: CSVW datatype: string, integer, decimal, date, boolean (written "ja"/"nei").
    datatype: str
    #: What the column holds, in English (the catalogue's field description).
    description: str


def _f(name: str, datatype: str, description: str) -> Field:
    return Field(name, datatype, description)


ID = _f("id", "integer", "The record's number in Kraftsenter (stable; also in its URL and API).")

FIELDS: dict[str, tuple[Field, ...]] = {
    "municipalities": (
        _f("kommunenummer", "string", "Municipality number (four digits, SSB's standard)."),
        _f("kommunenavn", "string", "The municipality's official name."),
        _f("fylkesnummer", "string", "County number (two digits)."),
        _f("fylke", "string", "The county's name in bokmål."),
        _f(
            "sentralitetsklasse",
            "integer",
            "SSB's centrality class 1 (most central) to 6 (least central), 2024 index.",
        ),
        _f("befolkning", "integer", "Population on 1 January of the latest imported year."),
        _f(
            "samisk_forvaltningsomrade",
            "boolean",
            "ja when the municipality is in the administrative area for Sami languages today "
            "(sameloven § 3-1 and its regulation).",
        ),
    ),
    "organisations": (
        ID,
        _f("navn", "string", "The organisation's name."),
        _f(
            "organisasjonsnummer", "string", "Nine-digit number in Enhetsregisteret; empty if none."
        ),
        _f("type", "string", "Kind code (code list organisation-kind at /api/v1/code-lists)."),
        _f("type_navn", "string", "The kind's name in the download's language."),
        _f("kommunenummer", "string", "Municipality number of its address, when known."),
        _f("fylkesnummer", "string", "County number, when known."),
        _f("nettsted", "string", "Web address."),
    ),
    "cooperations": (
        ID,
        _f("samarbeid", "string", "The cooperation's name."),
        _f("form", "string", "Legal form code (code list legal-form), e.g. iks, ipr."),
        _f("form_navn", "string", "The legal form's name."),
        _f("status", "string", "Status name: planned, active, being dissolved or dissolved."),
        _f("omrader", "string", "The areas it works in, comma separated."),
        _f("deltakere", "string", "The current participants' names, comma separated."),
        _f("organisasjonsnummer", "string", "Its own number in Enhetsregisteret, if any."),
        _f("startdato", "date", "Date it started (ISO 8601)."),
    ),
    "plans": (
        ID,
        _f("plan", "string", "The plan's title."),
        _f("type", "string", "Plan kind code (code list plan-kind)."),
        _f("eier", "string", "The organisation that owns the plan."),
        _f("valgperiode", "string", "The election period it belongs to, e.g. 2023–2027."),
        _f("status", "string", "Status code (code list plan-status)."),
        _f("vedtatt", "date", "Date adopted (ISO 8601), empty if not adopted."),
        _f("advarsler", "string", "Codes of the legal warnings on the plan, space separated."),
    ),
    "partnerships": (
        ID,
        _f("partnerskap", "string", "The partnership's name."),
        _f("leder", "string", "The lead organisation."),
        _f("medlemmer", "string", "The members' names, comma separated."),
    ),
    "agreements": (
        ID,
        _f("avtale", "string", "The agreement's title."),
        _f("type", "string", "Agreement kind code (code list agreement-kind)."),
        _f("status", "string", "Status code (code list agreement-status)."),
        _f("parter", "string", "The current parties' names, comma separated."),
        _f("periode_fra", "date", "First day of the agreement period."),
        _f("periode_til", "date", "Last day of the agreement period."),
        _f("bindende", "boolean", "ja when the parties have made it legally binding."),
    ),
    "commitments": (
        ID,
        _f("avtale_id", "integer", "The agreement's id."),
        _f("avtale", "string", "The agreement's title."),
        _f("part_id", "integer", "The committed party's organisation id."),
        _f("part", "string", "The committed party's name."),
        _f("forpliktelse", "string", "What the party has committed to."),
        _f("frist", "date", "Deadline (ISO 8601)."),
        _f("budsjett", "decimal", "Budget in NOK, when given."),
        _f("status", "string", "Status code (code list commitment-status)."),
        _f("begrunnelse", "string", "Reason given for the status (delayed, cancelled)."),
        _f("eksempel", "boolean", "ja for demo examples that are not real commitments."),
    ),
    "consultations": (
        ID,
        _f("sak", "string", "The case's title."),
        _f("myndighet", "string", "The authority that consults."),
        _f("niva", "string", "Who consults: state body, county municipality, municipality …"),
        _f("status", "string", "Where the consultation stands."),
        _f("kommuner", "string", "Numbers of the municipalities it concerns, comma separated."),
    ),
    "ownership-interests": (
        ID,
        _f("eier", "string", "The municipality or county municipality that owns."),
        _f("type", "string", "Kind of ownership interest (code list)."),
        _f("virksomhet", "string", "The company or body owned."),
        _f("eierandel", "decimal", "Ownership share in per cent."),
        _f("formal", "string", "Purpose of the ownership (kommuneloven § 26-1)."),
        _f("vedtatt_av", "string", "The body that decided the ownership."),
        _f("vedtatt", "date", "Date of the decision."),
        _f("saksnummer", "string", "Case reference of the decision."),
    ),
    "ownership-statements": (
        ID,
        _f("kommune", "string", "The municipality or county municipality."),
        _f(
            "dokument",
            "string",
            "Kind code: ownership_statement (eierskapsmelding) or control_plan (plan for "
            "eierskapskontroll).",
        ),
        _f("vedtatt", "date", "Date adopted."),
        _f("vedtatt_av", "string", "The body that adopted it."),
        _f("saksnummer", "string", "Case reference."),
    ),
}
