from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from django.conf import settings
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_save

        from accounts.middleware import language_restore_at_login
        from accounts.services import tokens_end_on_password_change

        user_logged_in.connect(language_restore_at_login, dispatch_uid="accounts.language_restore_at_login")
        post_save.connect(
            tokens_end_on_password_change,
            sender=settings.AUTH_USER_MODEL,
            dispatch_uid="accounts.tokens_end_on_password_change",
        )
