"""iCalendar (.ics) for an opportunity: one VEVENT per session."""

from collections.abc import Iterable

from django.utils import timezone
from icalendar import Calendar, Event, vText

from .models import LearningOpportunity, Session


def opportunity_calendar(
    *, opportunity: LearningOpportunity, url: str, domain: str, sessions: Iterable[Session] | None = None
) -> bytes:
    """All of the opportunity's sessions, or only `sessions` (the one date someone applied for)."""
    cal = Calendar()
    cal.add("prodid", "-//Manabiya//Lifelong learning catalogue//JA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", opportunity.title)
    for session in opportunity.sessions.all() if sessions is None else sessions:
        event = Event()
        event.add("uid", f"session-{session.pk}@{domain}")
        event.add("dtstamp", timezone.now())
        event.add("dtstart", timezone.localtime(session.starts_at))
        if session.ends_at:
            event.add("dtend", timezone.localtime(session.ends_at))
        event.add("summary", opportunity.title)
        event.add("description", "\n\n".join(p for p in (opportunity.summary, url) if p))
        event.add("url", url)
        venue = session.effective_venue
        if venue is not None:
            event["location"] = vText(" ".join(p for p in (venue.name, venue.address) if p))
        elif opportunity.online_url:
            event["location"] = vText(opportunity.online_url)
        if opportunity.status == "cancelled":
            event.add("status", "CANCELLED")
        cal.add_component(event)
    return cal.to_ical()
