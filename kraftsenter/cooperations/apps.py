from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationsConfig(AppConfig):
    name = "kraftsenter.cooperations"
    label = "cooperations"
    verbose_name = _("Inter-municipal cooperation")
    contract_modules = ("kraftsenter.cooperations.tests.contract",)

    def ready(self) -> None:
        from kraftsenter.core.codelists import register_code_list
        from kraftsenter.core.registry import register

        from .choices import ENHETSREGISTERET_FORMS as ER_FORMS
        from .choices import Area, BodyKind, HistoryAction, LegalForm, MemberRole, Status
        from .models import Cooperation
        from .permissions import COOPERATION_POLICY

        register(Cooperation, policy=COOPERATION_POLICY, actions=HistoryAction)
        # An organisation that moves to another county moves its cooperations (counties.py).
        from kraftsenter.actors.county_links import keep

        from .counties import COUNTIES

        keep(COUNTIES)
        register_code_list(
            "legal-forms",
            LegalForm,
            description="The legal forms of inter-municipal cooperation (kommuneloven § 17-1).",
            extra={form: {"enhetsregisteret_form": code} for form, code in ER_FORMS.items()},
        )
        register_code_list("cooperation-areas", Area, description="What a cooperation works on.")
        register_code_list("cooperation-statuses", Status, description="A cooperation's status.")
        register_code_list("body-kinds", BodyKind, description="Kinds of body of a cooperation.")
        register_code_list("body-member-roles", MemberRole, description="Roles in a body.")
