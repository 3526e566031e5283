from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "kraftsenter.agreements"
    label = "agreements"
    verbose_name = _("Plans, partnerships and agreements")
    contract_modules = (
        "kraftsenter.agreements.tests.contract",
        "kraftsenter.agreements.tests.contract_plan",
        "kraftsenter.agreements.tests.contract_partnership",
        "kraftsenter.agreements.tests.contract_commitment",
    )

    def ready(self) -> None:
        from kraftsenter.core.registry import register

        from .choices import HistoryAction
        from .models import Agreement, Commitment, Partnership, Plan
        from .permissions import (
            AGREEMENT_POLICY,
            COMMITMENT_POLICY,
            PARTNERSHIP_POLICY,
            PLAN_POLICY,
        )

        register(Plan, policy=PLAN_POLICY, actions=HistoryAction)
        register(Partnership, policy=PARTNERSHIP_POLICY)
        register(Agreement, policy=AGREEMENT_POLICY)
        register(Commitment, policy=COMMITMENT_POLICY)
