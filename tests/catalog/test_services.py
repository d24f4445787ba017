import datetime as dt

import pytest

from manabiya.catalog import services
from manabiya.catalog.models import Session, Status
from manabiya.core.audit import history_for
from manabiya.core.errors import PermissionDenied, RuleViolation

from ..conftest import future, local

pytestmark = pytest.mark.django_db


def test_submission_waits_for_review_then_publishes(kominkan, provider_member, coordinator, make_opportunity):
    """An untrusted provider's submission waits in review; approval publishes it."""
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    assert opportunity.status == Status.SUBMITTED
    opportunity = services.opportunity_approve(actor=coordinator, opportunity=opportunity)
    assert opportunity.status == Status.PUBLISHED
    assert opportunity.published_at is not None
    actions = [(e.action, e.actor, e.data.get("to")) for e in history_for(opportunity)]
    assert actions == [
        ("opportunity.create", provider_member, None),
        ("opportunity.submit", provider_member, Status.SUBMITTED),
        ("opportunity.approve", coordinator, Status.PUBLISHED),
    ]


def test_trusted_organization_publishes_directly(koganei, make_organization, make_opportunity):
    """A trusted organization's submission goes straight to published."""
    from manabiya.core.services import membership_add

    from ..conftest import make_user

    library = make_organization(koganei, "小金井市立図書館", trusted=True)
    member = make_user("lib@example.jp")
    membership_add(actor=None, user=member, organization=library)
    opportunity = make_opportunity(library, member, status="submitted")
    assert opportunity.status == Status.PUBLISHED


def test_return_needs_a_reason_and_is_recorded(kominkan, provider_member, coordinator, make_opportunity):
    """Returning a submission requires a reason, which the provider can read."""
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    with pytest.raises(RuleViolation) as refused:
        services.opportunity_return(actor=coordinator, opportunity=opportunity, reason="  ")
    assert refused.value.field == "reason"
    opportunity = services.opportunity_return(
        actor=coordinator, opportunity=opportunity, reason="会場を記入してください"
    )
    assert opportunity.status == Status.RETURNED
    assert history_for(opportunity).last().reason == "会場を記入してください"
    # The provider fixes it and submits again.
    opportunity = services.opportunity_submit(actor=provider_member, opportunity=opportunity)
    assert opportunity.status == Status.SUBMITTED


def test_provider_cannot_touch_another_providers_opportunity(kominkan, provider_member, other_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member)
    with pytest.raises(PermissionDenied):
        services.opportunity_update(actor=other_member, opportunity=opportunity, title="乗っ取り")
    with pytest.raises(PermissionDenied):
        services.opportunity_submit(actor=other_member, opportunity=opportunity)


def test_coordinator_cannot_act_outside_their_municipality(
    kominkan, provider_member, chitose_coordinator, make_opportunity
):
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    with pytest.raises(PermissionDenied):
        services.opportunity_approve(actor=chitose_coordinator, opportunity=opportunity)
    opportunity.refresh_from_db()
    assert opportunity.status == Status.SUBMITTED


def test_provider_cannot_approve_own_submission(kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member, status="submitted")
    with pytest.raises(PermissionDenied):
        services.opportunity_approve(actor=provider_member, opportunity=opportunity)


def test_submit_requires_a_date(kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member, sessions=[])
    with pytest.raises(RuleViolation) as refused:
        services.opportunity_submit(actor=provider_member, opportunity=opportunity)
    assert refused.value.field == "sessions"


def test_cancelled_stays_public_withdrawn_does_not(kominkan, provider_member, make_opportunity):
    cancelled = make_opportunity(kominkan, provider_member, status="cancelled")
    assert cancelled.status == Status.CANCELLED and cancelled.is_public
    other = make_opportunity(kominkan, provider_member, title="書道教室", status="published")
    withdrawn = services.opportunity_withdraw(actor=provider_member, opportunity=other, reason="重複")
    assert withdrawn.status == Status.WITHDRAWN and not withdrawn.is_public


def test_invalid_transition_is_refused(kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member)
    with pytest.raises(RuleViolation):
        services.opportunity_cancel(actor=provider_member, opportunity=opportunity, reason="x")


def test_weekly_sessions_keep_wall_clock_time():
    """ "Every Tuesday for 6 weeks" gives six Tuesdays at the same local hour."""
    specs = services.weekly_session_specs(
        first_starts_at=local(2026, 12, 1, 10), duration=dt.timedelta(hours=2), weeks=6
    )
    assert [s.starts_at.date().isoformat() for s in specs] == [
        "2026-12-01", "2026-12-08", "2026-12-15", "2026-12-22", "2026-12-29", "2027-01-05",
    ]  # fmt: skip
    assert {s.starts_at.hour for s in specs} == {10}
    assert all(s.ends_at - s.starts_at == dt.timedelta(hours=2) for s in specs)


def test_sessions_sync_updates_adds_and_removes(kominkan, provider_member, make_opportunity):
    opportunity = make_opportunity(kominkan, provider_member)
    kept = opportunity.sessions.get()
    new_start = future(14, hour=19)
    services.opportunity_update(
        actor=provider_member,
        opportunity=opportunity,
        sessions=[
            services.SessionSpec(id=kept.pk, starts_at=kept.starts_at, ends_at=kept.ends_at, note="第1回"),
            services.SessionSpec(starts_at=new_start),
        ],
    )
    sessions = list(Session.objects.filter(opportunity=opportunity))
    assert [s.note for s in sessions] == ["第1回", ""]
    assert sessions[0].pk == kept.pk
    assert sessions[1].time_of_day == "evening"
    opportunity.refresh_from_db()
    assert opportunity.first_starts_at == kept.starts_at
    assert opportunity.last_ends_at == new_start


def test_age_range_checked(kominkan, provider_member, make_opportunity):
    with pytest.raises(RuleViolation) as refused:
        make_opportunity(kominkan, provider_member, age_min=65, age_max=20)
    assert refused.value.field == "age_max"


def test_a_date_cannot_be_at_another_municipalitys_venue(kominkan, provider_member, chitose, make_opportunity):
    from manabiya.catalog.models import Venue

    far_away = Venue.objects.create(municipality=chitose, name="千歳市民文化センター", address="北海道千歳市北栄2-2-1")
    opportunity = make_opportunity(kominkan, provider_member)
    with pytest.raises(RuleViolation) as refused:
        services.opportunity_update(
            actor=provider_member,
            opportunity=opportunity,
            sessions=[services.SessionSpec(starts_at=future(5), venue_id=far_away.pk)],
        )
    assert refused.value.field == "sessions"
    assert not opportunity.sessions.filter(venue=far_away).exists()


def test_refused_edit_leaves_no_uploaded_image_behind(kominkan, provider_member, make_opportunity, settings, tmp_path):
    """Storage writes cannot roll back, so the image is stored only after every rule passed."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")

    def png(name):
        return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")

    opportunity = make_opportunity(kominkan, provider_member, status="published")
    with pytest.raises(RuleViolation):
        services.opportunity_update(actor=provider_member, opportunity=opportunity, sessions=[], image=png("a.png"))
    assert not any(tmp_path.rglob("*.png"))
    services.opportunity_update(actor=provider_member, opportunity=opportunity, image=png("b.png"))
    opportunity.refresh_from_db()
    assert opportunity.image.name.endswith(".png")
    assert len(list(tmp_path.rglob("*.png"))) == 1
