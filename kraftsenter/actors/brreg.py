"""Enhetsregisteret (Brønnøysundregistrene): look an organisation up by number or name.

The open API (``settings.KRAFTSENTER_BRREG_URL``, by default
``https://data.brreg.no/enhetsregisteret/api/``) answers ``GET enheter/{orgnr}`` with one unit
and ``GET enheter?navn=…`` with a page of them (``_embedded.enheter``). The fields read here are
those of the documented ``Enhet`` shape (brreg/openAPI ``specs/enhetsregisteret.yml`` and
https://data.brreg.no/enhetsregisteret/api/dokumentasjon/): ``organisasjonsnummer``, ``navn``,
``organisasjonsform.kode``, ``forretningsadresse``/``postadresse`` (``adresse``, ``postnummer``,
``poststed``, ``kommunenummer``), ``naeringskode1``, ``slettedato``, ``konkurs``,
``underAvvikling``, ``underTvangsavviklingEllerTvangsopplosning``. A deleted unit answers with
``slettedato`` (200) or 410; an unknown number with 404.

Everyone may read what Enhetsregisteret holds (enhetsregisterloven § 22 første ledd). Nothing
here writes: :func:`lookup_organisation` and :func:`search_organisations` return
:class:`RegisterEntry` values; the services and the page decide what to keep.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

import httpx
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import ENHETSREGISTERET_FORMS, OrganisationKind
from .validators import validate_organisation_number

#: The platform's kind for an organisation form of Enhetsregisteret, where one kind fits every
#: unit of the form (https://data.brreg.no/enhetsregisteret/api/organisasjonsformer). Other
#: forms (KF, SF, NUF …) leave the kind for the user to choose.
FORM_KINDS: dict[str, str] = {
    **{form: str(kind) for kind, form in ENHETSREGISTERET_FORMS.items()},
    "STAT": OrganisationKind.STATE_AGENCY,
    "ORGL": OrganisationKind.STATE_AGENCY,
    "FLI": OrganisationKind.ASSOCIATION,
    "ASA": OrganisationKind.BUSINESS,
    "ANS": OrganisationKind.BUSINESS,
    "DA": OrganisationKind.BUSINESS,
    "ENK": OrganisationKind.BUSINESS,
}

#: The legal source of the register's status flags and of a deletion, as the warnings cite it.
STATUS_SOURCE = "enhetsregisterloven § 6 andre ledd"
DELETION_SOURCE = "enhetsregisterloven § 26"

SEARCH_LIMIT = 10


class RegisterUnavailable(Exception):
    """Enhetsregisteret could not be reached, or answered with something unreadable."""


class RegisterNotFound(Exception):
    """Enhetsregisteret has no unit with this number."""


@dataclass(frozen=True)
class RegisterWarning:
    """A fact of the register the user should see: field, message and legal source."""

    field: str
    message: str
    source: str


@dataclass
class RegisterEntry:
    """One unit of Enhetsregisteret, in the platform's terms."""

    organisation_number: str
    name: str
    organisation_form: str = ""
    organisation_form_label: str = ""
    kind: str = ""  # the platform's kind, "" where the form maps to none
    address: str = ""
    municipality_number: str = ""
    industry_code: str = ""
    industry_label: str = ""
    deleted_on: dt.date | None = None
    bankrupt: bool = False
    winding_up: bool = False
    checked_on: dt.date = field(default_factory=timezone.localdate)
    source: str = ""  # the address the unit was read from

    def warnings(self) -> list[RegisterWarning]:
        return register_warnings(
            deleted_on=self.deleted_on, bankrupt=self.bankrupt, winding_up=self.winding_up
        )

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for key in ("deleted_on", "checked_on"):
            data[key] = data[key].isoformat() if data[key] else None
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RegisterEntry:
        data = dict(data)
        for key in ("deleted_on", "checked_on"):
            data[key] = dt.date.fromisoformat(data[key]) if data.get(key) else None
        if data["checked_on"] is None:
            del data["checked_on"]
        return cls(**{k: v for k, v in data.items() if k in cls.__dataclass_fields__})


def register_warnings(
    *, deleted_on: dt.date | None, bankrupt: bool, winding_up: bool
) -> list[RegisterWarning]:
    """What the register's status says about a unit, as warnings (they never refuse a save)."""
    out = []
    if deleted_on is not None:
        out.append(
            RegisterWarning(
                "organisation_number",
                _(
                    "Enhetsregisteret deleted this unit on %(date)s: the organisation has "
                    "probably ceased to exist (enhetsregisterloven § 26)."
                )
                % {"date": deleted_on.isoformat()},
                DELETION_SOURCE,
            )
        )
    if bankrupt:
        out.append(
            RegisterWarning(
                "organisation_number",
                _(
                    "Enhetsregisteret records this unit as bankrupt (enhetsregisterloven § 6 "
                    "second paragraph: the unit's status)."
                ),
                STATUS_SOURCE,
            )
        )
    if winding_up:
        out.append(
            RegisterWarning(
                "organisation_number",
                _(
                    "Enhetsregisteret records this unit as being wound up (enhetsregisterloven "
                    "§ 6 second paragraph: the unit's status)."
                ),
                STATUS_SOURCE,
            )
        )
    return out


def base_url() -> str:
    url = str(getattr(settings, "KRAFTSENTER_BRREG_URL", "")).strip()
    url = url or "https://data.brreg.no/enhetsregisteret/api/"
    return url if url.endswith("/") else url + "/"


def _client() -> httpx.Client:
    return httpx.Client(
        timeout=settings.KRAFTSENTER_SOURCES_TIMEOUT,
        headers={"Accept": "application/json", "User-Agent": "kraftsenter"},
        follow_redirects=False,
    )


