from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    """What an operator runs beside the site: `kraftsenter backup` and `kraftsenter restore`.
    No models and no pages; imports no domain app."""

    name = "kraftsenter.operations"
    label = "operations"
    verbose_name = _("Backup and restore")
