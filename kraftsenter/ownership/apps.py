from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OwnershipConfig(AppConfig):
    name = "kraftsenter.ownership"
    label = "ownership"
    verbose_name = _("Ownership")
    contract_modules = (
        "kraftsenter.ownership.tests.contract",
        "kraftsenter.ownership.tests.contract_statement",
    )

    def ready(self) -> None:
        from kraftsenter.core.codelists import register_code_list
        from kraftsenter.core.registry import register

        from .choices import AdoptedBy, HistoryAction, InterestKind, ReportGroup, StatementKind
        from .models import OwnershipInterest, OwnershipStatement
        from .permissions import INTEREST_POLICY, STATEMENT_POLICY

        register(OwnershipInterest, policy=INTEREST_POLICY, actions=HistoryAction)
        register(OwnershipStatement, policy=STATEMENT_POLICY)
        for name, choices, description in (
            (
                "ownership-interest-kinds",
                InterestKind,
                "Kinds of ownership or similar interest (kommuneloven § 26-1).",
            ),
            (
                "ownership-report-groups",
                ReportGroup,
                "The groups of kommuneloven § 26-1 second paragraph letter b.",
            ),
            (
                "ownership-documents",
                StatementKind,
                "Council documents on ownership (kommuneloven §§ 26-1 and 23-4).",
            ),
            ("ownership-adopted-by", AdoptedBy, "Who adopted a council document on ownership."),
        ):
            register_code_list(name, choices, description=description)
