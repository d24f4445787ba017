"""`manabiya load-demo`: the five demo municipalities, their catalogue and demo accounts."""

import datetime as dt

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from manabiya.catalog.demo.loader import DEFAULT_SEED, account_rows, load_demo, reset_demo


class Command(BaseCommand):
    help = (
        "Load demo data: five municipalities with real programme names, a few hundred opportunities "
        "dated over the coming four months, and demo accounts for every role. Does nothing if the "
        "demo is already loaded, unless --reset."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Remove the demo data first and load it again, dated from today.",
        )
        parser.add_argument(
            "--allow-without-debug",
            action="store_true",
            help="Load even though DEBUG is off. The demo accounts have a published password: never on a live site.",
        )
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="Random seed (default %(default)s).")
        parser.add_argument(
            "--today",
            type=dt.date.fromisoformat,
            help="Date the catalogue as if today were this day (YYYY-MM-DD).",
        )

    def handle(self, *args, reset: bool, seed: int, today: dt.date | None, allow_without_debug: bool, **options):
        if not settings.DEBUG and not allow_without_debug:
            # The demo makes a superuser and coordinators of real municipality codes with a
            # password printed below: on a live database that hands the city to anyone.
            raise CommandError(
                "DEBUG is off: this looks like a live site, and the demo accounts' password is public. "
                "Use --allow-without-debug only on a throwaway database."
            )
        try:
            with transaction.atomic():
                if reset:
                    removed = reset_demo()
                    if any(removed.values()):
                        self.stdout.write(
                            "Removed the demo: " + ", ".join(f"{n} {what}" for what, n in removed.items() if n) + "."
                        )
                result = load_demo(today=today, seed=seed)
        except ProtectedError as error:
            example = next(iter(error.protected_objects))
            raise CommandError(
                "Other records still use the demo data, so it cannot be removed: "
                f"{len(error.protected_objects)} protected row(s), e.g. {example!r}."
            ) from error

        if result.loaded:
            counts = result.counts
            states = ", ".join(f"{n} {status}" for status, n in sorted(counts.items(), key=lambda item: -item[1]))
            self.stdout.write(
                self.style.SUCCESS(
                    f"Loaded the demo in {result.seconds:.1f} s: {result.municipalities} municipalities, "
                    f"{result.providers} providers, {result.venues} venues, "
                    f"{sum(counts.values())} opportunities ({states}); "
                    f"{result.applications} applications on the demo citizen's My page."
                )
            )
        else:
            stale = result.loaded_on != timezone.localdate()
            self.stdout.write(
                f"The demo is already loaded (on {result.loaded_on}); nothing was changed."
                + (" Its dates have moved on: run `manabiya load-demo --reset` to date it from today." if stale else "")
            )
        self.stdout.write(self._accounts_table())

    def _accounts_table(self) -> str:
        rows = [("role", "e-mail", "password", "acts for"), *account_rows()]
        widths = [max(len(row[i]) for row in rows) for i in range(3)]
        lines = ["", "Demo accounts (log in at /accounts/login/):"]
        for n, row in enumerate(rows):
            lines.append(
                "  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=False)) + "  " + row[3]
            )
            if n == 0:
                lines.append("  " + "  ".join("-" * width for width in widths) + "  " + "-" * 8)
        return "\n".join(lines) + "\n"
