"""Writes to the search index: keep it current, rebuild it."""

import datetime as dt
import multiprocessing
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor

from django.db import connection, transaction
from django.utils import timezone

from . import registry
from .backends import backend
from .documents import IndexText, date_tags, sample_tags, tag
from .encode import encode
from .models import SearchDocument, VocabularyWord, starts_key_of

REBUILD_BATCH = 2000


Built = list[tuple[int, dict, IndexText]]
Encoded = list[tuple[object, list[str]]]


def _read(kind: registry.IndexedKind, object_ids: list[int]) -> Built:
    built = list(kind.build(object_ids))
    dated = backend().date_blocks
    for object_id, fields, text in built:
        text.tags += [tag("k", kind.name), *sample_tags(object_id)]
        if dated:
            text.tags += date_tags(starts_key_of(fields.get("starts_at")))
    return built


def _write(
    kind: registry.IndexedKind, object_ids: list[int], built: Built, encoded: Encoded, vocabulary: Counter | None
) -> int:
    """Replace the documents of `object_ids` with `built`; objects not in it lose theirs."""
    documents = []
    for object_id, fields, _text in built:
        document = SearchDocument(kind=kind.name, object_id=object_id, **fields)
        document.fill_starts_key()
        documents.append(document)
    backend().replace(kind.name, object_ids, documents, [payload for payload, _words in encoded])
    if vocabulary is not None:
        for _payload, words in encoded:
            vocabulary.update(set(words))
    return len(documents)


def _texts(built: Built) -> list[IndexText]:
    return [text for _id, _fields, text in built]


@transaction.atomic(savepoint=False)
def index_objects(*, kind: str, object_ids: list[int]) -> int:
    """Bring the index up to date for these objects, in the caller's transaction.

    Called by the owning app's services wherever a change can alter what is found (publish, edit,
    withdraw, session changes), so the index commits or rolls back with the change itself (and
    a failure here fails the change: no savepoint, which cost two more statements per edit).
    """
    indexed = registry.get(kind)
    object_ids = list(object_ids)
    built = _read(indexed, object_ids)
    words: Counter = Counter()
    written = _write(indexed, object_ids, built, encode(connection.vendor, _texts(built)), words)
    _add_words(words)
    return written


TASK_BATCH = 5000


def index_later(*, kind: str, object_ids: list[int]) -> None:
    """Queue re-indexing as background tasks, in batches: for changes that touch many documents.

    The task rows commit with the caller's transaction and the tasks read the objects when they
    run, so nothing changed in between is lost.
    """
    from .tasks import index_task

    for start in range(0, len(object_ids), TASK_BATCH):
        index_task.enqueue(kind=kind, object_ids=object_ids[start : start + TASK_BATCH])


WORDS_BATCH = 500


def _add_words(words: Counter) -> None:
    """Add new words to the vocabulary. Counts are only recounted by a full rebuild: keeping them
    exact on every edit would cost one write per word, and spelling suggestions need the words
    more than the exact counts."""
    # Plain SQL (both databases know `ON CONFLICT DO NOTHING`): it runs on every edit, and
    # compiling the ORM's bulk insert took longer than running it.
    pairs = list(words.items())
    with connection.cursor() as cursor:
        for start in range(0, len(pairs), WORDS_BATCH):
            batch = pairs[start : start + WORDS_BATCH]
            cursor.execute(
                f"INSERT INTO {VocabularyWord._meta.db_table} (word, documents) "  # noqa: S608 (placeholders)
                f"VALUES {', '.join(['(%s, %s)'] * len(batch))} ON CONFLICT (word) DO NOTHING",
                [value for pair in batch for value in pair],
            )


def prune_ended(*, now: dt.datetime | None = None, progress: Callable[[int, int], None] | None = None) -> int:
    """Drop the documents of things that are over (their last session ended).

    Searches never show them (they check `ends_at`), but left in the index they sit first in its
    sooner-first order and every search would step over them. Run it hourly (cron or the task):
    it also settles what the hour's edits left for the index to finish (`Backend.settle`).
    """
    now = now or timezone.now()
    ended = SearchDocument.objects.filter(ends_at__lt=now).order_by("id")
    total = ended.count()
    index = backend()
    done = 0
    while True:
        with transaction.atomic():
            batch = list(ended.only("id", "starts_key")[:REBUILD_BATCH])
            if not batch:
                break
            index.remove(batch)
            SearchDocument.objects.filter(id__in=[document.pk for document in batch]).delete()
        done += len(batch)
        if progress:
            progress(done, total)
    if done:
        index.optimize()
    index.settle()
    return done


# Each batch looks its objects' documents up by id. With statistics from when the table was
# empty, PostgreSQL read the whole kind instead (1.3 s a batch at half a million documents), so a
# rebuild refreshes them as the table doubles.
ANALYZE_FIRST = 8 * REBUILD_BATCH


def rebuild(
    *, kind: str, municipality_id: int | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Rebuild one kind's documents: all of them, or one municipality's.

    A municipality's rebuild replaces its documents batch by batch, each batch its own transaction,
    so everything stays findable meanwhile. A full rebuild is maintenance: it empties the index,
    refills it with the database's index maintenance paused, and recounts the vocabulary; searches
    during it see the part refilled so far.
    """
    indexed = registry.get(kind)
    ids = list(indexed.searchable_ids(municipality_id))
    index = backend()
    full = municipality_id is None
    words: Counter = Counter()
    if full:
        with transaction.atomic():
            if registry.names() == [kind]:
                index.clear()
            else:
                index.remove(list(SearchDocument.objects.filter(kind=kind).only("id", "starts_key")))
            SearchDocument.objects.filter(kind=kind).delete()
        index.begin_bulk()
    else:
        existing = SearchDocument.objects.filter(kind=kind, municipality_id=municipality_id)
        gone = sorted(set(existing.values_list("object_id", flat=True)) - set(ids))
        for start in range(0, len(gone), REBUILD_BATCH):
            with transaction.atomic():
                _write(indexed, gone[start : start + REBUILD_BATCH], [], [], None)
    done = 0
    next_analyze = ANALYZE_FIRST
    batches = [ids[start : start + REBUILD_BATCH] for start in range(0, len(ids), REBUILD_BATCH)]
    # The database is read and written here; meanwhile a worker process runs the text pipeline
    # on the batch read before (spawned: it needs no Django and shares no connection).
    pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) if len(batches) > 1 else None
    try:
        pending: tuple | None = None
        for batch in [*batches, None]:
            ahead = None
            if batch is not None:
                built = _read(indexed, batch)
                texts = _texts(built)
                ahead = (batch, built, pool.submit(encode, connection.vendor, texts) if pool else None, texts)
            if pending is not None:
                written, written_built, future, texts = pending
                encoded = future.result() if future else encode(connection.vendor, texts)
                with transaction.atomic():
                    _write(indexed, written, written_built, encoded, words)
                done += len(written)
                if done >= next_analyze:
                    index.refresh_statistics()
                    next_analyze *= 2
                if progress:
                    progress(done, len(ids))
            pending = ahead
    finally:
        if pool:
            pool.shutdown(cancel_futures=True)
        if full:
            index.end_bulk()
    with transaction.atomic():
        if full:
            VocabularyWord.objects.all().delete()
            VocabularyWord.objects.bulk_create(
                [VocabularyWord(word=word, documents=count) for word, count in words.items()], batch_size=1000
            )
        else:
            _add_words(words)
    index.optimize()
    return done
