"""`manabiya reindex`: rebuild the search index, all of it or one municipality's part."""

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from manabiya.core.models import Municipality
from manabiya.search import registry, services


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database. Without --municipality the whole index is "
        "emptied and refilled; with it, only that municipality's documents are replaced and "
        "everything stays findable meanwhile."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", help="Local government code (e.g. 132101): rebuild only its documents.")
        parser.add_argument("--kind", action="append", help="Only this kind (default: every registered kind).")
        parser.add_argument(
            "--prune-ended",
            action="store_true",
            help="Only drop the documents of things that are over (run it hourly from cron).",
        )
        parser.add_argument("--no-progress", action="store_true", help="Do not draw the progress bar.")

    def handle(self, *args, municipality, kind, prune_ended, no_progress, verbosity, **options):
        quiet = no_progress or verbosity == 0
        if prune_ended:
            with tqdm(unit="doc", desc="pruning", disable=quiet) as bar:
                dropped = services.prune_ended(progress=self._progress(bar))
            if verbosity:
                self.stdout.write(self.style.SUCCESS(f"Dropped {dropped:,} documents of things that are over."))
            return
        municipality_id = None
        if municipality:
            municipality_id = Municipality.objects.filter(code=municipality).values_list("pk", flat=True).first()
            if municipality_id is None:
                raise CommandError(f"No municipality has the code {municipality}.")
        kinds = kind or registry.names()
        unknown = sorted(set(kinds) - set(registry.names()))
        if unknown:
            raise CommandError(f"Unknown kind: {', '.join(unknown)}. Known: {', '.join(registry.names())}.")
        for name in kinds:
            with tqdm(unit="doc", desc=f"indexing {name}", disable=quiet) as bar:
                written = services.rebuild(kind=name, municipality_id=municipality_id, progress=self._progress(bar))
            if verbosity:
                self.stdout.write(self.style.SUCCESS(f"Indexed {written:,} {name} documents."))

    @staticmethod
    def _progress(bar):
        def progress(done: int, total: int) -> None:
            bar.total = total
            bar.n = done
            bar.refresh()

        return progress
