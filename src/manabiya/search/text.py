"""The one text pipeline: what is indexed and what is searched go through the same steps.

`fold` makes spellings that mean the same compare equal (width, case, katakana/hiragana, long
vowel marks, iteration marks). `char_tokens` turns folded text into character bigrams, so any
substring of two or more characters is found, including the two-character words (料理, 書道) that
defeat trigram indexes. `analyse` runs Sudachi for what characters alone cannot give: readings
(書道 → しょどう), normalised forms (子ども → 子供) and synonym groups (スマホ ~ スマートフォン).
"""

import re
import threading
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

from sudachipy import Dictionary, SplitMode

KATAKANA_START, KATAKANA_END = 0x30A1, 0x30F6  # ァ .. ヶ
KANA_OFFSET = 0x60  # ア - あ
LONG_VOWEL_MARKS = "ー〜～"
ITERATION_KANA = {"ゝ": False, "ゞ": True, "ヽ": False, "ヾ": True}  # mark: voiced?
ITERATION_KANJI = "々〻"
DAKUTEN = "\u3099"
# Synonym-group tokens start with a character `fold` never keeps, so no typed word can collide.
GROUP_MARK = "§"
# Sudachi parts of speech that carry no searchable meaning.
SKIPPED_POS = {"空白", "補助記号", "記号"}
# Parts of speech whose synonym groups are worth following: content words only.
CONTENT_POS = {"名詞", "動詞", "形容詞", "形状詞", "代名詞"}


# One translation table: katakana → hiragana (ヽヾ too), long vowel marks dropped.
_FOLD_TABLE = {code: code - KANA_OFFSET for code in range(KATAKANA_START, KATAKANA_END + 1)}
_FOLD_TABLE |= {ord("ヽ"): "ゝ", ord("ヾ"): "ゞ"} | {ord(mark): None for mark in LONG_VOWEL_MARKS}
# The small ケ and カ of 3ヶ月 and 1ヵ所 are read か: 3か月 must find them.
_FOLD_TABLE |= {ord(small): "か" for small in "ヶヵゖゕ"}
_NOT_WORD = re.compile(r"[\W_]+")
_ITERATION = re.compile("[" + "".join(ITERATION_KANA) + ITERATION_KANJI + "]")


def _voiced(char: str) -> str:
    composed = unicodedata.normalize("NFC", char + DAKUTEN)
    return composed if len(composed) == 1 else char


def _expand_iteration(text: str) -> str:
    out: list[str] = []
    for char in text:
        if char in ITERATION_KANA or char in ITERATION_KANJI:
            if out:
                out.append(_voiced(out[-1]) if ITERATION_KANA.get(char) else out[-1])
            continue
        out.append(char)
    return "".join(out)


def fold(text: str) -> str:
    """Fold `text` to the form both the index and queries use; keeps only letters and digits.

    ＰＣ → pc, ﾖｶﾞ → よが, コンピューター → こんぴゅた, 人々 → 人人, すゞき → すずき.
    """
    folded = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).casefold().translate(_FOLD_TABLE))
    if _ITERATION.search(folded):
        folded = _expand_iteration(folded)
    return folded


def char_tokens(folded: str) -> list[str]:
    """Bigrams of folded text, then its last character alone so a one-character prefix finds it."""
    if not folded:
        return []
    return [folded[i : i + 2] for i in range(len(folded) - 1)] + [folded[-1]]


_local = threading.local()


@lru_cache(maxsize=1)
def _dictionary() -> Dictionary:
    return Dictionary(dict="core")


def _tokenizer():
    # A Sudachi tokenizer keeps state between calls; one per thread is safe and cheap.
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        tokenizer = _local.tokenizer = _dictionary().tokenizer(mode=SplitMode.C)
    return tokenizer


@dataclass
class Analysis:
    """What Sudachi adds to a piece of text, already folded."""

    reading: str = ""  # the whole text's reading, as one run: 書道教室 → しょどうきょうしつ
    normal: str = ""  # the whole text in Sudachi's normalised forms: 子ども教室 → 子供教室
    groups: list[int] = field(default_factory=list)  # synonym group ids of the content words
    words: list[str] = field(default_factory=list)  # content words as written, for the vocabulary
    function_words: int = 0  # particles, auxiliaries, adverbs...: a sign the text is not one term


# Sudachi's dictionary has a limit on input size; long descriptions are analysed in pieces.
ANALYSE_CHUNK = 4000


def analyse(text: str) -> Analysis:
    result = Analysis()
    if not text.strip():
        return result
    readings: list[str] = []
    normals: list[str] = []
    tokenizer = _tokenizer()
    normalized_text = unicodedata.normalize("NFKC", text)
    for start in range(0, len(normalized_text), ANALYSE_CHUNK):
        for morpheme in tokenizer.tokenize(normalized_text[start : start + ANALYSE_CHUNK]):
            pos = morpheme.part_of_speech()[0]
            if pos in SKIPPED_POS:
                continue
            surface = morpheme.surface()
            readings.append(morpheme.reading_form() or surface)
            normals.append(morpheme.normalized_form() or surface)
            if pos in CONTENT_POS:
                result.groups.extend(morpheme.synonym_group_ids())
                result.words.append(surface)
            else:
                result.function_words += 1
    # Folded once, whole: folding drops what is not a letter or digit, so a symbol Sudachi did not
    # tag as one leaves nothing behind either way.
    result.reading = fold("".join(readings))
    result.normal = fold("".join(normals))
    return result


def group_token(group_id: int) -> str:
    return f"{GROUP_MARK}{group_id}"


def split_terms(query: str) -> list[str]:
    """The words of a query as typed, split at any kind of space (全角 too)."""
    return unicodedata.normalize("NFKC", query).split()
