"""What goes into the index for one thing people look for, in four columns.

`title` is the title as written; `title_alt` every other way to find the title (its reading, its
normalised form, a kana or English title, synonym groups); `body` and `body_alt` the same for
the rest of the text; `tags` the filter values as tokens. Ranking asks which columns matched.
Sudachi reads the title and a short
summary only: readings and synonyms matter for topic words, which live there, and analysing
every description would double the time a million-row rebuild takes; descriptions are still
found by any substring.
"""

from dataclasses import dataclass, field

from .text import Analysis, analyse, char_tokens, fold, group_token

Run = list[str]


@dataclass
class IndexText:
    title: str
    title_extra: list[str] = field(default_factory=list)  # other names for the same thing: kana, English
    summary: str = ""  # analysed like the title
    body: list[str] = field(default_factory=list)  # everything else worth finding, substring only
    tags: list[str] = field(default_factory=list)  # filter values, see `tag`


@dataclass
class Columns:
    title: list[Run]
    title_alt: list[Run]
    body: list[Run]
    body_alt: list[Run]
    tags: list[str] = field(default_factory=list)
    words: list[str] = field(default_factory=list)  # the title's content words, for spelling suggestions

    def named(self) -> list[tuple[str, list[Run]]]:
        return [
            ("title", self.title),
            ("title_alt", self.title_alt),
            ("body", self.body),
            ("body_alt", self.body_alt),
            ("tags", [self.tags]),
        ]


def _alternatives(analysis: Analysis, written: str) -> list[Run]:
    runs = [char_tokens(analysis.reading)]
    if analysis.normal != written:
        runs.append(char_tokens(analysis.normal))
    runs.append([group_token(group_id) for group_id in dict.fromkeys(analysis.groups)])
    return runs


def index_columns(text: IndexText) -> Columns:
    title = fold(text.title)
    summary = fold(text.summary)
    title_analysis = analyse(text.title)
    title_alt = _alternatives(title_analysis, title) + [char_tokens(fold(extra)) for extra in text.title_extra]
    body_alt = _alternatives(analyse(text.summary), summary) if summary else []
    body = [char_tokens(summary)] + [char_tokens(fold(part)) for part in text.body]
    return Columns(
        title=[char_tokens(title)],
        title_alt=[run for run in title_alt if run],
        body=[run for run in body if run],
        body_alt=[run for run in body_alt if run],
        tags=list(dict.fromkeys(text.tags)),
        words=[word for word in title_analysis.words if len(word) >= 2],
    )


TAG_MARK = "¤"  # like GROUP_MARK: a character `fold` never keeps, so no typed word is a tag
SAMPLE_LEVELS = 10  # samples of 1/2, 1/4, … 1/1024 of the documents


def tag(name: str, value: object = "") -> str:
    """A filter value as an index token (`¤m12`: municipality 12), so a filter is one more term
    the index intersects instead of a row-by-row check."""
    return f"{TAG_MARK}{name}{value}"


def sample_tags(object_id: int) -> list[str]:
    """Tags of the nested samples an object belongs to: `¤r3` holds 1/8 of all documents, picked
    by a hash of the id (stable, unrelated to dates or places), and lies within `¤r2`. Facet counts
    of a large result are estimated from the one sample level that holds about enough of it."""
    bits = (object_id * SAMPLE_HASH) % 2**32
    return [tag("r", level) for level in range(1, SAMPLE_LEVELS + 1) if bits < _sample_bound(level)]


# Knuth's multiplicative hash mixes only into the high bits: its low bits are the id's own low
# bits (a level of "divisible by 2ⁿ" would follow every pattern in how ids were handed out).
SAMPLE_HASH = 2654435761


def _sample_bound(level: int) -> int:
    return 2 ** (32 - level)


def in_sample_sql(level: int, object_id_column: str) -> str:
    """`sample_tags` as an SQL condition on the object id: the object lies in sample `level`.
    (The ids stay below 2⁶³ / SAMPLE_HASH, about 3.4 billion, so the product fits 64 bits.)"""
    return f"(({object_id_column} * {SAMPLE_HASH}) & {2**32 - 1}) < {_sample_bound(level)}"


WEEK_MINUTES = 7 * 24 * 60
DATE_LEVELS = 13  # blocks of 1, 2, 4, … 4,096 weeks


def week_of(starts_key: int) -> int:
    return max(starts_key, 0) // WEEK_MINUTES


def date_tags(starts_key: int) -> list[str]:
    """Tags of the week a document starts in and of each larger aligned block of weeks holding it
    (`¤w3b364`: the 8 weeks from week 2,912 since the epoch). Any stretch of weeks is then a few of
    these tags, so an index without an order of its own can be asked for the soonest matches one
    stretch at a time."""
    week = week_of(starts_key)
    return [tag("w", f"{level}b{week >> level}") for level in range(DATE_LEVELS)]


def weeks_tags(first: int, last: int) -> list[str]:
    """The fewest `date_tags` blocks that together hold exactly the weeks first…last."""
    tags = []
    week = first
    while week <= last:
        level = 0
        while level + 1 < DATE_LEVELS and week % (2 << level) == 0 and week + (2 << level) - 1 <= last:
            level += 1
        tags.append(tag("w", f"{level}b{week >> level}"))
        week += 1 << level
    return tags
