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
        from kraftsenter.actors.county_links import keep
        from kraftsenter.core.codelists import register_code_list
        from kraftsenter.core.registry import register

        from .counties import COUNTIES, PARTY_COUNTIES

        # An organisation that moves to another county moves its agreements and its
        # commitments (counties.py).
        keep(COUNTIES)
        keep(PARTY_COUNTIES)

        from .choices import (
            AgreementKind,
            AgreementStatus,
            CommitmentStatus,
            DigestFrequency,
            HistoryAction,
            PlanKind,
            PlanStatus,
        )
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
        for name, choices, description in (
            ("plan-kinds", PlanKind, "Kinds of plan (plan- og bygningsloven)."),
            ("plan-statuses", PlanStatus, "A plan's status."),
            ("agreement-kinds", AgreementKind, "Kinds of agreement."),
            ("agreement-statuses", AgreementStatus, "An agreement's status."),
            ("commitment-statuses", CommitmentStatus, "A commitment's status."),
            ("digest-frequencies", DigestFrequency, "How often digest e-mails are sent."),
        ):
            register_code_list(name, choices, description=description)
