"""The app's API router: plans, partnerships, agreements, commitments and follow-up reports.

Wired in ``config/api.py``.
"""

from __future__ import annotations

from ninja import Router

from . import agreements, commitments, plans

router = Router()
router.add_router("", plans.router)
router.add_router("", agreements.router)
router.add_router("", commitments.router)
