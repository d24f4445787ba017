from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import mail


def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness for the load balancer: the app answers and the database takes a query."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@login_required
@require_POST
def email_resend(request: HttpRequest, email_id: int) -> HttpResponse:
    """Staff send a failed email again (from the list on their home page)."""
    outcome = mail.email_resend(actor=request.user, email_id=email_id)
    if outcome.sent:
        messages.success(request, _("The email was sent."))
    else:
        messages.warning(
            request, _("The mail server did not take the email this time; it will be tried again over the next day.")
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "/"
    return redirect(target)
