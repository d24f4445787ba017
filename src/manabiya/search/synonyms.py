"""The coordinators' synonym sets, as the query planner uses them."""

import re

from .text import fold

SEPARATORS = re.compile(r"[,、，/／\n]+")

# Pairs municipal course catalogues commonly need; coordinators edit them in the admin.
SEED_SETS = (
    "スマホ, スマートフォン, スマートホン",
    "パソコン, PC, コンピューター",
    "こども, 子ども, 子供, キッズ",
    "シニア, 高齢者, 高齢の方",
    "英会話, 英語",
    "ヨガ, yoga",
    "親子, 家族",
    "初心者, 入門, はじめて",
    "ボランティア, 奉仕活動",
    "子育て, 育児",
    "手話, サイン言語",
    "体操, エクササイズ",
    "読み聞かせ, おはなし会",
    "料理, クッキング",
    "写真, カメラ",
)


def split_words(words: str) -> list[str]:
    return [word.strip() for word in SEPARATORS.split(words) if word.strip()]


def synonym_map(word_sets: list[list[str]]) -> dict[str, list[str]]:
    """folded word → the other words of every set it belongs to."""
    mapping: dict[str, list[str]] = {}
    for words in word_sets:
        for word in words:
            others = mapping.setdefault(fold(word), [])
            others.extend(other for other in words if fold(other) != fold(word) and other not in others)
    return mapping
