"""The search index's own rows: one document per thing people look for, the coordinators'
synonyms, and the vocabulary spelling suggestions come from.

The text index itself lives beside `SearchDocument`, in the form the database does best (an FTS5
table on SQLite, a tsvector column on PostgreSQL; see `backends`). The other columns hold what
filters, facets and sort orders need, so a search never has to join the tables of the app that
owns the document. Their meaning is the owner's: an opportunity fills all of them, a group or a
facility (later) the ones that apply.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from manabiya.core import bounds
from manabiya.core.models import TimeStampedModel

from .synonyms import split_words
from .text import fold


class SearchDocument(models.Model):
    kind = models.CharField(max_length=30)
    object_id = bounds.BigIntegerField()
    municipality_id = bounds.IntegerField(null=True)
    provider_id = bounds.IntegerField(null=True)
    category_id = bounds.IntegerField(null=True)
    top_category_id = bounds.IntegerField(null=True)
    # Bit (weekday - 1) * 3 + time-of-day set when some session falls on that weekday at that time.
    slot_mask = bounds.IntegerField(default=0)
    flags = bounds.IntegerField(default=0)  # see Flag
    format = models.CharField(max_length=20, blank=True)
    applications_open_from = models.DateTimeField(null=True)
    applications_open_until = models.DateTimeField(null=True)
    starts_at = models.DateTimeField(null=True)
    # The index order ("sooner first"): minutes since the epoch of starts_at, 0 without one.
    starts_key = bounds.BigIntegerField(default=0)
    ends_at = models.DateTimeField(null=True)  # not shown once over
    published_at = models.DateTimeField(null=True)  # the "newest" order

    class Meta:
        db_table = "search_document"
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="search_document_unique_object")]
        indexes = [
            models.Index(fields=["kind", "starts_key", "id"], name="search_doc_by_start"),
            models.Index(fields=["kind", "published_at", "id"], name="search_doc_by_published"),
            models.Index(fields=["kind", "ends_at"], name="search_doc_by_end"),
            models.Index(fields=["kind", "municipality_id"], name="search_doc_municipality"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id}"

    def save(self, *args, **kwargs):
        self.fill_starts_key()
        super().save(*args, **kwargs)

    def fill_starts_key(self) -> None:
        self.starts_key = starts_key_of(self.starts_at)

    class Flag:
        FREE = 1
        CHILDCARE = 2
        TAKES_APPLICATIONS = 4
        CANCELLED = 8


def starts_key_of(starts_at: datetime.datetime | None) -> int:
    return int(starts_at.timestamp()) // 60 if starts_at else 0


class Synonym(TimeStampedModel):
    """Words that should find each other, one set per row: スマホ / スマートフォン / スマートホン.

    Region-wide, like the categories: a search covers every municipality of the installation. The
    sets are applied when a query is read, so an edit takes effect at once, without a reindex.
    """

    words = models.CharField(
        _("words"),
        max_length=300,
        unique=True,
        help_text=_("Two or more words that mean the same, separated by commas or 、."),
    )

    class Meta:
        ordering = ["words"]
        verbose_name = _("synonym set")
        verbose_name_plural = _("synonym sets")

    def __str__(self) -> str:
        return self.words

    def word_list(self) -> list[str]:
        return split_words(self.words)

    def clean(self) -> None:
        words = self.word_list()
        if len({fold(word) for word in words}) < 2:
            raise ValidationError({"words": _("Give at least two different words, separated by commas or 、.")})
        if any(not fold(word) for word in words):
            raise ValidationError({"words": _("Each word needs at least one letter or digit.")})
        self.words = "、".join(words)


class VocabularyWord(models.Model):
    """A word seen in indexed titles, with how many documents used it when last counted."""

    word = models.CharField(max_length=100, unique=True)
    documents = bounds.PositiveIntegerField(default=0)

    class Meta:
        db_table = "search_vocabulary"

    def __str__(self) -> str:
        return self.word
