"""The demo citizen's applications, so My page and the rosters have something to show."""

from manabiya.catalog.models import ApplicationMethod, LearningOpportunity, Status
from manabiya.core.errors import RuleViolation
from manabiya.core.models import Municipality, User

from . import services
from .models import CitizenProfile, Residency


def demo_applications(*, citizen: User, municipality: Municipality, name: str, wanted: int = 3) -> int:
    """Apply as the demo citizen to the soonest courses taking applications now (first-come and
    lottery alike); returns how many were made. Call inside the demo's transaction."""
    services.profile_save(
        user=citizen, name=name, name_kana="マナビ ハナコ", phone="042-000-0000", age_band="60s",
        municipality=municipality, residency=Residency.LIVES,
    )  # fmt: skip
    profile = CitizenProfile.objects.select_related("user").get(user=citizen)
    open_courses = LearningOpportunity.objects.filter(
        status=Status.PUBLISHED,
        application_method__in=[ApplicationMethod.FIRST_COME, ApplicationMethod.LOTTERY],
        municipality=municipality,
    ).order_by("first_starts_at", "pk")
    made = 0
    for opportunity in open_courses[:200]:
        spec = services.ApplicationSpec(participants=[services.PersonSpec(name=name, age=65)])
        try:
            services.application_create(
                actor=citizen, opportunity=opportunity, applicant=services.applicant_from_profile(profile), spec=spec
            )
        except RuleViolation:  # not open yet, closed, or not for this citizen: try the next
            continue
        made += 1
        if made == wanted:
            break
    return made
