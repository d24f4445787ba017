"""schemathesis against /api/openapi.json: no request gives a server error, and every status the API
answers is one its schema documents, with a body of the documented type and shape.

The demo region is loaded through the services first, with an issued and a revoked credential, so
generated requests reach the real paths: real opportunity, registration and credential ids and real
municipality codes are mixed into what hypothesis draws, not only ids that answer 404. Every
operation is tested from its schema's examples, boundary values (coverage) and random input, valid and
not (NUL and other control characters, huge and negative numbers, over-long strings, wrong types);
seeded, so a run is reproducible. Runs on SQLite and PostgreSQL like the rest of the suite.

The API has no operation that needs a login and answers every reader alike; what a logged-in
reader sees is pinned in `tests/core/test_api_errors.py`.
"""

import uuid
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, transaction
from django.utils import timezone
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from manabiya.catalog.demo.loader import load_demo
from manabiya.catalog.models import PUBLIC_STATUSES, LearningOpportunity
from manabiya.core.models import Municipality, User
from manabiya.passport import services as passport_services
from manabiya.passport.models import Award, Passport
from manabiya.talent import selectors as talent_selectors
from manabiya.wsgi import application

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
EXAMPLES = 60  # random cases per operation, beside the boundary values: about a minute in all

CONFIG = schemathesis.Config.from_dict(
    {"seed": 23, "generation": {"max-examples": EXAMPLES, "deterministic": True, "database": "none"}}
)

# Filled by `demo_region`: the ids and codes that exist, which the generated requests mix in.
REAL_VALUES: dict[str, list] = {}


def _issue_credentials() -> None:
    """Stamp the demo citizen's passport up to every level, and revoke one of the awards."""
    passport = Passport.objects.select_related("programme").get(programme__municipality__code="012246")
    coordinator = User.objects.filter(coordinator_assignments__municipality__code="012246").first()
    passport_services.stamp_counter(
        actor=coordinator, passport=passport, reason="移行", title="移行", earned_on=timezone.localdate(),
        credits=Decimal(100),
    )  # fmt: skip
    passport_services.award_revoke(actor=coordinator, award=passport.awards.first(), reason="重複発行")


@pytest.fixture(scope="module")
def demo_region(django_db_setup, django_db_blocker):
    """The demo region, loaded once for the module inside a transaction rolled back at its end; each
    test runs in a savepoint of it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            load_demo()
            _issue_credentials()
            public = LearningOpportunity.objects.filter(status__in=PUBLIC_STATUSES)
            hidden = LearningOpportunity.objects.exclude(status__in=PUBLIC_STATUSES)
            REAL_VALUES.update(
                opportunity_id=[*public.values_list("pk", flat=True)[:20], *hidden.values_list("pk", flat=True)[:5]],
                profile_id=[p.pk for p in talent_selectors.listed()],
                credential_id=[str(c) for c in Award.objects.values_list("credential_id", flat=True)],
                municipality=list(Municipality.objects.values_list("code", flat=True)),
            )
            assert all(REAL_VALUES.values()), REAL_VALUES
            yield REAL_VALUES
        finally:
            REAL_VALUES.clear()
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


@pytest.fixture
def served(demo_region, db):
    """Serve the project's WSGI application inside the test's transaction: keep Django from closing
    the connection at the end of each request, as its own test client does."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


schema = schemathesis.openapi.from_wsgi("/api/openapi.json", application, config=CONFIG)


def _well_typed(name: str, value) -> bool:
    if name == "credential_id":
        try:
            uuid.UUID(str(value))
        except ValueError:
            return False
        return True
    if name.endswith("_id"):
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, str)


def _mix(values: dict | None, names: tuple[str, ...]):
    """`values` as generated, or with one of `names` replaced by a real id or code. A value of the
    wrong type is a negative case and stays as generated."""
    if not values:
        return st.just(values)
    options = [st.just(values)]
    for name in names:
        real = REAL_VALUES.get("municipality" if name == "municipality_code" else name)
        if real and name in values and _well_typed(name, values[name]):
            options.append(st.sampled_from(real).map(lambda v, name=name: {**values, name: v}))
    return st.one_of(options)


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    return _mix(path_parameters, ("opportunity_id", "profile_id", "credential_id", "municipality_code"))


@schema.hook
def flatmap_query(context, query):
    return _mix(query, ("municipality",))


@schema.parametrize()
@hypothesis.settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[hypothesis.HealthCheck.function_scoped_fixture, hypothesis.HealthCheck.too_slow],
)
def test_api_answers_within_its_schema(case, served):
    """No request gives a 5xx; every answer's status, content type and body are as documented, and
    input the schema forbids is refused."""
    case.call_and_validate(checks=CHECKS)
