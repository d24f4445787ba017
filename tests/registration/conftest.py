"""Applications are built through the real services, as the product makes them."""

import datetime as dt
import itertools

import pytest
from django.utils import timezone

from manabiya.core.models import User
from manabiya.registration import services
from manabiya.registration.models import ApplicationRules

from ..conftest import future

_numbers = itertools.count(1)


@pytest.fixture
def make_course(kominkan, provider_member, make_opportunity):
    """A published course of the kominkan taking applications; `rules` become its ApplicationRules."""

    def _make(*, capacity=30, method="first_come", rules=None, closes_in=None, **fields):
        if method == "lottery":
            fields.setdefault("application_closes_at", timezone.now() + (closes_in or dt.timedelta(days=2)))
        opportunity = make_opportunity(
            kominkan, provider_member, status="published", capacity=capacity, application_method=method, **fields
        )
        if rules:
            ApplicationRules.objects.create(opportunity=opportunity, **rules)
        return opportunity

    return _make


@pytest.fixture
def course(make_course):
    return make_course()


def new_citizen(**profile):
    n = next(_numbers)
    # No password: hashing one costs a fifth of a second, and the races make hundreds of citizens.
    user = User.objects.create_user(email=f"citizen{n}@example.jp", password=None)
    services.profile_save(
        user=user,
        name=profile.get("name", f"市民 {n}"),
        name_kana=profile.get("name_kana", "シミン"),
        phone=profile.get("phone", "042-000-0000"),
        residency=profile.get("residency", "lives"),
        municipality=profile.get("municipality"),
    )
    return user


def apply(user, opportunity, *, party=1, ages=None, childcare=(), answers=None, request_key=None, now=None):
    """Apply online as `user`, from their profile."""
    profile = user.citizen_profile
    applicant = services.applicant_from_profile(profile)
    ages = ages or [None] * party
    people = [services.PersonSpec(name=f"{profile.name} {i}", age=ages[i]) for i in range(party)]
    spec = services.ApplicationSpec(participants=people, childcare_ages=list(childcare), answers=answers or {})
    return services.application_create(
        actor=user, opportunity=opportunity, applicant=applicant, spec=spec, request_key=request_key, now=now
    )


@pytest.fixture
def citizens(db):
    def _make(n, **profile):
        return [new_citizen(**profile) for _ in range(n)]

    return _make


__all__ = ["apply", "future", "new_citizen"]
