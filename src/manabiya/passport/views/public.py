"""Public pages of the passport's credentials: anyone shown a certificate can check it here, and
verifiers read the issuer's profile, keys and revocation list."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render

from manabiya.core.models import Municipality

from .. import credentials, issuing, selectors
from ..forms import VerifyForm
from ..models import Certification, Level


def verification_context(verification: credentials.Verification, award=None) -> dict:
    return {
        "verification": verification,
        "problems": [credentials.PROBLEM_MESSAGES[code] for code in verification.problems],
        "award": award,
        "subject": (verification.credential or {}).get("credentialSubject", {}),
    }


def verify(request: HttpRequest, credential_id) -> HttpResponse:
    """The verification URL a certificate's QR code holds: the stored credential, checked now."""
    award = selectors.award_public(credential_id=credential_id)
    if award is None:
        raise Http404
    verification = issuing.verify(award.signed_credential)
    return render(request, "passport/verify.html", verification_context(verification, award))


def verify_presented(request: HttpRequest) -> HttpResponse:
    """Check a credential someone presents (the VC-JWT text), wherever it was kept."""
    form = VerifyForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        context |= verification_context(issuing.verify(form.cleaned_data["credential"]))
    return render(request, "passport/verify_presented.html", context)


def issuer(request: HttpRequest, code: str) -> JsonResponse:
    municipality = get_object_or_404(Municipality, code=code)
    return JsonResponse(issuing.issuer_profile(municipality), json_dumps_params={"ensure_ascii": False})


def jwks(request: HttpRequest, code: str) -> JsonResponse:
    municipality = get_object_or_404(Municipality, code=code)
    return JsonResponse(issuing.jwks(municipality))


def revocations(request: HttpRequest, code: str) -> JsonResponse:
    municipality = get_object_or_404(Municipality, code=code)
    return JsonResponse(issuing.revocation_list(municipality), json_dumps_params={"ensure_ascii": False})


def level(request: HttpRequest, pk: int) -> HttpResponse:
    """What an achievement's id points to: the level and how it is reached."""
    level = get_object_or_404(Level.objects.select_related("programme__municipality"), pk=pk)
    return render(request, "passport/achievement.html", {"level": level, "programme": level.programme})


def certification(request: HttpRequest, pk: int) -> HttpResponse:
    certification = get_object_or_404(Certification.objects.select_related("municipality"), pk=pk)
    return render(request, "passport/achievement.html", {"certification": certification})
