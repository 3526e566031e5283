from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "kraftsenter.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from kraftsenter.core.registry import register

        from .models import Region
        from .permissions import REGION_POLICY

        register(Region, policy=REGION_POLICY)
