from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo content for `make demo`: real places and the strategy chapter's real examples,
    created through the same services as a user's edits. Depends on every register; no
    register depends on it."""

    name = "kraftsenter.demo"
    label = "demo"
    verbose_name = _("Demo content")
