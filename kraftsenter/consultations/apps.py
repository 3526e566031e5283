from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "kraftsenter.consultations"
    label = "consultations"
    verbose_name = _("Consultations with Sami interests")
    contract_modules = (
        "kraftsenter.consultations.tests.contract",
        "kraftsenter.consultations.tests.contract_authority",
    )

    def ready(self) -> None:
        from kraftsenter.core.codelists import register_code_list
        from kraftsenter.core.registry import register

        from .choices import (
            Access,
            Agreement,
            AuthorityLevel,
            ExemptionBasis,
            HistoryAction,
            MatterKind,
            Origin,
            PlanKind,
            Response,
            SamiLanguage,
            ScreeningResult,
            Status,
        )
        from .models import Consultation
        from .permissions import CONSULTATION_POLICY, part_visible

        register(
            Consultation,
            policy=CONSULTATION_POLICY,
            actions=HistoryAction,
            part_visible=part_visible,
        )
        for name, choices, description in (
            ("authority-levels", AuthorityLevel, "The consulting authority's level."),
            ("matter-kinds", MatterKind, "Kinds of matter consulted on."),
            (
                "consultation-plan-kinds",
                PlanKind,
                "Kinds of plan consulted on: decides whether Sametinget can object instead "
                "(sameloven § 4-1 fourth paragraph, pbl. § 5-4).",
            ),
            (
                "document-origins",
                Origin,
                "How a consultation document came about: decides which exemptions from public "
                "access can apply (offentleglova §§ 14, 15 and 19).",
            ),
            ("screening-results", ScreeningResult, "Results of the screening (sameloven § 4-1)."),
            ("consultation-statuses", Status, "A consultation's status."),
            ("party-responses", Response, "A party's answer to the notice."),
            ("protocol-outcomes", Agreement, "Whether a protocol records agreement."),
            ("access", Access, "Public or exempt from public access."),
            ("exemption-bases", ExemptionBasis, "Legal bases for exemption from public access."),
            ("sami-languages", SamiLanguage, "Sami languages of parallel texts."),
        ):
            register_code_list(name, choices, description=description)
