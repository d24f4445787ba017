"""Properties of the whole pipeline, from a title saved through the services to a typed query:
whatever a title holds, any part of it of two or more characters finds the opportunity."""

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from manabiya.catalog import services
from manabiya.search.text import fold

from .conftest import KOGANEI, Spec, publish, search

pytestmark = pytest.mark.django_db

KANJI = "書道教室料理親子英会話野鳥観察健康体操子供高齢者市民講座入門初級文化歴史自然音楽手話写真俳句茶華生涯学習公民館"
KANJI += "図書館𠮷髙﨑"  # characters outside the BMP and variants, as in names
HIRAGANA = "".join(chr(c) for c in range(ord("ぁ"), ord("ゖ") + 1))
KATAKANA = "".join(chr(c) for c in range(ord("ァ"), ord("ヶ") + 1)) + "ー"
HALF_WIDTH_KANA = "".join(chr(c) for c in range(0xFF66, 0xFF9F + 1))  # ｦ .. ﾟ, voiced marks included
FULL_WIDTH = "".join(chr(c) for c in [*range(0xFF21, 0xFF3B), *range(0xFF41, 0xFF5B), *range(0xFF10, 0xFF1A)])
ASCII = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
SPACES = " \u3000"
PUNCTUATION = "・、。！？（）「」～-/!?.,:『』【】〜々ゝゞヽヾ"
WORDS = [
    "スマートフォン", "ｽﾏﾎ", "パソコン", "ＰＣ", "コンピューター", "ﾖｶﾞ", "ヨガ", "書道", "しょどう", "料理教室",
    "英会話", "野鳥観察会", "子ども", "こども", "シニア", "人々", "すゞき", "Python", "ＬＩＮＥ", "第２期",
    "初心者向け", "（夜の部）", "～冬の渡り鳥～", "ﾊﾟｿｺﾝ", "ｶﾞｲﾄﾞ", "ヴァイオリン", "いすゞ", "2025年度",
]  # fmt: skip

characters = st.text(
    alphabet=st.sampled_from(KANJI + HIRAGANA + KATAKANA + HALF_WIDTH_KANA + FULL_WIDTH + ASCII + SPACES + PUNCTUATION),
    min_size=1,
    max_size=8,
)
titles = (
    st.lists(st.one_of(st.sampled_from(WORDS), characters), min_size=1, max_size=5)
    .map("".join)
    .filter(lambda title: title.strip() and len(title) <= 200)
)
HALF_WIDTH_MARKS = "\uff9e\uff9f"  # ﾞ ﾟ: part of the kana before them


@st.composite
def title_and_part(draw):
    """A title and a part of it of two or more characters, never cutting ｶ from its ﾞ (a reader sees
    one character, ガ, and NFKC makes it one)."""
    title = draw(titles.filter(lambda t: len(t) >= 2))
    start = draw(st.integers(0, len(title) - 2))
    end = draw(st.integers(start + 2, len(title)))
    while start > 0 and title[start] in HALF_WIDTH_MARKS:
        start -= 1
    while end < len(title) and title[end] in HALF_WIDTH_MARKS:
        end += 1
    return title, title[start:end]


@pytest.fixture
def opportunity(world):
    """The opportunity the examples retitle, among others that start later and share its words."""
    for title in ["書道教室", "スマートフォン教室", "パソコン入門 第２期", "こども料理教室", "ヨガ（夜の部）"]:
        publish(world, Spec(title, "市民講座", category="misc", week=3))
    return publish(world, Spec("仮の題名", "ここに説明が入ります", category="misc"))


def retitle(world, opportunity, title: str):
    return services.opportunity_update(actor=world.members[KOGANEI], opportunity=opportunity, title=title)


PROPERTY_SETTINGS = settings(
    max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@PROPERTY_SETTINGS
@given(example=title_and_part())
def test_any_part_of_a_title_finds_it(world, opportunity, example):
    title, part = example
    assume(fold(part))  # a part of spaces and punctuation only asks for nothing
    retitle(world, opportunity, title)
    assert opportunity.pk in search(part), f"{part!r} does not find {title!r}"


@PROPERTY_SETTINGS
@given(title=titles)
def test_the_whole_title_finds_it_first(world, opportunity, title):
    assume(fold(title))
    retitle(world, opportunity, title)
    assert search(title)[:1] == [opportunity.pk], f"{title!r} does not find itself"


def _hiragana_to_katakana(text: str) -> str:
    return "".join(chr(ord(c) + 0x60) if "ぁ" <= c <= "ゖ" else c for c in text)


def _katakana_to_hiragana(text: str) -> str:
    return "".join(chr(ord(c) - 0x60) if "ァ" <= c <= "ヶ" else c for c in text)


def _to_full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


@PROPERTY_SETTINGS
@given(
    example=title_and_part(), variant=st.sampled_from([_hiragana_to_katakana, _katakana_to_hiragana, _to_full_width])
)
def test_a_part_typed_in_other_kana_or_width_finds_it(world, opportunity, example, variant):
    title, part = example
    typed = variant(part)
    assume(fold(typed))
    retitle(world, opportunity, title)
    assert opportunity.pk in search(typed), f"{typed!r} (from {part!r}) does not find {title!r}"