def _date(value: Any) -> dt.date | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _text(value: Any, limit: int = 300) -> str:
    return value.strip()[:limit] if isinstance(value, str) else ""


def _address(raw: dict[str, Any]) -> tuple[str, str]:
    """The business address (else the postal address) as one line, and its municipality."""
    for key in ("forretningsadresse", "postadresse"):
        address = raw.get(key)
        if not isinstance(address, dict):
            continue
        lines = [_text(line) for line in address.get("adresse") or [] if _text(line)]
        place = " ".join(
            p for p in (_text(address.get("postnummer")), _text(address.get("poststed"))) if p
        )
        text = ", ".join([*lines, place] if place else lines)
        number = _text(address.get("kommunenummer"))
        if text or number:
            return text[:300], number if (len(number) == 4 and number.isdigit()) else ""
    return "", ""


def parse_entity(raw: Any, *, source: str = "") -> RegisterEntry:
    """A unit of the documented ``Enhet`` shape as a :class:`RegisterEntry`."""
    if not isinstance(raw, dict) or not isinstance(raw.get("organisasjonsnummer"), str):
        raise RegisterUnavailable(_("Enhetsregisteret answered with something unreadable."))
    form: dict[str, Any] = raw.get("organisasjonsform") or {}
    industry: dict[str, Any] = raw.get("naeringskode1") or {}
    if not isinstance(form, dict):
        form = {}
    if not isinstance(industry, dict):
        industry = {}
    address, municipality = _address(raw)
    code = _text(form.get("kode"), 10)
    return RegisterEntry(
        organisation_number=raw["organisasjonsnummer"].strip(),
        name=_text(raw.get("navn"), 200),
        organisation_form=code,
        organisation_form_label=_text(form.get("beskrivelse"), 200),
        kind=FORM_KINDS.get(code, ""),
        address=address,
        municipality_number=municipality,
        industry_code=_text(industry.get("kode"), 10),
        industry_label=_text(industry.get("beskrivelse"), 200),
        deleted_on=_date(raw.get("slettedato")),
        bankrupt=raw.get("konkurs") is True or raw.get("underKonkursbehandling") is True,
        winding_up=raw.get("underAvvikling") is True
        or raw.get("underTvangsavviklingEllerTvangsopplosning") is True,
        source=source,
    )


def clean_number(value: str) -> str:
    """The number without spaces; ValidationError (format or check digit) when it is wrong."""
    number = (value or "").replace(" ", "").strip()
    validate_organisation_number(number)
    return number


def _get(client: httpx.Client, url: str, params: dict[str, Any] | None = None) -> httpx.Response:
    try:
        return client.get(url, params=params)
    except httpx.HTTPError as exc:
        raise RegisterUnavailable(str(exc) or type(exc).__name__) from exc


def _json(response: httpx.Response) -> Any:
    try:
        return response.json()
    except ValueError as exc:
        raise RegisterUnavailable(
            _("Enhetsregisteret answered with something unreadable.")
        ) from exc


def lookup_organisation(orgnr: str, *, client: httpx.Client | None = None) -> RegisterEntry:
    """The unit with this organisation number.

    Raises ValidationError (field ``organisation_number``) for a number that is not nine digits
    with a valid MOD11 check digit (nothing is asked), RegisterNotFound when the register has
    no such unit, RegisterUnavailable when it cannot be reached or answers otherwise.
    """
    try:
        number = clean_number(orgnr)
    except ValidationError as exc:
        raise ValidationError({"organisation_number": exc.error_list}) from exc
    url = f"{base_url()}enheter/{number}"
    http = client or _client()
    try:
        response = _get(http, url)
    finally:
        if client is None:
            http.close()
    if response.status_code == 404:
        raise RegisterNotFound(number)
    if response.status_code == 410:
        body = _json(response) if response.content else {}
        if not isinstance(body, dict) or "organisasjonsnummer" not in body:
            body = {"organisasjonsnummer": number, **(body if isinstance(body, dict) else {})}
        entry = parse_entity(body, source=url)
        if entry.deleted_on is None:
            entry.deleted_on = timezone.localdate()
        return entry
    if response.status_code != 200:
        raise RegisterUnavailable(
            _("Enhetsregisteret answered %(status)s.") % {"status": response.status_code}
        )
    entry = parse_entity(_json(response), source=url)
    if entry.organisation_number != number:
        raise RegisterUnavailable(_("Enhetsregisteret answered with another unit."))
    return entry


def search_organisations(
    name: str, *, limit: int = SEARCH_LIMIT, client: httpx.Client | None = None
) -> list[RegisterEntry]:
    """Units whose name matches (the register's own ranking), at most ``limit``."""
    text = (name or "").strip()[:200]
    if not text:
        return []
    url = f"{base_url()}enheter"
    http = client or _client()
    try:
        response = _get(http, url, {"navn": text, "size": limit})
    finally:
        if client is None:
            http.close()
    if response.status_code != 200:
        raise RegisterUnavailable(
            _("Enhetsregisteret answered %(status)s.") % {"status": response.status_code}
        )
    body = _json(response)
    embedded = body.get("_embedded") if isinstance(body, dict) else None
    units = embedded.get("enheter") if isinstance(embedded, dict) else None
    out = []
    for raw in units if isinstance(units, list) else []:
        number = raw.get("organisasjonsnummer") if isinstance(raw, dict) else None
        out.append(parse_entity(raw, source=f"{base_url()}enheter/{number}"))
    return out[:limit]


def unavailable_message() -> str:
    return _("The lookup in Enhetsregisteret is not available now; fill in the fields yourself.")


def not_found_message(number: str) -> str:
    return _("Enhetsregisteret has no unit with organisation number %(number)s.") % {
        "number": number
    }
