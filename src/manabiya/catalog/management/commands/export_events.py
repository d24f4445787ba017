"""`manabiya export-events --municipality CODE [--output FILE]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from manabiya.core.japan import normalize_local_government_code
from manabiya.core.models import Municipality

from ...exporting import events_csv


class Command(BaseCommand):
    help = gettext_lazy(
        "Write the published catalogue of a municipality as a "
        "自治体標準オープンデータセット「イベント一覧」 CSV (UTF-8 with BOM)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--municipality", required=True, metavar="CODE", help=gettext_lazy("local government code"))
        parser.add_argument(
            "--output", metavar="FILE", help=gettext_lazy("write to this file instead of standard output")
        )

    def handle(self, *args, municipality: str, output: str | None, **options):
        code = normalize_local_government_code(municipality)
        found = Municipality.objects.filter(code=code).first()
        if found is None:
            raise CommandError(_("No municipality has the code %(code)s.") % {"code": municipality})
        data = events_csv(municipality=found)
        if output:
            Path(output).write_bytes(data)
            return
        stream = self.stdout._out
        if hasattr(stream, "buffer"):  # a real console or pipe: write the bytes as they are
            stream.flush()
            stream.buffer.write(data)
            stream.buffer.flush()
        else:
            stream.write(data.decode("utf-8"))
