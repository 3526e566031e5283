from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationsConfig(AppConfig):
    name = "kraftsenter.cooperations"
    label = "cooperations"
    verbose_name = _("Inter-municipal cooperation")
    contract_modules = ("kraftsenter.cooperations.tests.contract",)

    def ready(self) -> None:
        from kraftsenter.core.registry import register

        from .choices import HistoryAction
        from .models import Cooperation
        from .permissions import COOPERATION_POLICY

        register(Cooperation, policy=COOPERATION_POLICY, actions=HistoryAction)
