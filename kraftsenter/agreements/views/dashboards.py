"""Dashboards (a county's agreements and commitments; an organisation's own commitments),
their SVG charts with tables, and the user's digest e-mail setting."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from kraftsenter.actors.models import Organisation
from kraftsenter.actors.selectors import organisation_get, user_membership_list
from kraftsenter.core.views import AuthenticatedHttpRequest
from kraftsenter.places.selectors import county_get, current_counties

from .. import charts, dashboards, planning, services
from ..choices import AgreementStatus, CommitmentStatus, DigestFrequency
from ..forms import DigestPreferenceForm
from ..models import DigestPreference
from ..rows import AgreementRows, CommitmentRows, due_report_rows, party_count_rows


def dashboard_index(request: HttpRequest) -> HttpResponse:
    """Where the dashboards are: the user's organisations and every county."""
    memberships = user_membership_list(user=request.user)
    counties = current_counties()
    return render(
        request,
        "agreements/dashboard_index.html",
        {"memberships": memberships, "counties": counties},
    )


def county_dashboard(request: HttpRequest, number: str) -> HttpResponse:
    county = county_get(number=number)
    today = timezone.localdate()
    data = dashboards.county_dashboard(user=request.user, county=county, today=today)
    status_chart = charts.bar_chart(
        [(label, n, code) for code, label, n in data.commitments_by_status],
        title=_("Commitments by status"),
        description=_("Number of commitments in agreements with a party in %(county)s.")
        % {"county": county.name_nb},
    )
    top_parties = sorted(data.party_rows, key=lambda r: (-r[3], r[1]))[:15]
    party_chart = charts.stacked_bar_chart(
        [(name, values) for _pk, name, values, _total in top_parties],
        [(code, str(label)) for code, label in CommitmentStatus.choices],
        title=_("Commitments by party and status"),
        description=_("The parties with the most commitments; the table below lists all."),
    )
    party_table = [
        (pk, name, [values.get(code, 0) for code in CommitmentStatus.values], total)
        for pk, name, values, total in data.party_rows
    ]
    agreement_statuses = [
        (code, label, data.agreements_by_status.get(code, 0))
        for code, label in AgreementStatus.choices
    ]
    return render(
        request,
        "agreements/county_dashboard.html",
        {
            "county": county,
            "data": data,
            "status_chart": status_chart,
            "party_chart": party_chart,
            "agreement_statuses": agreement_statuses,
            "party_table": party_table,
            "party_rows": party_count_rows(party_table),
            "agreement_rows": AgreementRows(kind=False)(data.agreements),
            "report_rows": due_report_rows(data.overdue_reports, agreement_link=True),
            "status_codes": CommitmentStatus.choices,
            "today": today,
            "election_year": planning.current_election_year(today),
        },
    )


def organisation_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    organisation: Organisation = organisation_get(user=request.user, pk=pk)
    today = timezone.localdate()
    data = dashboards.organisation_dashboard(
        user=request.user, organisation=organisation, today=today
    )
    status_chart = charts.bar_chart(
        [(label, n, code) for code, label, n in data.by_status],
        title=_("Our commitments by status"),
        description=_("Number of %(name)s's commitments in each status.")
        % {"name": organisation.name},
    )
    return render(
        request,
        "agreements/organisation_dashboard.html",
        {
            "organisation": organisation,
            "data": data,
            "status_chart": status_chart,
            "today": today,
            "soon_days": dashboards.DUE_SOON_DAYS,
            "rows": _commitment_tables(data, today),
        },
    )


@login_required
def digest_preference(request: AuthenticatedHttpRequest) -> HttpResponse:
    current = DigestPreference.objects.filter(user=request.user).first()
    initial = {"frequency": current.frequency if current else DigestFrequency.WEEKLY}
    form = DigestPreferenceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        services.digest_preference_set(
            actor=request.user, user=request.user, frequency=form.cleaned_data["frequency"]
        )
        messages.success(request, _("Saved."))
        return redirect("agreements:digest-preference")
    status = 422 if request.method == "POST" else 200
    return render(
        request,
        "agreements/digest_preference.html",
        {"form": form, "preference": current, "has_email": bool(request.user.email)},
        status=status,
    )


def _commitment_tables(data: dashboards.OrganisationDashboard, today: dt.date) -> dict[str, Any]:
    """The rows of the dashboard's commitment tables (agreements/rows.py) and of its ownership
    deadlines (ownership/rows.py)."""
    from kraftsenter.ownership.rows import deadline_rows

    own, led = CommitmentRows(party=False), CommitmentRows(party=True)
    return {
        "overdue": own(data.overdue),
        "due_soon": own(data.due_soon),
        "later": own(data.later),
        "lead_at_risk": led(data.lead_at_risk),
        "ownership": deadline_rows(data.ownership_deadlines),
        "reports": due_report_rows(data.reports, today=today),
    }
