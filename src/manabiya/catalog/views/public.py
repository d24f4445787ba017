"""Pages every citizen sees, no login needed."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.views.decorators.vary import vary_on_headers

from manabiya.core.models import Municipality, Organization

from .. import selectors
from ..calendar import opportunity_calendar
from ..forms_public import CatalogFilterForm
from ..models import Venue
from ..structured_data import json_ld_script, opportunity_json_ld

PAGE_SIZE = 20


def home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "catalog/home.html",
        {
            "this_week": selectors.this_week(),
            "categories": selectors.categories_with_counts(),
            "audiences": selectors.audiences_with_counts(),
            "filter_form": CatalogFilterForm(),
            "municipalities": Municipality.objects.order_by("code"),
        },
    )


@vary_on_headers("HX-Request")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    form = CatalogFilterForm(request.GET or None)
    query = form.to_query()
    results = selectors.catalog_search(query=query)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    template = "catalog/opportunity_list.html"
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        template += "#results"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "query": query,
            "querystring": params.urlencode(),
            "filters_active": query.has_filters_beyond_text(),
        },
    )


def opportunity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_visible_to(user=request.user, opportunity_id=pk)
    if opportunity is None:
        raise Http404
    url = request.build_absolute_uri(reverse("catalog:opportunity_detail", args=[pk]))
    return render(
        request,
        "catalog/opportunity_detail.html",
        {
            "opportunity": opportunity,
            "sessions": list(opportunity.sessions.all()),
            "json_ld": mark_safe(json_ld_script(opportunity_json_ld(opportunity=opportunity, url=url))),
            "cancel_reason": selectors.cancellation_reason(opportunity=opportunity),
            "can_manage": selectors.user_can_manage_opportunity(user=request.user, opportunity=opportunity),
        },
    )


def opportunity_ics(request: HttpRequest, pk: int) -> HttpResponse:
    opportunity = selectors.opportunity_visible_to(user=request.user, opportunity_id=pk)
    if opportunity is None:
        raise Http404
    url = request.build_absolute_uri(reverse("catalog:opportunity_detail", args=[pk]))
    body = opportunity_calendar(opportunity=opportunity, url=url, domain=request.get_host())
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="manabiya-{pk}.ics"'
    return response


def organization_detail(request: HttpRequest, pk: int) -> HttpResponse:
    organization = get_object_or_404(Organization.objects.select_related("municipality"), pk=pk)
    results = selectors.catalog_search(query=selectors.CatalogQuery(provider=pk))
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/organization_detail.html", {"organization": organization, "page": page})


def venue_detail(request: HttpRequest, pk: int) -> HttpResponse:
    venue = get_object_or_404(Venue.objects.select_related("municipality").prefetch_related("barrier_free"), pk=pk)
    results = selectors.catalog_search(query=selectors.CatalogQuery(venue=pk))
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "catalog/venue_detail.html", {"venue": venue, "page": page})
