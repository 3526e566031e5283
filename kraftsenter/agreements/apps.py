from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AgreementsConfig(AppConfig):
    name = "kraftsenter.agreements"
    label = "agreements"
    verbose_name = _("Plans, partnerships and agreements")
