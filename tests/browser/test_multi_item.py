"""The second and third item of forms that offer several: a party's adopting decision, a report
entry per commitment, members of several bodies and a council decision per participant.

Before, only the first choice of such a select was ever tried in the browser, and the others
answered 500. Each test acts as a user on every item, checks what the record page shows after
each save, and checks the database. A save must answer with a redirect to the record page: a
500 stays on the form's address, fails the status check and is logged in the console. Forms
are driven through element ids and submit buttons, not through translated labels.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from playwright.sync_api import Locator, Page, expect

from .test_accounts import _log_in

pytestmark = pytest.mark.browser

SUBMIT = "main form button[type=submit]"
NOT_DECIDED = "ikke registrert vedtak"
REMINDER = "Før avtalen kan bli aktiv"


def _org(**lookup):
    from kraftsenter.actors.models import Organisation

    return Organisation.objects.get(archived_at__isnull=True, **lookup)


def _municipality(number: str):
    return _org(kind="municipality", municipality__number=number)


def _date(day: dt.date) -> str:
    """A date as the Norwegian pages show it (SHORT_DATE_FORMAT for nb)."""
    return day.strftime("%d.%m.%Y")


def _save(
    page: Page, site: str, record_url: str, button: str = SUBMIT, action: str | None = None
) -> None:
    """Submit the form (posting to its page, or to ``action``) and land on the record page;
    a refused or failed save fails the test."""
    form_url = site + action if action else page.url
    with page.expect_response(lambda r: r.request.method == "POST" and r.url == form_url) as posted:
        page.locator(button).click()
    response = posted.value
    assert response.status == 302, f"POST {form_url} answered {response.status}"
    expect(page).to_have_url(site + record_url)
    expect(page.locator("main")).not_to_contain_text("Server Error")


def _table(page: Page, caption: str) -> Locator:
    """A table by its caption (its accessible name)."""
    return page.get_by_role("table", name=caption, exact=True)


def _row(table: Locator, text: str) -> Locator:
    return table.get_by_role("row").filter(has_text=text)


# --- agreements: a decision per party ----------------------------------------------------------


@pytest.fixture
def draft_agreement(site: str):
    """A draft agreement of Nordland county municipality (lead), Vefsn and Hattfjelldal; no
    party has an adopting decision yet. The demo user "nordland" edits for the lead."""
    from kraftsenter.agreements import services

    county = _org(name="Nordland fylkeskommune")
    return services.agreement_create(
        actor="t",
        title="Sentrumsavtale Vefsn og Hattfjelldal (test)",
        kind="partnership",
        period_start=dt.date(2025, 1, 1),
        period_end=dt.date(2028, 12, 31),
        lead=county,
        parties=[county, _municipality("1824"), _municipality("1826")],
        description="Avtale for å prøve vedtak for hver part.",
    )


def test_adopting_decision_is_recorded_for_each_of_three_parties(
    site: str, page: Page, console_errors: list[str], draft_agreement
):
    from kraftsenter.agreements.models import AgreementParty

    agreement = draft_agreement
    record_url = agreement.get_absolute_url()
    links = list(
        AgreementParty.objects.filter(agreement=agreement, archived_at__isnull=True)
        .select_related("organisation")
        .order_by("pk")
    )
    assert len(links) == 3
    decisions = [
        ("fylkestinget", dt.date(2024, 12, 10), "24/101"),
        ("kommunestyret", dt.date(2024, 12, 12), "24/7"),
        ("kommunestyret i Hattfjelldal", dt.date(2024, 12, 19), "24/55"),
    ]
    _log_in(page, site, "nordland")
    page.goto(site + record_url)
    parties = _table(page, "Parter")
    for link in links:
        expect(_row(parties, link.organisation.name)).to_contain_text(NOT_DECIDED)

    for done, (link, (body, day, reference)) in enumerate(
        zip(links, decisions, strict=True), start=1
    ):
        page.goto(f"{site}{record_url}vedtak/ny/")
        page.locator("#id_organisation").select_option(str(link.organisation.pk))
        page.locator("#id_decision_body").fill(body)
        page.locator("#id_decision_date").fill(day.isoformat())
        page.locator("#id_decision_reference").fill(reference)
        _save(page, site, record_url)
        expect(page.get_by_text("Lagret.")).to_be_visible()
        row = _row(parties, link.organisation.name)
        expect(row).to_contain_text(body)
        expect(row).to_contain_text(_date(day))
        expect(row).to_contain_text(reference)
        expect(row).not_to_contain_text(NOT_DECIDED)
        # The parties not yet decided still say so, and are named in the reminder.
        expect(parties.get_by_text(NOT_DECIDED)).to_have_count(3 - done)
        for later in links[done:]:
            expect(page.locator("main .ds-alert", has_text=REMINDER)).to_contain_text(
                later.organisation.name
            )
        link.refresh_from_db()
        assert (link.decision_body, link.decision_date, link.decision_reference) == (
            body,
            day,
            reference,
        )

    expect(parties.get_by_text(NOT_DECIDED)).to_have_count(0)
    expect(page.locator("main .ds-alert", has_text=REMINDER)).to_have_count(0)
    assert sorted(
        AgreementParty.objects.filter(agreement=agreement, decision_date__isnull=False).values_list(
            "decision_reference", flat=True
        )
    ) == sorted(reference for _body, _day, reference in decisions)
    assert not console_errors, console_errors


# --- agreements: a report entry per commitment, then the report is complete ---------------------


@pytest.fixture
def report_with_three_commitments(site: str):
    """An active agreement led by Nordland county municipality with one commitment per party
    and an empty follow-up report."""
    from kraftsenter.agreements import services
    from kraftsenter.agreements.services import PartyInput

    county = _org(name="Nordland fylkeskommune")
    vefsn, hattfjelldal = _municipality("1824"), _municipality("1826")
    agreement = services.agreement_create(
        actor="t",
        title="Oppfølgingsavtale Vefsn og Hattfjelldal (test)",
        kind="partnership",
        period_start=dt.date(2024, 1, 1),
        period_end=dt.date(2027, 12, 31),
        lead=county,
        status="active",
        parties=[
            PartyInput(county, "fylkestinget", dt.date(2023, 12, 5), "23/1"),
            PartyInput(vefsn, "kommunestyret", dt.date(2023, 12, 7), "23/2"),
            PartyInput(hattfjelldal, "kommunestyret", dt.date(2023, 12, 8), "23/3"),
        ],
    )
    commitments = [
        services.commitment_create(
            actor="t",
            agreement=agreement,
            party=party,
            description=text,
            due_date=dt.date(2026, 6, 30),
        )
        for party, text in (
            (county, "Tilskudd til sentrumsutvikling i Mosjøen"),
            (vefsn, "Regulere sentrum for flere boliger"),
            (hattfjelldal, "Felles bibliotektilbud med Vefsn"),
        )
    ]
    report = services.report_create(actor="t", agreement=agreement)
    return agreement, commitments, report


def test_report_takes_a_status_for_each_of_three_commitments_then_completes(
    site: str, page: Page, console_errors: list[str], report_with_three_commitments
):
    from django.utils import timezone

    from kraftsenter.agreements.models import FollowUpReport, ReportEntry

    agreement, commitments, report = report_with_three_commitments
    report_url = f"{agreement.get_absolute_url()}rapporter/{report.pk}/"
    assert report.get_absolute_url() == report_url
    entries = [
        ("in_progress", "Pågår", "Søknad sendt til fylket.", ""),
        ("done", "Fullført", "Planen ble vedtatt i juni.", ""),
        ("dropped", "Avbrutt", "Ikke aktuelt lenger.", "Biblioteket flyttes til skolen."),
    ]
    entry_form = "main form:has(#id_commitment)"
    _log_in(page, site, "nordland")  # the lead party's editors report for every party
    page.goto(site + report_url)
    table = _table(page, "Rapporten fra hver part om forpliktelsene sine")
    expect(page.get_by_text("3 forpliktelser uten status")).to_be_visible()

    for done, (commitment, (status, label, text, reason)) in enumerate(
        zip(commitments, entries, strict=True), start=1
    ):
        page.locator("#id_commitment").select_option(str(commitment.pk))
        page.locator("#id_status").select_option(status)
        page.locator("#id_text").fill(text)
        if reason:
            page.locator("#id_reason").fill(reason)
        _save(page, site, report_url, f"{entry_form} button[type=submit]")
        expect(page.get_by_text("Lagret.")).to_be_visible()
        row = _row(table, commitment.description)
        expect(row).to_contain_text(label)
        expect(row).to_contain_text(text)
        if reason:
            expect(row).to_contain_text(reason)
        expect(table.get_by_text("ikke rapportert")).to_have_count(3 - done)
        commitment.refresh_from_db()
        assert commitment.status == status
        assert ReportEntry.objects.get(report=report, commitment=commitment).text == text

    page.locator("#id_summary").fill("Alle partene har rapportert.")
    _save(
        page,
        site,
        report_url,
        "main form[action$='/ferdig/'] button[type=submit]",
        action=f"{report_url}ferdig/",
    )
    expect(page.get_by_text("Rapporten er fullført.")).to_be_visible()
    today = timezone.localdate()
    expect(page.locator(".ks-facts")).to_contain_text(f"Fullført ({_date(today)})")
    expect(page.get_by_text("Alle partene har rapportert.")).to_be_visible()
    # A complete report takes no more entries and cannot be completed again.
    expect(page.locator("#id_commitment")).to_have_count(0)
    expect(page.locator("main form[action$='/ferdig/']")).to_have_count(0)

    report = FollowUpReport.objects.get(pk=report.pk)
    assert report.completed_on == today
    assert report.summary == "Alle partene har rapportert."
    assert {c.pk: c.status for c in agreement.commitments.all()} == {
        c.pk: status for c, (status, _l, _t, _r) in zip(commitments, entries, strict=True)
    }
    page.goto(site + agreement.get_absolute_url())
    commitments_table = _table(page, "Forpliktelsene til hver part")
    for commitment, (_status, label, _text, _reason) in zip(commitments, entries, strict=True):
        expect(_row(commitments_table, commitment.description)).to_contain_text(label)
    assert not console_errors, console_errors


# --- cooperations: two bodies, members in both --------------------------------------------------

PLAN_OFFICE = "Plankontor Hamarregionen KO"


def _body_list(page: Page, body_name: str) -> Locator:
    """The member list under a body's heading on the cooperation page."""
    heading = page.locator("main h3", has_text=body_name)
    expect(heading).to_have_count(1)
    return heading.locator("xpath=following-sibling::ul[1]")


