"""The talent bank relays five messages a day from one sender, however many are sent at once: twenty
messages racing from one sender, each on its own connection, let exactly five through."""

import pytest

from manabiya.core.errors import RuleViolation
from manabiya.core.models import User
from manabiya.talent import services
from manabiya.talent.models import ContactMessage

from ..racing import race
from .conftest import make_profile

pytestmark = pytest.mark.django_db(transaction=True)

SENDERS_MESSAGES = 20


@pytest.fixture(autouse=True)
def _in_english(english):
    """The refusal is quoted in English."""


def test_twenty_messages_at_once_from_one_sender_relay_exactly_five(koganei, coordinator):
    profiles = [make_profile(koganei, approve_by=coordinator) for _ in range(4)]
    sender = User.objects.create_user(email="sender@example.jp", password=None)
    outcomes = race(
        *[
            lambda n=n: services.contact_send(
                sender=sender, profile=profiles[n % len(profiles)], body=f"講座をお願いできますか。({n})"
            )
            for n in range(SENDERS_MESSAGES)
        ]
    )
    sent = [o for o in outcomes if isinstance(o, ContactMessage)]
    refused = [o for o in outcomes if isinstance(o, RuleViolation)]
    assert len(sent) == services.CONTACTS_PER_DAY, [o for o in outcomes if not isinstance(o, ContactMessage)]
    assert len(refused) == SENDERS_MESSAGES - services.CONTACTS_PER_DAY, outcomes
    assert all(str(r.message) == "You have sent 5 messages today; try again tomorrow." for r in refused)
    assert ContactMessage.objects.filter(sender=sender).count() == services.CONTACTS_PER_DAY


def test_another_senders_messages_are_not_held_up_by_the_limit(koganei, coordinator):
    """The limit is each sender's own: a second sender racing the first still sends theirs."""
    profile = make_profile(koganei, approve_by=coordinator)
    first, second = (User.objects.create_user(email=f"sender{n}@example.jp", password=None) for n in (1, 2))
    calls = [lambda: services.contact_send(sender=first, profile=profile, body="講座をお願いできますか。")] * 8
    calls += [lambda: services.contact_send(sender=second, profile=profile, body="講座をお願いできますか。")] * 3
    race(*calls)
    assert ContactMessage.objects.filter(sender=first).count() == services.CONTACTS_PER_DAY
    assert ContactMessage.objects.filter(sender=second).count() == 3
