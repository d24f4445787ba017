"""Coordinator pages for the open-data CSV import, and the public CSV export."""

import uuid

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from manabiya.core.errors import PermissionDenied, RuleViolation
from manabiya.core.forms import add_rule_violation
from manabiya.core.japan import normalize_local_government_code
from manabiya.core.models import Municipality
from manabiya.core.selectors import coordinated_municipalities, is_coordinator_of

from .. import importing
from ..exporting import events_csv
from .coordinator import coordinator_required

MAX_UPLOAD_BYTES = 10 * 1024 * 1024


class ImportUploadForm(forms.Form):
    municipality = forms.ModelChoiceField(
        queryset=Municipality.objects.none(),
        to_field_name="code",
        empty_label=None,
        label=gettext_lazy("Municipality"),
    )
    file = forms.FileField(
        label=gettext_lazy("Event list CSV (イベント一覧)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
        help_text=gettext_lazy(
            "The 自治体標準オープンデータセット format, saved as UTF-8 or Shift_JIS (Excel's CSV). "
            "Nothing is saved until you confirm the preview."
        ),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].queryset = coordinated_municipalities(user=user)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)d MB; split it and import the parts.")
                % {"size": MAX_UPLOAD_BYTES // (1024 * 1024)}
            )
        return upload


@coordinator_required
@require_http_methods(["GET", "POST"])
def import_upload(request: HttpRequest) -> HttpResponse:
    """Upload a file and see what importing it would do; nothing is saved here."""
    form = ImportUploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        municipality = form.cleaned_data["municipality"]
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            plan = importing.events_import_plan(actor=request.user, data=data, municipality_code=municipality.code)
        except RuleViolation as violation:
            add_rule_violation(form, violation)
        else:
            job = None
            if plan.ok:
                job = importing.import_job_stage(
                    actor=request.user,
                    municipality=municipality,
                    data=data,
                    filename=upload.name,
                    language=get_language(),
                )
            return render(
                request,
                "catalog/imports/preview.html",
                {
                    "plan": plan,
                    "job": job,
                    "municipality": municipality,
                    "filename": upload.name,
                    "form": ImportUploadForm(user=request.user, initial={"municipality": municipality}),
                },
            )
    return render(request, "catalog/imports/upload.html", {"form": form})


@coordinator_required
@require_POST
def import_confirm(request: HttpRequest) -> HttpResponse:
    """Start the import of a previewed upload in the background, then show its status."""
    try:
        job_id = str(uuid.UUID(request.POST.get("job", "")))
    except ValueError as error:
        raise Http404 from error
    try:
        job = importing.import_job_confirm(actor=request.user, job_id=job_id)
    except RuleViolation as violation:
        messages.error(request, violation.message)
        return redirect("catalog:import_upload")
    return redirect("catalog:import_status", job_id=job.id)


@login_required
@require_GET
@vary_on_headers("HX-Request")
def import_status(request: HttpRequest, job_id: uuid.UUID) -> HttpResponse:
    """Progress and outcome of an import; htmx refreshes the "status" partial while it runs."""
    job = importing.import_job_get(job_id=str(job_id))
    if job is None:
        raise Http404
    municipality = Municipality.objects.filter(code=job.municipality_code).first()
    if municipality is None or not is_coordinator_of(user=request.user, municipality_id=municipality.pk):
        raise PermissionDenied(_("Only a coordinator of this municipality can see this import."))
    # A job whose background task died for good would otherwise show as under way for ever.
    job = importing.import_job_recover(job=job)
    template = "catalog/imports/status.html"
    if request.headers.get("HX-Request"):
        template += "#status"
    return render(request, template, {"job": job, "municipality": municipality})


@require_GET
def export_csv(request: HttpRequest) -> HttpResponse:
    """A municipality's published opportunities as イベント一覧 open data; anyone may download it."""
    code = normalize_local_government_code(request.GET.get("municipality", ""))
    municipality = get_object_or_404(Municipality, code=code)
    response = HttpResponse(events_csv(municipality=municipality), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="events-{municipality.code}.csv"'
    response["Access-Control-Allow-Origin"] = "*"  # open data: other sites may fetch it
    return response