def test_members_are_added_to_each_of_two_bodies(site: str, page: Page, console_errors: list[str]):
    from kraftsenter.cooperations.models import Body, BodyMember, Cooperation

    coop = Cooperation.objects.get(name=PLAN_OFFICE)
    record_url = coop.get_absolute_url()
    # The demo gives the KO its representantskap (kommuneloven § 19-3); two more bodies here.
    assert not coop.bodies.exclude(kind="representantskap").exists()
    hamar, loten, stange = (_municipality(n) for n in ("3403", "3412", "3413"))
    _log_in(page, site, "hamar")

    bodies = (
        ("steering_group", "Styringsgruppe for plankontoret"),
        ("board", "Styret for plankontoret"),
    )
    for kind, name in bodies:
        page.goto(f"{site}{record_url}organer/ny/")
        page.locator("#id_kind").select_option(kind)
        page.locator("#id_name").fill(name)
        _save(page, site, record_url)
        expect(page.get_by_text("Lagret.")).to_be_visible()
    council = Body.objects.get(cooperation=coop, kind="steering_group")
    board = Body.objects.get(cooperation=coop, kind="board")
    council_heading, board_heading = "Styringsgruppe for plankontoret", "Styret for plankontoret"
    expect(_body_list(page, council_heading)).to_contain_text("Ingen medlemmer registrert.")
    expect(_body_list(page, board_heading)).to_contain_text("Ingen medlemmer registrert.")

    members = [
        (council, "Kari Nordmann", "chair", "3403", "2024-01-01", "2027-12-31"),
        (board, "Ola Nordmann", "member", "3412", "2024-03-01", "2026-02-28"),
        (board, "Per Hansen", "deputy", "3413", "", ""),
    ]
    for body, person, role, org, start, end in members:
        page.goto(f"{site}{record_url}organer/medlem/ny/")
        page.locator("#id_body").select_option(str(body.pk))
        page.locator("#id_person_name").fill(person)
        page.locator("#id_role").select_option(role)
        page.locator("#id_organisation").fill(org)
        page.locator("#id_term_start").fill(start)
        page.locator("#id_term_end").fill(end)
        _save(page, site, record_url)
        expect(page.get_by_text("Lagret.")).to_be_visible()
        heading = council_heading if body == council else board_heading
        expect(_body_list(page, heading)).to_contain_text(person)

    council_list = _body_list(page, council_heading)
    board_list = _body_list(page, board_heading)
    expect(council_list.get_by_role("listitem")).to_have_count(1)
    expect(council_list.get_by_role("listitem")).to_contain_text(
        f"Kari Nordmann – Leder ({hamar.name}), 01.01.2024–31.12.2027"
    )
    expect(board_list.get_by_role("listitem")).to_have_count(2)
    expect(board_list.get_by_role("listitem").filter(has_text="Ola Nordmann")).to_contain_text(
        f"Ola Nordmann – Medlem ({loten.name}), 01.03.2024–28.02.2026"
    )
    expect(board_list.get_by_role("listitem").filter(has_text="Per Hansen")).to_contain_text(
        f"Per Hansen – Varamedlem ({stange.name})"
    )
    expect(council_list).not_to_contain_text("Ola Nordmann")
    expect(board_list).not_to_contain_text("Kari Nordmann")

    saved = {
        m.person_name: (m.body_id, m.role, m.organisation_id, m.term_start, m.term_end)
        for m in BodyMember.objects.filter(body__in=[council, board])
    }
    assert saved == {
        "Kari Nordmann": (
            council.pk,
            "chair",
            hamar.pk,
            dt.date(2024, 1, 1),
            dt.date(2027, 12, 31),
        ),
        "Ola Nordmann": (board.pk, "member", loten.pk, dt.date(2024, 3, 1), dt.date(2026, 2, 28)),
        "Per Hansen": (board.pk, "deputy", stange.pk, None, None),
    }
    assert not console_errors, console_errors


