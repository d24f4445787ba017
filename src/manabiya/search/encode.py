"""Documents in the form each index stores them: pure functions of the text, with no database,
so a rebuild can run them in worker processes while the main one reads and writes."""

import zlib

from .documents import Columns, IndexText, index_columns

# SQLite (FTS5 columns as token strings, and the same compressed for exact deletes)
RUN_GAP = "〓"  # a token no query produces: keeps separate runs from reading as one phrase
SEPARATOR = "\x1f"

# PostgreSQL (a tsvector literal)
WEIGHTS = {"title": "A", "title_alt": "B", "body": "C", "body_alt": "D", "tags": "D"}
MAX_POSITION = 16383  # PostgreSQL's limit; later tokens are not positioned
MAX_POSITIONS_PER_TOKEN = 256  # likewise


def fts_texts(columns: Columns) -> list[str]:
    return [f" {RUN_GAP} ".join(" ".join(run) for run in runs) for _name, runs in columns.named()]


def sqlite_payload(columns: Columns) -> tuple[list[str], bytes]:
    texts = fts_texts(columns)
    return texts, zlib.compress(SEPARATOR.join(texts).encode(), 1)


def sqlite_texts(blob: bytes) -> list[str]:
    return zlib.decompress(blob).decode().split(SEPARATOR)


def tsvector_literal(columns: Columns) -> str:
    positions: dict[str, list[str]] = {}
    position = 1
    for name, runs in columns.named():
        weight = WEIGHTS[name]
        for run in runs:
            for token in run:
                if position > MAX_POSITION:
                    break
                seen = positions.setdefault(token, [])
                if len(seen) < MAX_POSITIONS_PER_TOKEN:
                    seen.append(f"{position}{weight}")
                position += 1
            position += 1  # a gap between runs, so no phrase spans two
    return " ".join(f"'{token}':{','.join(where)}" for token, where in positions.items())


PAYLOADS = {"sqlite": sqlite_payload, "postgresql": tsvector_literal}


def encode(vendor: str, texts: list[IndexText]) -> list[tuple[object, list[str]]]:
    """For each text: what the `vendor`'s index stores, and the title's words for the vocabulary."""
    payload = PAYLOADS[vendor]
    encoded = []
    for text in texts:
        columns = index_columns(text)
        encoded.append((payload(columns), columns.words))
    return encoded
