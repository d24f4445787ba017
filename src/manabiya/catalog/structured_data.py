"""schema.org JSON-LD for an opportunity page: an Event, or a Course with course instances
for a multi-session series, so search engines and aggregators read the catalogue."""

import json
from typing import Any

from .models import ApplicationMethod, Format, LearningOpportunity, Venue

ATTENDANCE_MODE = {
    Format.IN_PERSON: "https://schema.org/OfflineEventAttendanceMode",
    Format.ONLINE: "https://schema.org/OnlineEventAttendanceMode",
    Format.HYBRID: "https://schema.org/MixedEventAttendanceMode",
}


def _place(venue: Venue | None) -> dict[str, Any] | None:
    if venue is None:
        return None
    place: dict[str, Any] = {
        "@type": "Place",
        "name": venue.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": venue.address,
            "addressLocality": venue.municipality.name,
            "addressRegion": venue.municipality.prefecture,
            "addressCountry": "JP",
        },
    }
    if venue.latitude is not None and venue.longitude is not None:
        place["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(venue.latitude),
            "longitude": float(venue.longitude),
        }
    return place


def _location(opportunity: LearningOpportunity, venue: Venue | None) -> Any:
    places = []
    if opportunity.format in (Format.IN_PERSON, Format.HYBRID):
        place = _place(venue)
        if place:
            places.append(place)
    if opportunity.format in (Format.ONLINE, Format.HYBRID) and opportunity.online_url:
        places.append({"@type": "VirtualLocation", "url": opportunity.online_url})
    return places[0] if len(places) == 1 else places


def opportunity_json_ld(*, opportunity: LearningOpportunity, url: str) -> dict[str, Any]:
    sessions = list(opportunity.sessions.all())
    first = sessions[0] if sessions else None
    offer: dict[str, Any] = {"@type": "Offer", "price": opportunity.fee, "priceCurrency": "JPY", "url": url}
    if opportunity.application_method != ApplicationMethod.NONE:
        offer["availability"] = "https://schema.org/InStock"
        if opportunity.application_opens_at:
            offer["validFrom"] = opportunity.application_opens_at.isoformat()
        if opportunity.application_closes_at:
            offer["validThrough"] = opportunity.application_closes_at.isoformat()
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "EducationEvent",
        "name": opportunity.title,
        "description": opportunity.summary or opportunity.description[:300],
        "url": url,
        "eventStatus": (
            "https://schema.org/EventCancelled"
            if opportunity.status == "cancelled"
            else "https://schema.org/EventScheduled"
        ),
        "eventAttendanceMode": ATTENDANCE_MODE[opportunity.format],
        "organizer": {"@type": "Organization", "name": opportunity.provider.name},
        "offers": offer,
        "isAccessibleForFree": opportunity.fee == 0,
        "inLanguage": opportunity.languages or ["ja"],
    }
    if first:
        event["startDate"] = first.starts_at.isoformat()
        last = sessions[-1]
        event["endDate"] = (last.ends_at or last.starts_at).isoformat()
        event["location"] = _location(opportunity, first.effective_venue)
    if opportunity.capacity:
        event["maximumAttendeeCapacity"] = opportunity.capacity
    if opportunity.age_min is not None or opportunity.age_max is not None:
        event["typicalAgeRange"] = f"{opportunity.age_min or ''}-{opportunity.age_max or ''}"
    if len(sessions) > 1:
        event["subEvent"] = [
            {
                "@type": "EducationEvent",
                "name": opportunity.title,
                "startDate": s.starts_at.isoformat(),
                **({"endDate": s.ends_at.isoformat()} if s.ends_at else {}),
                "location": _location(opportunity, s.effective_venue),
            }
            for s in sessions
        ]
    return event


def json_ld_script(data: dict[str, Any]) -> str:
    """Serialise for a <script type="application/ld+json"> block, safe against </script>."""
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
