"""Create the admin account for a fresh installation, once.

Credentials come from DJANGO_ADMIN_USERNAME / DJANGO_ADMIN_PASSWORD /
DJANGO_ADMIN_EMAIL; without a password (unset or empty) a random one is
generated and printed, so no default password exists anywhere.
"""

from __future__ import annotations

import os
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser

from moviesite.env import env_str


class Command(BaseCommand):
    help = "Create a superuser if none exists (credentials from the environment, or generated and printed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url",
            # HOST and PORT are what `make run` and the Procfile's web process serve on.
            default=f"http://{env_str('HOST', '127.0.0.1')}:{env_str('PORT', '8000')}",
            help="where the site is served, for the sign-in hint (default: http://$HOST:$PORT, else 127.0.0.1:8000)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        user_model = get_user_model()
        if user_model.objects.filter(is_superuser=True).exists():
            self.stdout.write("An admin account exists already; nothing to do.")
            return
        # Set to nothing counts as unset (env_str): an env file often lists a variable without a value.
        username = env_str("DJANGO_ADMIN_USERNAME", "admin")
        email = env_str("DJANGO_ADMIN_EMAIL", "admin@localhost")
        # Read as given, not stripped: spaces may belong to a passphrase.
        given_password = os.environ.get("DJANGO_ADMIN_PASSWORD", "")
        password = given_password or secrets.token_urlsafe(12)
        user_model.objects.create_superuser(username=username, email=email, password=password)
        shown = "(from DJANGO_ADMIN_PASSWORD)" if given_password else password
        self.stdout.write(self.style.SUCCESS(f"Admin account created: {username} / {shown}"))
        admin_url = options["site_url"].rstrip("/") + "/admin/"
        self.stdout.write(f"Sign in at {admin_url} (change the password from the profile page).")
