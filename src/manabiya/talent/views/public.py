"""The talent bank for everyone, no login: the directory (only what each person chose to publish),
the delivery-lecture menu (出前講座) and the volunteer needs."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from .. import selectors, services
from ..forms import ContactForm, DirectoryFilterForm, MunicipalityFilterForm, VolunteerApplyForm
from ..models import VolunteerNeed

PAGE_SIZE = 30


def directory(request: HttpRequest) -> HttpResponse:
    form = DirectoryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    municipality = filters.get("municipality")
    views = selectors.directory(
        municipality_id=municipality.pk if municipality else None,
        query=filters.get("q", ""),
        role=filters.get("role", ""),
        category_id=filters.get("category"),
    )
    page = Paginator(views, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "talent/directory.html", {"form": form, "page": page, "total": len(views)})


def profile_page(request: HttpRequest, pk: int, *, form: ContactForm | None = None, status: int = 200):
    """A listed registration as the public sees it, with the contact form (bound when re-shown)."""
    found = selectors.public_profile(profile_id=pk)
    if found is None:
        raise Http404
    _profile, view = found
    return render(
        request,
        "talent/profile_detail.html",
        {"view": view, "form": form or ContactForm()},
        status=status,
    )


def profile_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return profile_page(request, pk)


def menu(request: HttpRequest) -> HttpResponse:
    form = MunicipalityFilterForm(request.GET or None)
    municipality = form.cleaned_data.get("municipality") if form.is_valid() else None
    topics = selectors.menu(municipality_id=municipality.pk if municipality else None)
    return render(request, "talent/menu.html", {"form": form, "topics": list(topics), "lead_days": services.LEAD_DAYS})


def topic_detail(request: HttpRequest, pk: int) -> HttpResponse:
    topic = selectors.menu().filter(pk=pk).first()
    if topic is None:
        raise Http404
    # A citizen lecturer is named only as far as their public registration names them.
    lecturer = None
    if topic.talent is not None and topic.talent.is_listed_on(timezone.localdate()):
        lecturer = selectors.profile_view(topic.talent, reader=selectors.PUBLIC)
    return render(
        request,
        "talent/topic_detail.html",
        {"topic": topic, "lecturer": lecturer, "lead_days": services.LEAD_DAYS},
    )


def needs(request: HttpRequest) -> HttpResponse:
    form = MunicipalityFilterForm(request.GET or None)
    municipality = form.cleaned_data.get("municipality") if form.is_valid() else None
    found = selectors.open_needs(municipality_id=municipality.pk if municipality else None)
    return render(request, "talent/needs.html", {"form": form, "needs": list(found)})


def volunteer_registrations(user, need: VolunteerNeed) -> list:
    """The user's current volunteer registrations in the need's city: who they can apply as."""
    if not user.is_authenticated:
        return []
    today = timezone.localdate()
    return [
        profile
        for profile in selectors.profiles_of(user=user)
        if profile.is_volunteer and profile.municipality_id == need.municipality_id and profile.is_listed_on(today)
    ]


def need_detail(request: HttpRequest, pk: int) -> HttpResponse:
    need = get_object_or_404(
        VolunteerNeed.objects.select_related("organization", "municipality").prefetch_related("categories"), pk=pk
    )
    is_open = need.state == VolunteerNeed.State.OPEN and need.starts_at > timezone.now()
    registrations = volunteer_registrations(request.user, need) if is_open else []
    return render(
        request,
        "talent/need_detail.html",
        {
            "need": need,
            "is_open": is_open,
            "form": VolunteerApplyForm(registrations=registrations) if registrations else None,
        },
    )
