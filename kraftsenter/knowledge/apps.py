from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KnowledgeConfig(AppConfig):
    name = "kraftsenter.knowledge"
    label = "knowledge"
    verbose_name = _("Regional knowledge base")
    contract_modules = ("kraftsenter.knowledge.tests.contract",)

    def ready(self) -> None:
        from kraftsenter.core.registry import register

        from .models import Scenario
        from .permissions import SCENARIO_POLICY

        register(Scenario, policy=SCENARIO_POLICY)
