"""`manabiya requeue-emails`: send failed emails again, or whatever retries are due.

Without options, every failed email is put back in the queue for another day of attempts and tried
once now. `--due` instead sends the pending emails whose next attempt has come (for a queue that
cannot defer tasks; the database queue schedules each retry itself).
"""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from ... import mail
from ...models import Municipality, OutgoingEmail


class Command(BaseCommand):
    help = "Send failed emails again (or, with --due, the retries whose time has come)"

    def add_arguments(self, parser):
        parser.add_argument("--id", type=int, action="append", dest="ids", help="only this email (repeatable)")
        parser.add_argument("--municipality", help="only emails about this municipality (local government code)")
        parser.add_argument("--since", type=dt.date.fromisoformat, help="only emails queued on or after this date")
        parser.add_argument("--due", action="store_true", help="send the pending retries that are due, nothing else")

    def handle(self, *, ids, municipality, since, due, **options):
        if due:
            outcome = mail.deliver_due()
            self._report(outcome)
            return
        failed = OutgoingEmail.objects.filter(status=OutgoingEmail.Status.FAILED)
        if ids:
            failed = failed.filter(pk__in=ids)
        if municipality:
            city = Municipality.objects.filter(code=municipality).first()
            if city is None:
                raise CommandError(f"No municipality has the code {municipality}.")
            failed = failed.filter(municipality=city)
        if since:
            failed = failed.filter(created_at__date__gte=since)
        emails = list(failed.order_by("created_at"))
        mail.requeue(emails)
        self.stdout.write(f"{len(emails)} failed email(s) queued again.")
        if emails:
            self._report(mail.deliver(list(OutgoingEmail.objects.filter(pk__in=[e.pk for e in emails]))))

    def _report(self, outcome: mail.Outcome) -> None:
        self.stdout.write(
            f"sent {len(outcome.sent)}, to be retried {len(outcome.retrying)}, failed {len(outcome.failed)}"
        )
