"""Pages of plans, partnerships, agreements, commitments, reports and dashboards."""
