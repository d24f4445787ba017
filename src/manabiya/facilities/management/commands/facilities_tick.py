"""`manabiya facilities-tick`: facility reservation's scheduled work (run it daily from cron)."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from manabiya.core.errors import RuleViolation
from manabiya.facilities import services
from manabiya.facilities.models import LotteryRound


class Command(BaseCommand):
    help = (
        "Draw the monthly lotteries that are due, let won bookings not confirmed in time lapse, and remind "
        "registrations ending with the fiscal year to renew."
    )

    def add_arguments(self, parser):
        parser.add_argument("--draw", type=int, metavar="LOTTERY_ID", help="Draw only this lottery.")
        parser.add_argument("--seed", help="With --draw: the seed, to repeat a recorded draw on a copy of the data.")
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, draw, seed, no_progress, verbosity, **options):
        if draw is not None:
            lottery = LotteryRound.objects.filter(pk=draw).first()
            if lottery is None:
                raise CommandError(f"No lottery {draw}.")
            try:
                record = services.lottery_draw(actor=None, lottery=lottery, seed=seed)
            except RuleViolation as violation:
                raise CommandError(violation.message) from None
            self.stdout.write(
                f"Drew {lottery}: {len(record.granted)} wishes won. Seed {record.seed} ({record.algorithm})."
            )
            return
        drawn = 0
        for lottery_id in tqdm(
            services.lotteries_due(), unit="lottery", desc="drawing", disable=no_progress or verbosity == 0
        ):
            try:
                services.lottery_draw(actor=None, lottery=LotteryRound.objects.get(pk=lottery_id))
                drawn += 1
            except RuleViolation as violation:  # drawn by someone else meanwhile
                self.stderr.write(f"{lottery_id}: {violation.message}")
        expired = services.won_bookings_expire()
        reminded = services.renewals_remind()
        if verbosity:
            summary = f"Drew {drawn} lotteries; {expired} won bookings lapsed; {reminded} registrations to renew."
            self.stdout.write(self.style.SUCCESS(summary))
