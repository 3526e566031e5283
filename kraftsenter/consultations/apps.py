from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConsultationsConfig(AppConfig):
    name = "kraftsenter.consultations"
    label = "consultations"
    verbose_name = _("Sami consultations")
    contract_modules = (
        "kraftsenter.consultations.tests.contract",
        "kraftsenter.consultations.tests.contract_authority",
    )

    def ready(self) -> None:
        from kraftsenter.core.registry import register

        from .choices import HistoryAction
        from .models import Consultation
        from .permissions import CONSULTATION_POLICY, part_visible

        register(
            Consultation,
            policy=CONSULTATION_POLICY,
            actions=HistoryAction,
            part_visible=part_visible,
        )
