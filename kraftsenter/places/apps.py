from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "kraftsenter.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from kraftsenter.core.codelists import register_code_list
        from kraftsenter.core.registry import register

        from .choices import RegionSource
        from .models import Region
        from .permissions import REGION_POLICY

        register(Region, policy=REGION_POLICY)
        register_code_list("region-sources", RegionSource, description="Where a region comes from.")
