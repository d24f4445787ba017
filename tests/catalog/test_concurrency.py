"""Workflow transitions race real concurrent clients: exactly one decision wins."""

import pytest

from manabiya.catalog import services
from manabiya.catalog.models import LearningOpportunity, Status
from manabiya.core.audit import history_for
from manabiya.core.errors import RuleViolation

from ..conftest import make_user
from ..racing import race


@pytest.mark.django_db(transaction=True)
def test_approve_and_return_at_once_only_one_wins(kominkan, provider_member, coordinator, make_opportunity):
    """Two coordinators decide on the same submission at the same moment; the second sees the
    first's decision and is refused, and the audit log holds one decision."""
    from manabiya.core.services import coordinator_assign

    colleague = make_user("colleague@city.koganei.example.jp")
    coordinator_assign(actor=None, user=colleague, municipality=kominkan.municipality)
    for _ in range(5):
        opportunity = make_opportunity(kominkan, provider_member, status="submitted")
        outcomes = race(
            lambda o=opportunity: services.opportunity_approve(actor=coordinator, opportunity=o),
            lambda o=opportunity: services.opportunity_return(actor=colleague, opportunity=o, reason="要修正"),
        )
        won = [o for o in outcomes if isinstance(o, LearningOpportunity)]
        refused = [o for o in outcomes if isinstance(o, RuleViolation)]
        assert len(won) == 1 and len(refused) == 1, outcomes
        opportunity.refresh_from_db()
        assert opportunity.status == won[0].status
        assert opportunity.status in (Status.PUBLISHED, Status.RETURNED)
        decisions = history_for(opportunity).filter(action__in=["opportunity.approve", "opportunity.return"])
        assert decisions.count() == 1


@pytest.mark.django_db(transaction=True)
def test_double_submit_records_one_submission(kominkan, provider_member, make_opportunity):
    """A double click (two requests) submits once; the other is told it is already awaiting review."""
    opportunity = make_opportunity(kominkan, provider_member)
    outcomes = race(
        lambda: services.opportunity_submit(actor=provider_member, opportunity=opportunity),
        lambda: services.opportunity_submit(actor=provider_member, opportunity=opportunity),
    )
    assert sum(isinstance(o, LearningOpportunity) for o in outcomes) == 1, outcomes
    assert sum(isinstance(o, RuleViolation) for o in outcomes) == 1, outcomes
    assert history_for(opportunity).filter(action="opportunity.submit").count() == 1
