from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "kraftsenter.actors"
    label = "actors"
    verbose_name = _("Actors")
    contract_modules = ("kraftsenter.actors.tests.contract",)

    def ready(self) -> None:
        from kraftsenter.core.registry import register

        from .choices import HistoryAction
        from .models import Organisation
        from .permissions import ORGANISATION_POLICY, part_visible

        register(
            Organisation,
            policy=ORGANISATION_POLICY,
            actions=HistoryAction,
            part_visible=part_visible,
        )
