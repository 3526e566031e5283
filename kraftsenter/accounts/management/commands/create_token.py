"""kraftsenter create_token USERNAME: prints a new personal API token once."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kraftsenter.accounts.tokens import token_create


class Command(BaseCommand):
    help = "Create a personal API token for a user and print it (only a hash is stored)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="kommandolinje", help="What the token is for.")
        parser.add_argument("--days", type=int, default=90, help="Days until it expires (1–366).")

    def handle(self, *args, username: str, name: str, days: int, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Ingen bruker heter «{username}».")
        try:
            token, text = token_create(actor="create_token", user=user, name=name, days=days)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        self.stderr.write(
            f"Token «{token.name}» for {username}, utløper {token.expires_at:%Y-%m-%d}. "
            "Det vises bare nå:"
        )
        self.stdout.write(text)
