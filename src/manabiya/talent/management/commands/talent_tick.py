"""`manabiya talent-tick`: the talent bank's scheduled work (run it daily from cron)."""

from django.core.management.base import BaseCommand

from manabiya.talent import services


class Command(BaseCommand):
    help = "Remind registrations ending with the fiscal year to renew, once each."

    def handle(self, *args, verbosity, **options):
        reminded = services.renewals_remind()
        if verbosity:
            self.stdout.write(self.style.SUCCESS(f"{reminded} talent bank registrations reminded to renew."))
