"""`manabiya import-events FILE --municipality CODE [--dry-run] [--as EMAIL]`."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from tqdm import tqdm

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.models import User

from ...importing import EventImportRefused, events_import, events_import_plan


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a 自治体標準オープンデータセット「イベント一覧」 CSV into the catalogue. Every bad row is "
        "listed as “line N, column X: reason”; if there is one, nothing is saved."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=gettext_lazy("the CSV file (UTF-8, UTF-8 with BOM or Shift_JIS)"))
        parser.add_argument(
            "--municipality",
            required=True,
            metavar="CODE",
            help=gettext_lazy("local government code, 6 digits or 5 without the check digit"),
        )
        parser.add_argument("--dry-run", action="store_true", help=gettext_lazy("check and report; save nothing"))
        parser.add_argument(
            "--as",
            dest="as_email",
            metavar="EMAIL",
            help=gettext_lazy("act as this coordinator (default: the operator, who may import anywhere)"),
        )

    def handle(self, *args, file: str, municipality: str, dry_run: bool, as_email: str | None, **options):
        actor = None
        if as_email:
            actor = User.objects.filter(email__iexact=as_email).first()
            if actor is None:
                raise CommandError(_("No user has the email address %(email)s.") % {"email": as_email})
        try:
            data = Path(file).read_bytes()
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": file, "error": error}) from error

        try:
            plan = events_import_plan(actor=actor, data=data, municipality_code=municipality)
        except (RuleViolation, PermissionDenied) as violation:
            raise CommandError(violation.message) from violation
        for warning in plan.warnings:
            self.stderr.write(str(warning), style_func=self.style.WARNING)
        if plan.errors:
            self._refuse(plan.errors)
        summary = {"new": plan.new_count, "updated": plan.update_count, "encoding": plan.encoding}
        if dry_run:
            self.stdout.write(
                _("Dry run (%(encoding)s): %(new)d new, %(updated)d updated. Nothing was saved.") % summary
            )
            return

        # tqdm draws with carriage returns, which Django's OutputWrapper would break into lines.
        with tqdm(total=len(plan.rows), file=self.stderr._out, unit=_("rows"), mininterval=0.5) as bar:

            def progress(done: int, total: int) -> None:
                bar.update(done - bar.n)

            try:
                result = events_import(
                    actor=actor,
                    data=data,
                    municipality_code=municipality,
                    progress=progress,
                    filename=Path(file).name,
                )
            except EventImportRefused as refused:  # the data changed between the plan and now
                bar.close()
                self._refuse(refused.errors)
            except (RuleViolation, PermissionDenied) as violation:
                raise CommandError(violation.message) from violation
        self.stdout.write(
            _("Imported into %(municipality)s: %(created)d new, %(updated)d updated.")
            % {
                "municipality": result.municipality.name,
                "created": len(result.created),
                "updated": len(result.updated),
            }
        )

    def _refuse(self, errors) -> None:
        for error in errors:
            self.stderr.write(str(error))
        raise CommandError(
            ngettext(
                "%(count)d problem in the file; nothing was imported.",
                "%(count)d problems in the file; nothing was imported.",
                len(errors),
            )
            % {"count": len(errors)}
        )
