"""A search query as a plan both index backends compile: every term must match, each in any of
its spellings.

A term's spellings are what it means across the pipeline: the folded text itself (any substring),
the normalised form Sudachi gives it (こども → 子供), its synonym groups (スマホ → the group it shares
with スマートフォン), and the coordinators' synonyms (英会話 ~ 英語). Where a spelling must be found
(`Scope`) lets ranking ask the same plan narrower questions: is it in the title, literally?
"""

import enum
from dataclasses import dataclass, field

from .text import analyse, char_tokens, fold, group_token, split_terms


class Scope(enum.Enum):
    ANYWHERE = "anywhere"
    TITLE = "title"  # the title, its reading, normalised forms and synonyms
    TITLE_LITERAL = "title_literal"  # the title as written (folded)


@dataclass(frozen=True)
class Spelling:
    """A run of tokens that must appear in this order; one token ending in a single character
    matches any token that starts with it."""

    tokens: tuple[str, ...]
    literal: bool  # the words as typed, not a reading, a normal form or a synonym

    @property
    def is_prefix(self) -> bool:
        return len(self.tokens) == 1 and len(self.tokens[0]) == 1


@dataclass
class Term:
    text: str  # as typed
    folded: str
    spellings: list[Spelling] = field(default_factory=list)


@dataclass
class Plan:
    text: str
    terms: list[Term]

    @property
    def is_empty(self) -> bool:
        return not self.terms

    def phrase(self) -> "Plan":
        """The whole query as one literal run: 料理 初心者 must be found as 料理初心者."""
        joined = "".join(term.folded for term in self.terms)
        spelling = _spelling(joined, literal=True)
        return Plan(self.text, [Term(self.text, joined, [spelling])])

    def without(self, index: int) -> "Plan":
        terms = [term for i, term in enumerate(self.terms) if i != index]
        return Plan(" ".join(term.text for term in terms), terms)


def _spelling(folded: str, *, literal: bool) -> Spelling:
    tokens = char_tokens(folded)
    # A word of two or more characters is its bigrams; the trailing unigram would only narrow it.
    return Spelling(tuple(tokens[:-1] if len(tokens) > 1 else tokens), literal=literal)


def build_term(text: str, synonyms: dict[str, list[str]]) -> Term | None:
    folded = fold(text)
    if not folded:
        return None
    term = Term(text, folded, [_spelling(folded, literal=True)])
    seen = {folded}
    analysis = analyse(text)
    # Sudachi reads kana typed alone poorly (しょどう → です + どう); its normal form is only
    # trusted for a term it reads as content words.
    normal = analysis.normal if analysis.words and not analysis.function_words else ""
    for variant in [normal, *synonyms.get(folded, [])]:
        variant = fold(variant)
        if variant and variant not in seen:
            seen.add(variant)
            term.spellings.append(_spelling(variant, literal=False))
    # Synonym groups only for a term that is one word: a phrase's groups would widen it too far.
    if len(analysis.words) == 1 and not analysis.function_words:
        for group_id in analysis.groups:
            term.spellings.append(Spelling((group_token(group_id),), literal=False))
    return term


def build_plan(text: str, synonyms: dict[str, list[str]] | None = None) -> Plan:
    terms = [term for word in split_terms(text) if (term := build_term(word, synonyms or {}))]
    return Plan(text.strip(), terms)
