"""Many applicants at one course at the same moment, each on its own connection: capacity holds."""

import pytest

from manabiya.registration import services
from manabiya.registration.models import Application, ApplicationStatus

from ..racing import race
from .conftest import apply, new_citizen

pytestmark = pytest.mark.django_db(transaction=True)

CLIENTS = 60


def by_status(opportunity, status):
    return list(Application.objects.filter(opportunity=opportunity, status=status).order_by("pk"))


def assert_queue_consistent(opportunity):
    """The waiting list is numbered 1..n without gaps, in the order the applications arrived."""
    waiting = by_status(opportunity, ApplicationStatus.WAITING)
    ranks = [a.waiting_rank for a in waiting]
    assert sorted(ranks) == list(range(min(ranks, default=1), min(ranks, default=1) + len(ranks)))
    assert ranks == sorted(ranks), "a later application got an earlier place"
    return waiting


def test_sixty_applicants_at_thirty_seats_confirm_exactly_thirty(make_course):
    course = make_course(capacity=30)
    people = [new_citizen() for _ in range(CLIENTS)]
    outcomes = race(*[lambda p=p: apply(p, course) for p in people])
    assert all(isinstance(o, Application) for o in outcomes), [o for o in outcomes if not isinstance(o, Application)]
    assert len(by_status(course, ApplicationStatus.CONFIRMED)) == 30
    waiting = assert_queue_consistent(course)
    assert [a.waiting_rank for a in waiting] == list(range(1, CLIENTS - 30 + 1))


def test_childcare_places_hold_under_the_race(make_course):
    course = make_course(capacity=100, childcare_offered=True, childcare_capacity=10)
    people = [new_citizen() for _ in range(CLIENTS)]
    race(*[lambda p=p: apply(p, course, childcare=[3]) for p in people])
    confirmed = by_status(course, ApplicationStatus.CONFIRMED)
    assert len(confirmed) == 10 and sum(a.childcare_count for a in confirmed) == 10
    assert len(assert_queue_consistent(course)) == CLIENTS - 10


def test_cancellations_during_the_race_keep_the_seats_full_and_never_over(make_course):
    """While 40 newcomers apply, 10 holders cancel: the freed seats go to the queue, and in the end
    exactly 30 places are held."""
    course = make_course(capacity=30)
    holders = [apply(new_citizen(), course) for _ in range(30)]
    newcomers = [new_citizen() for _ in range(40)]
    calls = [lambda p=p: apply(p, course) for p in newcomers]
    calls += [lambda a=a: services.application_cancel(actor=a.user, application=a) for a in holders[:10]]
    outcomes = race(*calls)
    assert not [o for o in outcomes if isinstance(o, Exception)]
    assert len(by_status(course, ApplicationStatus.CONFIRMED)) == 30
    assert services.held(course) == (30, 0)
    assert len(assert_queue_consistent(course)) == 30


def test_a_promotion_and_a_new_application_never_both_take_the_last_seat(make_course):
    for _ in range(5):
        course = make_course(capacity=1)
        holder = apply(new_citizen(), course)
        waiter = apply(new_citizen(), course)
        newcomer = new_citizen()
        race(
            lambda h=holder: services.application_cancel(actor=h.user, application=h),
            lambda c=course, n=newcomer: apply(n, c),
        )
        confirmed = by_status(course, ApplicationStatus.CONFIRMED)
        assert [a.pk for a in confirmed] == [waiter.pk], "the seat goes to the one who waited"
        assert [a.user for a in by_status(course, ApplicationStatus.WAITING)] == [newcomer]


def test_a_double_submit_at_the_same_moment_makes_one_application(course):
    citizen = new_citizen()
    outcomes = race(*[lambda: apply(citizen, course, request_key="double-click") for _ in range(4)])
    assert {o.pk for o in outcomes if isinstance(o, Application)} == {Application.objects.get().pk}
    assert Application.objects.filter(opportunity=course).count() == 1


def test_per_date_capacity_holds_under_the_race(make_course):
    """Applying per date: 40 clients split over two dates of 10 seats each; each date gives out 10."""
    import datetime as dt

    from manabiya.catalog.services import SessionSpec

    from .conftest import future

    starts = [future(7), future(14)]
    course = make_course(
        capacity=10,
        rules={"per_session": True},
        sessions=[SessionSpec(starts_at=s, ends_at=s + dt.timedelta(hours=2)) for s in starts],
    )
    dates = list(course.sessions.order_by("starts_at"))
    people = [new_citizen() for _ in range(40)]

    def book(person, session):
        applicant = services.applicant_from_profile(person.citizen_profile)
        spec = services.ApplicationSpec(participants=[services.PersonSpec(name=applicant.name)])
        return services.application_create(actor=person, opportunity=course, applicant=applicant, spec=spec,
                                           session=session)  # fmt: skip

    race(*[lambda p=p, i=i: book(p, dates[i % 2]) for i, p in enumerate(people)])
    for session in dates:
        mine = Application.objects.filter(opportunity=course, session=session)
        assert mine.filter(status=ApplicationStatus.CONFIRMED).count() == 10
        assert mine.filter(status=ApplicationStatus.WAITING).count() == 10
