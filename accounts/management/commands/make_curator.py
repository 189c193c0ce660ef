"""Make an existing account a curator: staff, in the Curators group (catalog and ratings permissions).

The group's permissions are (re)set on every run, so running it again after an
upgrade brings the group up to date. Remove the user from the group, or take
their staff status away, in the admin to undo it.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.services import CURATORS_GROUP, curator_grant


class Command(BaseCommand):
    help = "Give an existing user the admin access curators need (staff, Curators group), not superuser."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", help="the account to make a curator (sign it up first)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        curator_grant(user=user)
        self.stdout.write(self.style.SUCCESS(f"{user.username} is a curator (staff, group {CURATORS_GROUP!r})."))
