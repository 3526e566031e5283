"""Read-only admin for plans, partnerships, agreements and commitments."""

from kraftsenter.core.admin import site_register

from .models import Agreement, Commitment, FollowUpReport, Partnership, Plan

site_register(Plan, list_display=("title", "kind", "owner", "election_year", "status"))
site_register(Partnership, list_display=("name", "lead"))
site_register(Agreement, list_display=("title", "kind", "status", "period_start", "period_end"))
site_register(Commitment, list_display=("agreement", "party", "due_date", "status"))
site_register(FollowUpReport, list_display=("agreement", "period_start", "period_end"))