# --- cooperations: a council decision per participant -------------------------------------------

ICT_OFFICE = "Hamarregionen IKT – kommunalt oppgavefellesskap"


def test_council_decision_is_recorded_for_each_of_three_participants(
    site: str, page: Page, console_errors: list[str]
):
    from kraftsenter.cooperations import services
    from kraftsenter.cooperations.models import Cooperation, CouncilDecision
    from kraftsenter.cooperations.rules import mandatory_codes

    coop = Cooperation.objects.get(name=ICT_OFFICE)
    record_url = coop.get_absolute_url()
    hamar, loten, stange = (_municipality(n) for n in ("3403", "3412", "3413"))
    assert {p.organisation_id for p in coop.participants.filter(archived_at__isnull=True)} == {
        hamar.pk,
        loten.pk,
    }
    _log_in(page, site, "hamar")

    # A third participant, with the shares shifted so that they still add up to 100 %.
    page.goto(f"{site}{record_url}deltakere/")
    page.locator("#id_p-0-ownership_share").fill("40")
    page.locator("#id_p-1-ownership_share").fill("30")
    page.locator("#id_p-2-organisation").fill("3413")
    page.locator("#id_p-2-ownership_share").fill("30")
    page.locator("#id_reason").fill("Stange blir med")
    _save(page, site, record_url)
    participants = _table(page, "Organisasjoner som deltar")
    expect(participants.get_by_role("row")).to_have_count(4)  # the header and three rows
    expect(_row(participants, stange.name)).to_contain_text("30")
    shares = {
        p.organisation_id: p.ownership_share
        for p in coop.participants.filter(archived_at__isnull=True)
    }
    assert shares == {hamar.pk: Decimal(40), loten.pk: Decimal(30), stange.pk: Decimal(30)}

    version = services.agreement_version_add(
        actor="t",
        cooperation=coop,
        items_covered=sorted(mandatory_codes(coop.legal_form)),
        summary="Første samarbeidsavtale.",
    )
    page.goto(site + record_url)
    decisions = _table(page, "Vedtak i kommunestyret/fylkestinget om versjon 1")
    expect(decisions.get_by_text(NOT_DECIDED)).to_have_count(3)

    councils = [
        (hamar, dt.date(2025, 10, 23), "Hamar kommunestyre", "25/120"),
        (loten, dt.date(2025, 10, 29), "Løten kommunestyre", "25/44"),
        (stange, dt.date(2025, 11, 5), "Stange kommunestyre", "25/301"),
    ]
    for done, (org, day, body, reference) in enumerate(councils, start=1):
        page.goto(f"{site}{record_url}vedtak/ny/")
        page.locator("#id_agreement_version").select_option(str(version.pk))
        page.locator("#id_organisation").select_option(str(org.pk))
        page.locator("#id_decided_on").fill(day.isoformat())
        page.locator("#id_body").fill(body)
        page.locator("#id_case_reference").fill(reference)
        _save(page, site, record_url)
        expect(page.get_by_text("Lagret.")).to_be_visible()
        row = _row(decisions, org.name)
        expect(row).to_contain_text(body)
        expect(row).to_contain_text(_date(day))
        expect(row).to_contain_text(reference)
        expect(decisions.get_by_text(NOT_DECIDED)).to_have_count(3 - done)

    saved = {
        d.organisation_id: (d.decided_on, d.body, d.case_reference)
        for d in CouncilDecision.objects.filter(agreement_version=version)
    }
    assert saved == {org.pk: (day, body, ref) for org, day, body, ref in councils}
    assert not console_errors, console_errors
