"""`manabiya applications-tick`: the applications' scheduled work (run it every few minutes from cron)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from manabiya.catalog.models import LearningOpportunity
from manabiya.core.errors import RuleViolation
from manabiya.registration import services


class Command(BaseCommand):
    help = (
        "Draw the lotteries whose applications have closed, let unconfirmed lottery places lapse to "
        "the waiting list, and send the reminders for courses starting within a day."
    )

    def add_arguments(self, parser):
        parser.add_argument("--draw", type=int, metavar="OPPORTUNITY_ID", help="Draw only this opportunity's lottery.")
        parser.add_argument("--seed", help="With --draw: the seed, to repeat a recorded draw on a copy of the data.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, draw, seed, no_progress, verbosity, **options):
        if draw is not None:
            opportunity = LearningOpportunity.objects.filter(pk=draw).first()
            if opportunity is None:
                raise CommandError(f"No opportunity {draw}.")
            try:
                record = services.lottery_draw(actor=None, opportunity=opportunity, seed=seed)
            except RuleViolation as violation:
                raise CommandError(violation.message) from None
            won, entries = len(record.winners), len(record.entries)
            self.stdout.write(f"Drew {entries} entries: {won} won. Seed {record.seed} ({record.algorithm}).")
            return
        due = services.lotteries_due()
        drawn = 0
        for opportunity_id in tqdm(due, unit="lottery", desc="drawing", disable=no_progress or verbosity == 0):
            try:
                services.lottery_draw(actor=None, opportunity=LearningOpportunity.objects.get(pk=opportunity_id))
                drawn += 1
            except RuleViolation as violation:  # drawn by someone else meanwhile
                self.stderr.write(f"{opportunity_id}: {violation.message}")
        expired = services.offers_expire()
        reminded = services.reminders_send()
        if verbosity:
            self.stdout.write(
                self.style.SUCCESS(f"Drew {drawn} lotteries, {expired} places lapsed, {reminded} reminders sent.")
            )
