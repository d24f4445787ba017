"""`manabiya prune-imports [--older-than-days N]`: clear old files out of the import staging
directory. Run it daily (cron or a systemd timer)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...importing import import_jobs_prune


class Command(BaseCommand):
    help = gettext_lazy(
        "Delete uploaded event files that were never confirmed, and the records of finished imports "
        "and of imports whose background task was lost, once they are older than the given number of "
        "days. Imports whose task is still queued or running are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--older-than-days",
            type=int,
            default=2,
            metavar="N",
            help=gettext_lazy("delete what was last written more than N days ago (default: %(default)s)"),
        )

    def handle(self, *args, older_than_days: int, **options):
        if older_than_days < 0:
            raise CommandError(_("The number of days cannot be negative."))
        result = import_jobs_prune(older_than=dt.timedelta(days=older_than_days))
        self.stdout.write(
            _("Unconfirmed uploads deleted: %(uploads)d. Finished imports deleted: %(finished)d.")
            % {"uploads": result.uploads, "finished": result.finished}
        )
        if result.stuck:
            self.stdout.write(
                _("Imports whose background task was lost, deleted: %(stuck)d.") % {"stuck": result.stuck}
            )
