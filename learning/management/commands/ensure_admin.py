import os
import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = (
        "Create the admin account if it does not exist. Its password comes from DEEPPATH_ADMIN_PASSWORD, or is "
        "generated and printed once. With DEEPPATH_ADMIN_PASSWORD set, an existing admin's password is reset to it."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--url", default="http://127.0.0.1:8000", help="Base URL to print with the login.")

    @transaction.atomic
    def handle(self, *args, url: str, **options) -> None:
        username = settings.DEEPPATH_ADMIN_USERNAME
        wanted_password = os.environ.get("DEEPPATH_ADMIN_PASSWORD", "")
        user_model = get_user_model()
        user = user_model.objects.filter(username=username).first()
        admin_url = f"{url.rstrip('/')}/admin/"
        if user is None:
            password = wanted_password or secrets.token_urlsafe(12)
            user_model.objects.create_superuser(username=username, email="", password=password)
            self._print_login(url, admin_url, username, password)
        elif wanted_password:
            user.set_password(wanted_password)
            user.is_staff = user.is_superuser = user.is_active = True
            user.save()
            self._print_login(url, admin_url, username, wanted_password)
        else:
            self.stdout.write(
                f"\n  DeepPath: {url}\n  Admin:    {admin_url}  user '{username}' (password printed when it was "
                "created; set DEEPPATH_ADMIN_PASSWORD to reset it)\n"
            )

    def _print_login(self, url: str, admin_url: str, username: str, password: str) -> None:
        self.stdout.write(
            self.style.SUCCESS(f"\n  DeepPath: {url}\n  Admin:    {admin_url}\n  Login:    {username} / {password}\n")
        )
