"""The text pipeline on its own: folding, bigrams, query plans, synonym sets."""

import pytest

from manabiya.search.models import Synonym
from manabiya.search.query import Spelling, build_plan
from manabiya.search.selectors import plan_for
from manabiya.search.synonyms import SEED_SETS, split_words, synonym_map
from manabiya.search.text import GROUP_MARK, analyse, char_tokens, fold, group_token, split_terms

SEEDED = synonym_map([split_words(words) for words in SEED_SETS])


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ＰＣ", "pc"),  # full-width latin
        ("ﾖｶﾞ", "よが"),  # half-width katakana with its voiced mark
        ("ﾊﾟｿｺﾝ", "ぱそこん"),  # and with its semi-voiced mark
        ("コンピューター", "こんぴゅた"),  # long vowel marks go
        ("コンピュータ", "こんぴゅた"),  # so the spelling without them is the same
        ("人々", "人人"),  # kanji iteration mark
        ("すゞき", "すずき"),  # voiced kana iteration mark
        ("いすゞ", "いすず"),
        ("こゝろ", "こころ"),  # unvoiced kana iteration mark
        ("バナヽ", "ばなな"),  # katakana iteration mark
        ("Python", "python"),  # case
        ("ＰＹＴＨＯＮ３", "python3"),
        ("ＡＢＣ　ｄｅｆ", "abcdef"),  # spaces are not kept
        ("英会話（初級）・入門！", "英会話初級入門"),  # nor punctuation
        ("①", "1"),  # compatibility characters
        ("ヴァイオリン", "ゔぁいおりん"),  # ヴ has a hiragana counterpart
        ("3ヶ月", "3か月"),  # the small ケ of a count is read か
        ("1ヵ所", "1か所"),
        ("", ""),
        ("ー、。", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_makes_widths_kana_and_case_equal():
    spellings = ["スマートフォン", "ｽﾏｰﾄﾌｫﾝ", "すまーとふぉん", "スマ－トフォン", "スマートフォン"]
    assert {fold(s) for s in spellings} == {"すまとふぉん"}


def test_fold_is_idempotent():
    for text in ["ＰＣ", "ﾖｶﾞ", "コンピューター", "人々", "すゞき", "子ども 料理教室"]:
        assert fold(fold(text)) == fold(text)


def test_iteration_mark_with_nothing_before_it_is_dropped():
    assert fold("々") == ""
    assert fold("ゝき") == "き"


def test_char_tokens_are_bigrams_then_the_last_character():
    assert char_tokens("しょどう") == ["しょ", "ょど", "どう", "う"]
    assert char_tokens("書道") == ["書道", "道"]
    assert char_tokens("a") == ["a"]
    assert char_tokens("") == []


def test_split_terms_splits_at_any_space():
    assert split_terms("料理　親子 初心者\t教室") == ["料理", "親子", "初心者", "教室"]
    assert split_terms("   ") == []


def test_analyse_gives_readings_normal_forms_and_content_words():
    analysis = analyse("子ども書道教室")
    assert analysis.reading == "こどもしょどうきょうしつ"
    assert analysis.normal == "子供書道教室"
    assert analysis.words == ["子ども", "書道", "教室"]
    assert analysis.function_words == 0
    assert analysis.groups


def test_analyse_skips_punctuation_and_counts_function_words():
    analysis = analyse("書道を、楽しむ。")
    assert "、" not in analysis.reading
    assert analysis.reading == "しょどうをたのしむ"
    assert analysis.function_words >= 1  # を
    assert analysis.words == ["書道", "楽しむ"]


def test_analyse_empty_text():
    analysis = analyse("  ")
    assert (analysis.reading, analysis.normal, analysis.groups, analysis.words) == ("", "", [], [])


def test_analyse_handles_text_longer_than_one_chunk():
    analysis = analyse("書道教室。" * 2000)
    assert analysis.reading.count("しょどうきょうしつ") == 2000


def _spellings(plan, index=0) -> list[Spelling]:
    return plan.terms[index].spellings


def _tokens(plan, index=0) -> list[tuple[str, ...]]:
    return [s.tokens for s in _spellings(plan, index)]


def test_plan_term_has_literal_bigram_spelling_first():
    plan = build_plan("書道教室")
    first = _spellings(plan)[0]
    assert first == Spelling(("書道", "道教", "教室"), literal=True)
    assert not first.is_prefix


def test_plan_for_one_character_is_a_prefix():
    plan = build_plan("茶")
    assert _spellings(plan)[0] == Spelling(("茶",), literal=True)
    assert _spellings(plan)[0].is_prefix


def test_plan_folds_each_word():
    plan = build_plan("ＰＣ　ﾖｶﾞ")
    assert [term.folded for term in plan.terms] == ["pc", "よが"]
    assert [term.text for term in plan.terms] == ["PC", "ヨガ"]


def test_plan_drops_words_that_fold_to_nothing():
    plan = build_plan("料理 ・ 、")
    assert [term.folded for term in plan.terms] == ["料理"]
    assert build_plan("  、。 ").is_empty
    assert build_plan("").is_empty


def test_plan_expands_coordinator_synonyms():
    plan = build_plan("英語", SEEDED)
    assert ("英会", "会話") in _tokens(plan)
    assert all(not s.literal for s in _spellings(plan)[1:])
    # Synonyms are looked up by folded form: width and kana do not matter.
    assert ("すま", "まと", "とふ", "ふぉ", "ぉん") in _tokens(build_plan("ｽﾏﾎ", SEEDED))


def test_plan_without_synonyms_has_no_synonym_spellings():
    assert ("英会", "会話") not in _tokens(build_plan("英語"))


def test_plan_gives_smartphone_words_the_sudachi_group_they_share():
    sumaho = build_plan("スマホ")
    smartphone = build_plan("スマートフォン")
    groups = {s.tokens[0] for s in _spellings(sumaho) if s.tokens[0].startswith(GROUP_MARK)}
    assert groups
    assert groups == {s.tokens[0] for s in _spellings(smartphone) if s.tokens[0].startswith(GROUP_MARK)}
    assert groups <= {group_token(g) for g in analyse("スマートフォン").groups}


def test_plan_adds_the_normal_form():
    plan = build_plan("こども")
    assert ("子供",) in _tokens(plan)
    plan = build_plan("子ども")
    assert ("子供",) in _tokens(plan)


def test_plan_has_no_bogus_normal_form_for_kana_sudachi_misreads():
    """Sudachi splits しょどう into function words; its normal form must not become a spelling."""
    plan = build_plan("しょどう")
    assert _spellings(plan) == [Spelling(("しょ", "ょど", "どう"), literal=True)]


def test_plan_gives_no_group_tokens_to_a_phrase():
    plan = build_plan("スマホを使う")
    assert not [s for s in _spellings(plan) if s.tokens[0].startswith(GROUP_MARK)]


def test_phrase_joins_the_terms():
    plan = build_plan("料理 初心者")
    phrase = plan.phrase()
    assert len(phrase.terms) == 1
    # Bigrams only: a trailing one-character token would be found only where the title ends.
    assert phrase.terms[0].spellings == [Spelling(("料理", "理初", "初心", "心者"), literal=True)]
    assert build_plan("スマホ").phrase().terms[0].spellings == [Spelling(("すま", "まほ"), literal=True)]
    assert build_plan("茶").phrase().terms[0].spellings[0].is_prefix


def test_without_drops_one_term():
    plan = build_plan("書道 ゴルフ 教室")
    shorter = plan.without(1)
    assert shorter.text == "書道 教室"
    assert [t.folded for t in shorter.terms] == ["書道", "教室"]


def test_split_words_accepts_every_separator():
    assert split_words("スマホ, スマートフォン、スマートホン，携帯/ケータイ／モバイル\nガラケー") == [
        "スマホ",
        "スマートフォン",
        "スマートホン",
        "携帯",
        "ケータイ",
        "モバイル",
        "ガラケー",
    ]
    assert split_words(" , 、 ") == []


def test_synonym_map_maps_folded_words_to_the_others():
    mapping = synonym_map([["スマホ", "スマートフォン"], ["パソコン", "PC"]])
    assert mapping == {
        "すまほ": ["スマートフォン"],
        "すまとふぉん": ["スマホ"],
        "ぱそこん": ["PC"],
        "pc": ["パソコン"],
    }


def test_synonym_map_merges_sets_sharing_a_word_and_skips_same_folded_words():
    mapping = synonym_map([["英語", "英会話"], ["英語", "English"], ["ヨガ", "よが", "yoga"]])
    assert mapping["英語"] == ["英会話", "English"]
    assert mapping["英会話"] == ["英語"]
    assert mapping["よが"] == ["yoga"]  # ヨガ and よが fold alike: neither is the other's synonym


@pytest.mark.django_db
def test_seeded_synonyms_are_what_plan_for_uses():
    assert Synonym.objects.count() == len(SEED_SETS)
    assert ("英会", "会話") in _tokens(plan_for("英語"))
    Synonym.objects.create(words="ゴルフ, パークゴルフ")
    assert ("ぱく", "くご", "ごる", "るふ") in _tokens(plan_for("ゴルフ"))


def test_sample_levels_are_nested_and_unrelated_to_id_patterns():
    """Ids handed out round-robin over ten municipalities must not fall into a sample by their
    municipality: each residue of the id modulo 10 gets its share of every level."""
    from manabiya.search.documents import sample_tags, tag

    ids = range(1, 200_001)
    in_level = {level: [i for i in ids if tag("r", level) in sample_tags(i)] for level in (1, 3, 6)}
    assert set(in_level[6]) <= set(in_level[3]) <= set(in_level[1])
    for level, members in in_level.items():
        share = len(members) / len(ids)
        assert abs(share - 1 / 2**level) < 0.1 / 2**level
        for residue in range(10):
            of_residue = sum(1 for i in members if i % 10 == residue) / (len(ids) / 10)
            assert abs(of_residue - 1 / 2**level) < 0.25 / 2**level, (level, residue)
