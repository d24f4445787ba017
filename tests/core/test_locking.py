"""`core.locking.lock_objects`: only inside a transaction; on PostgreSQL a lock held too long by
someone else becomes a "busy, try again" refusal instead of an endless wait."""

import threading

import pytest
from django.db import connection, transaction

from manabiya.core import locking
from manabiya.core.errors import RuleViolation
from manabiya.core.models import User


@pytest.mark.django_db(transaction=True)
def test_outside_atomic_is_a_programming_error(citizen):
    with pytest.raises(RuntimeError, match="inside atomic"):
        locking.lock_objects([citizen])


@pytest.mark.django_db(transaction=True)
def test_a_lock_held_too_long_is_reported_as_busy(citizen, monkeypatch, english):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises whole write transactions; there is no row lock to wait for")
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    holding, release = threading.Event(), threading.Event()

    def hold():
        try:
            with transaction.atomic():
                locking.lock_objects([User.objects.get(pk=citizen.pk)])
                holding.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(RuleViolation, match="try again"), transaction.atomic():
            locking.lock_objects([citizen])
    finally:
        release.set()
        holder.join(10)
