"""Which kinds of things are indexed, and how each turns into documents.

An app registers a kind in its AppConfig.ready(): the catalogue registers "opportunity"; groups,
talent profiles and facilities can follow with their own builder and go through the same
pipeline, backends and services.
"""

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from .documents import IndexText


@dataclass
class IndexedKind:
    name: str
    # The ids of every object of this kind that should be searchable (optionally one municipality's),
    # best sooner first: a full rebuild writes the documents in this order, and on PostgreSQL a
    # stretch of dates then lies in a few runs of the table's pages (see `backends.postgres`).
    searchable_ids: Callable[[int | None], Iterable[int]]
    # For the given ids: (object id, document fields, text to index) for those that are searchable.
    build: Callable[[list[int]], Iterator[tuple[int, dict, IndexText]]]


_kinds: dict[str, IndexedKind] = {}


def register(kind: IndexedKind) -> None:
    _kinds[kind.name] = kind


def get(name: str) -> IndexedKind:
    return _kinds[name]


def names() -> list[str]:
    return sorted(_kinds)
