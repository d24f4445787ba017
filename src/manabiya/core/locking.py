"""Row locks through one helper (pretix's `lock_objects`); see docs/capacity-and-locking.md.

`lock_objects` locks rows for the rest of the current transaction, so that a count and the write
it allows happen as one step. It refuses to run outside `transaction.atomic()` (a lock outside one
is released at once), locks in a fixed order (by table, then primary key) so that two transactions
locking the same rows never wait for each other in a circle, and on PostgreSQL waits at most
`LOCK_TIMEOUT_MS` before turning the wait into a "busy, try again" `RuleViolation`.

On SQLite there are no row locks: the settings open every transaction with BEGIN IMMEDIATE, which
takes the database's write lock at its start, so writing transactions already run one at a time.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.db import OperationalError, models, transaction
from django.utils.translation import gettext as _

from .errors import RuleViolation

LOCK_TIMEOUT_MS = 5000
LOCK_NOT_AVAILABLE = "55P03"  # PostgreSQL's SQLSTATE for lock_timeout


def lock_objects(objects: Iterable[models.Model], *, using: str | None = None) -> None:
    """Lock the rows of `objects` until the transaction ends. Call inside `transaction.atomic()`,
    once, right before the check the lock protects."""
    connection = transaction.get_connection(using)
    if not connection.in_atomic_block:
        raise RuntimeError("lock_objects() holds its locks until the transaction ends: call it inside atomic().")
    by_model: dict[type[models.Model], set] = defaultdict(set)
    for obj in objects:
        by_model[obj._meta.concrete_model].add(obj.pk)
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout = %s", [f"{LOCK_TIMEOUT_MS}ms"])
    try:
        for model in sorted(by_model, key=lambda m: m._meta.db_table):
            queryset = model._default_manager.using(connection.alias).select_for_update()
            list(queryset.filter(pk__in=sorted(by_model[model])).order_by("pk").values_list("pk", flat=True))
    except OperationalError as error:
        if getattr(error.__cause__, "sqlstate", None) == LOCK_NOT_AVAILABLE:
            raise RuleViolation(_("Someone else is changing this right now; try again in a moment.")) from error
        raise
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL lock_timeout TO DEFAULT")
