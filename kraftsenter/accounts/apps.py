from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "kraftsenter.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from axes.signals import user_locked_out
        from django.contrib.auth import get_user_model
        from django.contrib.auth.signals import user_login_failed
        from django.db.models.signals import post_save, pre_save

        from . import receivers

        user_login_failed.connect(receivers.login_failed, dispatch_uid="ks-security-login-failed")
        user_locked_out.connect(receivers.locked_out, dispatch_uid="ks-security-locked-out")
        User = get_user_model()
        pre_save.connect(
            receivers.account_before_save, sender=User, dispatch_uid="ks-security-account"
        )
        post_save.connect(receivers.account_saved, sender=User, dispatch_uid="ks-security-account")
