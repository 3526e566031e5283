from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ActorsConfig(AppConfig):
    name = "kraftsenter.actors"
    label = "actors"
    verbose_name = _("Actors")
    contract_modules = ("kraftsenter.actors.tests.contract",)

    def ready(self) -> None:
        from kraftsenter.core.codelists import register_code_list
        from kraftsenter.core.registry import register
        from kraftsenter.places.signals import reference_data_imported

        from .choices import ENHETSREGISTERET_FORMS as ER_FORMS
        from .choices import HistoryAction, OrganisationKind, Role
        from .models import Organisation
        from .permissions import ORGANISATION_POLICY, part_visible
        from .receivers import sync_organisations_after_import

        register(
            Organisation,
            policy=ORGANISATION_POLICY,
            actions=HistoryAction,
            part_visible=part_visible,
        )
        # After a reference import every municipality and county municipality has its
        # organisation, and the national actors exist (places cannot call actors itself).
        reference_data_imported.connect(
            sync_organisations_after_import, dispatch_uid="actors.sync_organisations_after_import"
        )
        # Registers that keep the counties of their records (county_links.py) follow an
        # organisation that moves to another county.
        from django.db.models.signals import post_save, pre_save

        from . import county_links

        pre_save.connect(
            county_links.organisation_before_save,
            sender=Organisation,
            dispatch_uid="ks-county-links-before",
        )
        post_save.connect(
            county_links.organisation_saved, sender=Organisation, dispatch_uid="ks-county-links"
        )
        register_code_list(
            "organisation-kinds",
            OrganisationKind,
            description="Kinds of organisation (actor kinds of the strategy chapter).",
            extra={kind: {"enhetsregisteret_form": form} for kind, form in ER_FORMS.items()},
        )
        register_code_list("roles", Role, description="A user's role in an organisation.")
