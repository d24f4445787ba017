"""Pages every citizen sees, no login needed."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.vary import vary_on_headers

from manabiya.core.models import Municipality, Organization

from .. import selectors
from ..calendar import opportunity_calendar
from ..facets import facet_counts
from ..forms_public import CatalogFilterForm
from ..models import Venue
from ..selectors_search import Suggestions, nothing_found_help, run_search, search_suggestions
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
            "municipalities": Municipality.objects.order_by("code"),
        },
    )


@vary_on_headers("HX-Request")
def opportunity_list(request: HttpRequest) -> HttpResponse:
    """The catalogue: search, filters with how many results each choice leaves, and help when
    nothing is found. An htmx request gets the results and, out of band, the filters with their
    new counts; the keyword box and its suggestions stay as they are."""
    form = CatalogFilterForm(request.GET or None)
    query = form.to_query()
    now = timezone.now()
    found = run_search(query=query, now=now, fetch=lambda qs: selectors.with_list_relations(qs, now=now))
    page = Paginator(found.results, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    nothing_found, active_filters = None, []
    if not page.object_list:
        nothing_found = nothing_found_help(found)
        # In words, before the choices get their counts; each with a link that drops it.
        active_filters = [
            {"label": label, "value": value, "remove_url": _query_url(params, without=name)}
            for name, label, value in form.active_filters()
        ]
    facets = facet_counts(found)
    form.add_counts(facets.counts, exact=facets.exact)
    template = "catalog/opportunity_list.html"
    if request.headers.get("HX-Request") and not request.headers.get("HX-Boosted"):
        template += "#htmx_response"
    return render(
        request,
        template,
        {
            "form": form,
            "page": page,
            "total": found.results.total,
            "query": query,
            "querystring": params.urlencode(),
            "filters_active": query.has_filters_beyond_text(),
            "active_filters": active_filters,
            "nothing_found": nothing_found,
            "clear_filters_url": _query_url(QueryDict(urlencode({"q": query.q}) if query.q else "")),
        },
    )


def _query_url(params: QueryDict, *, without: str = "") -> str:
    """The catalogue with these GET parameters, less one."""
    params = params.copy()
    params.pop(without, None)
    return reverse("catalog:opportunity_list") + ("?" + params.urlencode() if params else "")


@vary_on_headers("HX-Request")
def suggest(request: HttpRequest) -> HttpResponse:
    """Suggestions for the keyword box, as an htmx partial; without htmx, the search itself.

    On the catalogue page the request carries the form's filters too, and the suggestions
    follow them. An empty keyword answers at once, without touching the database."""
    if not request.headers.get("HX-Request"):
        return redirect(reverse("catalog:opportunity_list") + ("?" + request.GET.urlencode() if request.GET else ""))
    q = request.GET.get("q", "").strip()
    suggestions = Suggestions([], [], 0)
    if q:
        suggestions = search_suggestions(CatalogFilterForm(request.GET).to_query())
    return render(
        request,
        "catalog/_suggestions.html",
        {"q": q, "suggestions": suggestions, "querystring": request.GET.urlencode()},
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
