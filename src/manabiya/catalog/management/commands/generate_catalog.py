"""`manabiya generate-catalog`: a large synthetic catalogue for load tests and benchmarks."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from manabiya.catalog.demo.synthetic import generate_catalog, remove_synthetic, synthetic_municipalities


class Command(BaseCommand):
    help = (
        "Generate N synthetic opportunities (with sessions, audiences and support) in synthetic "
        "municipalities named 架空…市, written in bulk for speed. Adds to what is there; --reset "
        "removes all synthetic data first."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--opportunities",
            type=int,
            required=True,
            help="How many to generate (0 with --reset only removes).",
        )
        parser.add_argument(
            "--municipalities",
            type=int,
            default=10,
            help="Synthetic municipalities to spread them over (default %(default)s).",
        )
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default %(default)s).")
        parser.add_argument(
            "--batch", type=int, default=5000, help="Opportunities per transaction (default %(default)s)."
        )
        parser.add_argument(
            "--reset", action="store_true", help="Remove every synthetic municipality and its data first."
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, opportunities, municipalities, seed, batch, reset, no_progress, verbosity, **options):
        if opportunities < 0 or municipalities < 1 or batch < 1:
            raise CommandError("--opportunities must be 0 or more, --municipalities and --batch 1 or more.")
        quiet = no_progress or verbosity == 0
        if reset:
            total = sum(m.opportunities.count() for m in synthetic_municipalities())
            with tqdm(total=total, unit="opp", desc="removing", disable=quiet) as bar:
                removed = remove_synthetic(progress=bar.update)
            if verbosity:
                self.stdout.write(f"Removed {removed:,} synthetic opportunities.")
        if opportunities == 0:
            return
        with tqdm(total=opportunities, unit="opp", desc="generating", disable=quiet) as bar:
            result = generate_catalog(
                opportunities=opportunities,
                municipalities=municipalities,
                seed=seed,
                batch=batch,
                progress=bar.update,
            )
        if verbosity:
            million = 1_000_000 / result.rate / 60 if result.rate else 0
            self.stdout.write(
                self.style.SUCCESS(
                    f"Generated {result.opportunities:,} opportunities ({result.sessions:,} sessions) in "
                    f"{result.seconds:.1f} s: {result.rate:,.0f} opportunities/s "
                    f"(1,000,000 would take about {million:.0f} min)."
                )
            )
