from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from enlace.accounts.backends import DEMO_PASSWORD
from enlace.accounts.management.demo import seed_demo
from enlace.accounts.models import Role


class Command(BaseCommand):
    help = "Load the demo offices and users (kept if already there). Refused in production."

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.ENLACE_ALLOW_DEMO_PASSWORD:
            raise CommandError("Demo data is refused by these settings (production).")
        logins = seed_demo()
        from enlace.cases.demo import seed_demo_cases

        seed_demo_cases()
        logins.append(("albergue.mx", str(Role.OFFICER.label), "Albergue Belén, Tapachula"))
        self.stdout.write(f"Demo logins (password: {DEMO_PASSWORD}):")
        for username, role, office in logins:
            self.stdout.write(f"  {username:<15} {role} — {office}")
