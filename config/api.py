"""The site's API at /api/v1/: one NinjaAPI with the shared conventions (``core.api``), the
token-or-session authentication of ``accounts``, and every register's router."""

from __future__ import annotations

from ninja import NinjaAPI

from kraftsenter.accounts.auth import TokenOrSessionAuth
from kraftsenter.actors.api import router as actors_router
from kraftsenter.agreements.api import router as agreements_router
from kraftsenter.consultations.api import router as consultations_router
from kraftsenter.cooperations.api import router as cooperations_router
from kraftsenter.core.api import install_conventions
from kraftsenter.knowledge.api import router as knowledge_router
from kraftsenter.knowledge.profile_api import router as profile_router
from kraftsenter.places.api import router as places_router

api = NinjaAPI(
    title="Kraftsenter API",
    version="1",
    description=(
        "Open API for the Kraftsenter collaboration platform: places, official facts and the "
        "registers built on them. Lists are paginated (`page`, `page_size` ≤ 200) and filtered "
        "with the same filters as the pages. Errors share one shape (`ErrorOut`)."
    ),
    urls_namespace="api",
    auth=TokenOrSessionAuth(),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
install_conventions(api)

for router in (
    places_router,
    actors_router,
    cooperations_router,
    knowledge_router,
    agreements_router,
    profile_router,
    consultations_router,
):
    api.add_router("/", router)
