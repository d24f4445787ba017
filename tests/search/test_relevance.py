"""What a citizen finds: a catalogue of realistic opportunities, built once for the module through
the services, and the queries people type into the search box, with what must come up first."""

import pytest
from django.db import transaction

from manabiya.catalog.facets import facet_counts
from manabiya.catalog.models import LearningOpportunity
from manabiya.catalog.selectors import CatalogQuery, catalog_search
from manabiya.catalog.selectors_search import run_search
from manabiya.search.models import VocabularyWord
from manabiya.search.selectors import zero_result_help

from .conftest import CHITOSE, KOGANEI, Spec, build_world, publish, titles

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT, SUN = range(1, 8)

CATALOGUE = [
    # 書道
    Spec("はじめての書道教室", "筆の持ち方から、楽しく丁寧に学びます", "半紙と筆は貸し出します。",
         category="calligraphy", weekday=TUE, fee=500),
    Spec("親子で楽しむ書き初め", "お正月の書き初めを親子で体験", "書道の基本を学んだあと、大きな紙に挑戦します。",
         category="calligraphy", audiences=("infants-parents",), weekday=SAT),
    Spec("かな書道と写経の会", "ひらがなの美しい線を練習します", municipality=CHITOSE, category="calligraphy",
         weekday=WED, hour=14, fee=300),
    # 料理
    Spec("男の料理教室", "包丁の使い方から基本の和食まで", "一人暮らしの方にもおすすめです。エプロン持参。",
         category="cooking", weekday=SUN, fee=1500),
    Spec("親子料理教室 夏休みカレーづくり", "夏休みに親子でカレーを作ります", category="cooking",
         audiences=("infants-parents", "elementary"), weekday=SAT),
    Spec("料理初心者のための基本講座", "だしの取り方、ご飯の炊き方", municipality=CHITOSE, category="cooking",
         weekday=THU, hour=19, week=3, fee=1000),
    Spec("季節の和菓子づくり", "上生菓子を二種類つくります", category="cooking", weekday=FRI, hour=13, fee=800),
    Spec("初心者のための家庭料理", "毎日のおかずを手早く", category="cooking", weekday=WED, fee=700),
    Spec("初心者向けパン作り", "手ごねパンを焼きます", "料理の経験がなくても大丈夫です。", category="cooking",
         weekday=MON, fee=500),
    # 手話
    Spec("手話で話そう 入門講座", "あいさつや自己紹介を手で話します", category="welfare-volunteer", weekday=MON,
         hour=19),
    Spec("手話サークル ひまわり", "聞こえない人と一緒に楽しく活動", municipality=CHITOSE,
         category="welfare-volunteer", weekday=FRI, hour=19),
    # 野鳥
    Spec("野鳥観察会 ～冬の渡り鳥～", "公園に来るカモやツグミを観察します", category="nature-environment",
         weekday=SUN, hour=9, week=2),
    Spec("野川の野鳥と自然散策", "川沿いを歩き、カワセミを探します", category="nature-environment", weekday=SAT, hour=9,
         week=2),
    Spec("バードウォッチング入門", "双眼鏡の使い方と野鳥の見分け方を学びます", municipality=CHITOSE,
         category="nature-environment", weekday=SUN),
    # スマートフォン
    Spec("シニアのためのスマートフォン教室", "電話のかけ方から写真の送り方まで", category="ict",
         audiences=("seniors",), weekday=TUE, hour=14),
    Spec("スマホ初心者講座 LINEを使ってみよう", "家族とメッセージをやりとりしましょう", category="ict",
         audiences=("seniors",), weekday=THU, hour=14, week=3),
    Spec("スマートフォンで写真を楽しむ", "撮り方のコツと整理のしかた", municipality=CHITOSE, category="photo-video",
         weekday=SAT, hour=14),
    # パソコン
    Spec("パソコン入門 ワードとエクセル", "文書と表計算の基本", category="ict", weekday=WED),
    Spec("PCで年賀状づくり", "住所録と文面を作ります", category="ict", weekday=FRI),
    Spec("コンピューターのしくみ講座", "CPUやメモリの役割を知ろう", municipality=CHITOSE, category="ict",
         weekday=TUE, hour=19),
    Spec("ｴｸｾﾙ関数 活用講座", "表計算ソフトの関数を実務に", category="ict", audiences=("working-age",),
         weekday=THU, hour=19),
    Spec("ＷＥＢデザイン入門", "ホームページの作り方", category="ict", weekday=MON, hour=14),
    # ヨガ
    Spec("朝ヨガ教室", "一日を気持ちよく始めましょう", category="dance-exercise", weekday=THU, hour=7, fee=500,
         extra={"title_en": "Morning Yoga"}),
    Spec("シニアのためのチェアヨガ", "椅子に座ったままできる運動", category="health", audiences=("seniors",),
         weekday=MON, hour=14),
    Spec("リラックスヨガ（夜の部）", "仕事帰りに心と体をほぐします", municipality=CHITOSE, category="dance-exercise",
         weekday=WED, hour=19, fee=800),
    # 英会話
    Spec("やさしい英会話 初級", "日常のあいさつから", category="languages", weekday=FRI, hour=19, fee=2000),
    Spec("旅行で使える英会話", "空港やホテルで困らないために", municipality=CHITOSE, category="languages",
         weekday=MON, hour=19, fee=1000),
    Spec("英語で絵本を読もう", "ネイティブの先生と楽しく", category="languages", audiences=("elementary",),
         weekday=SAT, hour=11),
    # 子ども向け
    Spec("子ども科学実験教室", "身近なものでふしぎを体験", category="science-experiments",
         audiences=("elementary",), weekday=SAT, hour=14),
    Spec("こどもプログラミング体験", "ロボットを動かしてみよう", category="ict", audiences=("elementary",),
         weekday=SAT),
    Spec("子供将棋教室", "駒の動かし方から対局まで", municipality=CHITOSE, category="recreation",
         audiences=("elementary",), weekday=SUN, hour=14),
    Spec("キッズダンス", "音楽に合わせて体を動かそう", category="dance-exercise", audiences=("elementary",),
         weekday=WED, hour=16),
    # シニア向け
    Spec("高齢者のための健康体操", "無理なく続けられる体操", category="health", audiences=("seniors",), weekday=MON),
    Spec("シニア向け 転倒予防教室", "足腰を鍛えて元気に", municipality=CHITOSE, category="health",
         audiences=("seniors",), weekday=TUE),
    # プログラミング
    Spec("Pythonプログラミング入門", "データ分析の第一歩", category="ict", audiences=("working-age",),
         weekday=WED, hour=19, fee=3000),
    Spec("はじめてのプログラミング Scratch", "ゲームを作って学ぶ", municipality=CHITOSE, category="ict",
         audiences=("elementary",), weekday=SAT),
    # 俳句
    Spec("はじめての俳句", "五七五で季節を詠む", category="literature", weekday=FRI, hour=14, week=3),
    Spec("季節の言葉を楽しむ会", "身近な言葉を味わう", "季語を手がかりに、俳句と短歌を味わいます。",
         category="literature", weekday=THU, hour=14),
    Spec("俳句・川柳 投句の会", "作品を持ち寄って合評します", municipality=CHITOSE, category="literature",
         weekday=MON, hour=14),
    # そのほか
    Spec("写真教室 カメラの基本", "絞りとシャッター速度", category="photo-video", weekday=SUN, hour=14),
    Spec("古文書を読む会", "江戸時代の村の記録を読み解きます", category="history-heritage", weekday=THU),
    Spec("小金井の歴史散歩", "玉川上水沿いの史跡をめぐります", category="history-heritage", weekday=SAT, hour=13),
    Spec("防災講座 地震に備える", "家具の固定と備蓄品", municipality=CHITOSE, category="disaster-prevention",
         weekday=SUN),
    Spec("家庭菜園を楽しもう", "プランターで育てる夏野菜", category="agriculture", weekday=SAT, hour=9),
    Spec("生け花（華道）体験", "季節の花をいける", category="traditional-arts", weekday=WED, hour=14),
    Spec("茶道入門", "お点前の基本と作法", municipality=CHITOSE, category="traditional-arts", weekday=THU,
         hour=14),
    Spec("ピアノ弾き語り講座", "好きな曲を歌いながら", category="music", weekday=FRI, hour=19),
    Spec("合唱団 団員募集", "混声四部合唱を楽しみましょう", municipality=CHITOSE, category="music", weekday=TUE,
         hour=19),
    Spec("親子リトミック", "リズムにあわせて親子で遊ぼう", category="music", audiences=("infants-parents",),
         weekday=WED),
    Spec("子育て相談ひろば", "保健師に気軽に相談できます", category="parenting", audiences=("parents",),
         weekday=TUE),
    Spec("編み物サークル", "棒針とかぎ針", municipality=CHITOSE, category="handicrafts", weekday=WED, hour=13),
    Spec("絵手紙教室", "季節のたよりを描こう", category="fine-arts", weekday=THU, hour=13),
    Spec("水彩画 入門", "透明水彩で風景を描く", municipality=CHITOSE, category="fine-arts", weekday=FRI),
    Spec("星空観察会", "望遠鏡で土星の環を見よう", category="astronomy-earth", weekday=SAT, hour=19),
    Spec("消費者トラブル防止講座", "悪質商法の手口と対策", municipality=CHITOSE, category="consumer", weekday=MON,
         hour=14),
    Spec("ボランティア入門講座", "地域で活動を始めたい方に", category="welfare-volunteer", weekday=SUN, hour=13),
    Spec("外国人のための日本語教室", "やさしい日本語で会話", category="international",
         audiences=("foreign-residents",), weekday=SUN),
    Spec("認知症サポーター養成講座", "認知症の方と家族を地域で支える", municipality=CHITOSE,
         category="welfare-volunteer", weekday=THU),
    Spec("卓球教室", "ラケットの握り方から", category="sport", weekday=TUE, hour=19),
    Spec("ウォーキング教室", "正しい歩き方で健康づくり", municipality=CHITOSE, category="sport", weekday=SAT,
         hour=9),
    Spec("人々がつながる まちづくり講座", "地域の課題を話し合います", category="community", weekday=MON, hour=19),
]  # fmt: skip


@pytest.fixture(scope="module", autouse=True)
def catalogue(django_db_setup, django_db_blocker):
    """The catalogue, published once for the whole module and rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            world = build_world()
            opportunities = {spec.title: publish(world, spec) for spec in CATALOGUE}
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield opportunities
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_the_whole_catalogue_is_searchable(catalogue):
    assert len(catalogue) == len(CATALOGUE) == len({spec.title for spec in CATALOGUE})
    assert sorted(titles("")) == sorted(catalogue)


SUMAHO = "スマホ初心者講座 LINEを使ってみよう"

# (query, filters, titles that must be among the first five, titles that must not be found at all)
QUERIES = [
    # Readings typed in hiragana find the kanji titles.
    ("しょどう", {}, ["はじめての書道教室", "かな書道と写経の会"], ["男の料理教室"]),
    ("やちょう", {}, ["野鳥観察会 ～冬の渡り鳥～", "野川の野鳥と自然散策", "バードウォッチング入門"], ["星空観察会"]),
    ("はいく", {}, ["はじめての俳句", "俳句・川柳 投句の会"], ["絵手紙教室"]),
    ("りょうり", {}, ["男の料理教室", "親子料理教室 夏休みカレーづくり", "料理初心者のための基本講座"], []),
    ("しゅわ", {}, ["手話で話そう 入門講座", "手話サークル ひまわり"], ["ボランティア入門講座"]),
    ("さどう", {}, ["茶道入門"], ["生け花（華道）体験"]),
    ("こもんじょ", {}, ["古文書を読む会"], ["小金井の歴史散歩"]),
    ("ひとびと", {}, ["人々がつながる まちづくり講座"], []),
    # Widths, kana and case.
    ("ＰＣ", {}, ["PCで年賀状づくり", "パソコン入門 ワードとエクセル", "コンピューターのしくみ講座"], ["卓球教室"]),
    ("ﾖｶﾞ", {}, ["朝ヨガ教室", "シニアのためのチェアヨガ", "リラックスヨガ（夜の部）"], ["キッズダンス"]),
    ("ｽﾏﾎ", {}, [SUMAHO, "シニアのためのスマートフォン教室", "スマートフォンで写真を楽しむ"],
     ["写真教室 カメラの基本"]),
    ("ぷろぐらみんぐ", {}, ["Pythonプログラミング入門", "はじめてのプログラミング Scratch", "こどもプログラミング体験"],
     []),
    ("エクセル", {}, ["ｴｸｾﾙ関数 活用講座", "パソコン入門 ワードとエクセル"], ["PCで年賀状づくり"]),
    ("web", {}, ["ＷＥＢデザイン入門"], []),
    ("ＰＹＴＨＯＮ", {}, ["Pythonプログラミング入門"], ["こどもプログラミング体験"]),
    ("line", {}, ["スマホ初心者講座 LINEを使ってみよう"], []),
    ("コンピュータ", {}, ["コンピューターのしくみ講座", "パソコン入門 ワードとエクセル", "PCで年賀状づくり"], []),
    ("人々", {}, ["人々がつながる まちづくり講座"], []),
    ("人人", {}, ["人々がつながる まちづくり講座"], []),
    # Two-character words, which trigram indexes cannot find.
    ("料理", {}, ["男の料理教室", "親子料理教室 夏休みカレーづくり", "料理初心者のための基本講座"],
     ["やさしい英会話 初級"]),
    ("書道", {}, ["はじめての書道教室", "かな書道と写経の会", "親子で楽しむ書き初め"], ["茶道入門"]),
    ("手話", {}, ["手話で話そう 入門講座", "手話サークル ひまわり"], ["英語で絵本を読もう"]),
    ("野鳥", {}, ["野鳥観察会 ～冬の渡り鳥～", "野川の野鳥と自然散策", "バードウォッチング入門"], ["星空観察会"]),
    ("俳句", {}, ["はじめての俳句", "俳句・川柳 投句の会", "季節の言葉を楽しむ会"], ["絵手紙教室"]),
    ("茶道", {}, ["茶道入門"], []),
    ("卓球", {}, ["卓球教室"], ["ウォーキング教室"]),
    # Sudachi's synonym groups.
    ("スマホ", {}, [SUMAHO, "シニアのためのスマートフォン教室", "スマートフォンで写真を楽しむ"],
     ["写真教室 カメラの基本"]),
    ("スマートフォン", {}, ["シニアのためのスマートフォン教室", "スマートフォンで写真を楽しむ",
                          "スマホ初心者講座 LINEを使ってみよう"], []),
    ("スマートホン", {}, ["シニアのためのスマートフォン教室", "スマホ初心者講座 LINEを使ってみよう"], []),
    # The coordinators' synonyms.
    ("英語", {}, ["英語で絵本を読もう", "やさしい英会話 初級", "旅行で使える英会話"], ["外国人のための日本語教室"]),
    ("英会話", {}, ["やさしい英会話 初級", "旅行で使える英会話", "英語で絵本を読もう"], []),
    ("シニア", {}, ["シニアのためのスマートフォン教室", "シニアのためのチェアヨガ", "シニア向け 転倒予防教室",
                  "高齢者のための健康体操"], ["キッズダンス"]),
    ("高齢者", {}, ["高齢者のための健康体操", "シニア向け 転倒予防教室", "シニアのためのチェアヨガ"], []),
    ("こども", {}, ["こどもプログラミング体験", "子ども科学実験教室", "子供将棋教室", "キッズダンス"],
     ["合唱団 団員募集"]),
    ("子ども", {}, ["子ども科学実験教室", "こどもプログラミング体験", "子供将棋教室", "キッズダンス"], []),
    ("子供", {}, ["子供将棋教室", "子ども科学実験教室", "こどもプログラミング体験", "キッズダンス"], []),
    ("パソコン", {}, ["パソコン入門 ワードとエクセル", "PCで年賀状づくり", "コンピューターのしくみ講座"], ["卓球教室"]),
    ("クッキング", {}, ["男の料理教室", "親子料理教室 夏休みカレーづくり", "料理初心者のための基本講座"], []),
    ("yoga", {}, ["朝ヨガ教室", "シニアのためのチェアヨガ", "リラックスヨガ（夜の部）"], []),
    ("家族", {}, ["親子料理教室 夏休みカレーづくり", "親子で楽しむ書き初め", "親子リトミック"], []),
    ("育児", {}, ["子育て相談ひろば"], []),
    ("カメラ", {}, ["写真教室 カメラの基本", "スマートフォンで写真を楽しむ"], []),
    # Several words: every one must be found.
    ("料理 親子", {}, ["親子料理教室 夏休みカレーづくり"], ["男の料理教室", "親子で楽しむ書き初め"]),
    ("書道　はじめて", {}, ["はじめての書道教室"], ["かな書道と写経の会"]),
    ("スマホ シニア", {}, ["シニアのためのスマートフォン教室", "スマホ初心者講座 LINEを使ってみよう"],
     ["スマートフォンで写真を楽しむ"]),
    ("千歳 ヨガ", {}, ["リラックスヨガ（夜の部）"], ["朝ヨガ教室", "シニアのためのチェアヨガ"]),
    ("野鳥　冬", {}, ["野鳥観察会 ～冬の渡り鳥～"], ["野川の野鳥と自然散策", "バードウォッチング入門"]),
    ("料理 初心者", {}, ["料理初心者のための基本講座", "初心者向けパン作り"], ["はじめての書道教室"]),
    ("季語", {}, ["季節の言葉を楽しむ会"], ["はじめての俳句"]),  # a word in a description only
    # Filters narrow what the words found.
    ("ヨガ", {"municipality": CHITOSE}, ["リラックスヨガ（夜の部）"], ["朝ヨガ教室", "シニアのためのチェアヨガ"]),
    ("英会話", {"municipality": KOGANEI}, ["やさしい英会話 初級", "英語で絵本を読もう"], ["旅行で使える英会話"]),
    ("スマホ", {"category": "photo-video"}, ["スマートフォンで写真を楽しむ"], ["シニアのためのスマートフォン教室"]),
    ("書道", {"category": "arts"}, ["はじめての書道教室", "かな書道と写経の会", "親子で楽しむ書き初め"], []),
    ("ヨガ", {"weekdays": [THU]}, ["朝ヨガ教室"], ["シニアのためのチェアヨガ", "リラックスヨガ（夜の部）"]),
    ("ヨガ", {"times": ["evening"]}, ["リラックスヨガ（夜の部）"], ["朝ヨガ教室", "シニアのためのチェアヨガ"]),
    ("料理", {"fee": "free"}, ["親子料理教室 夏休みカレーづくり"], ["男の料理教室", "料理初心者のための基本講座"]),
    ("野鳥", {"weekdays": [SUN], "times": ["morning"]}, ["野鳥観察会 ～冬の渡り鳥～", "バードウォッチング入門"],
     ["野川の野鳥と自然散策"]),
    ("プログラミング", {"audience": "elementary"}, ["こどもプログラミング体験", "はじめてのプログラミング Scratch"],
     ["Pythonプログラミング入門"]),
    # Words no document holds find nothing.
    ("ゴルフ", {}, [], list({spec.title for spec in CATALOGUE})),
    ("量子力学", {}, [], []),
    ("xyzzy", {}, [], []),
    ("書道 ゴルフ", {}, [], ["はじめての書道教室"]),
    ("ヨガ", {"municipality": CHITOSE, "weekdays": [THU]}, [], ["朝ヨガ教室", "リラックスヨガ（夜の部）"]),
]  # fmt: skip


@pytest.mark.parametrize(("q", "filters", "top", "absent"), QUERIES, ids=[f"{q}{f or ''}" for q, f, *_ in QUERIES])
def test_query_finds_the_right_opportunities_first(q, filters, top, absent):
    found = titles(q, **filters)
    first_five = found[:5]
    for title in top:
        assert title in first_five, f"{title} not in the first five for {q!r}: {found}"
    for title in absent:
        assert title not in found, f"{title} found for {q!r}: {found}"
    if not top:
        assert found == []


def test_many_queries_are_covered():
    assert len(QUERIES) >= 40


def test_title_as_typed_ranks_above_a_synonym_in_the_title():
    """スマホ初心者講座 starts two weeks after the スマートフォン course, yet comes first for スマホ."""
    found = titles("スマホ")
    assert found.index("スマホ初心者講座 LINEを使ってみよう") < found.index("シニアのためのスマートフォン教室")
    found = titles("スマートフォン")
    assert found.index("シニアのためのスマートフォン教室") < found.index("スマホ初心者講座 LINEを使ってみよう")


def test_exact_phrase_ranks_above_scattered_terms():
    """料理初心者 in a title beats both words apart in a title, and 初心者 in a title with 料理 in the
    description, though both start two weeks earlier."""
    found = titles("料理 初心者")
    assert found[:3] == ["料理初心者のための基本講座", "初心者のための家庭料理", "初心者向けパン作り"]


def test_title_holding_the_query_ranks_above_one_matching_it_otherwise():
    """A title holding 料理 as typed beats one holding a synonym of it, and one ending with it too."""
    found = titles("料理")
    assert set(found[:4]) == {
        "男の料理教室",
        "親子料理教室 夏休みカレーづくり",
        "料理初心者のための基本講座",
        "初心者のための家庭料理",
    }
    assert set(found[4:]) == {"季節の和菓子づくり", "初心者向けパン作り"}  # by category or description


def test_title_ranks_above_description():
    """はじめての俳句 starts two weeks after 季節の言葉を楽しむ会, whose description mentions 俳句."""
    found = titles("俳句")
    assert found.index("はじめての俳句") < found.index("季節の言葉を楽しむ会")
    assert found.index("俳句・川柳 投句の会") < found.index("季節の言葉を楽しむ会")


def test_title_ranks_above_category_and_audience():
    """Every ICT course has ICT・スマホ as category: the ones with the word in their title come first."""
    found = titles("スマホ")
    in_title = {
        "スマホ初心者講座 LINEを使ってみよう",
        "シニアのためのスマートフォン教室",
        "スマートフォンで写真を楽しむ",
    }
    assert set(found[:3]) == in_title
    assert "パソコン入門 ワードとエクセル" in found[3:]  # found by its category only


def test_within_a_tier_the_earliest_comes_first(catalogue):
    found = catalog_search(query=CatalogQuery(q="野鳥"))[:3]
    # Two titles hold 野鳥 and come by date; the third, a week earlier, has it in its summary only.
    assert {o.title for o in found[:2]} == {"野鳥観察会 ～冬の渡り鳥～", "野川の野鳥と自然散策"}
    assert found[0].first_starts_at < found[1].first_starts_at
    assert found[2].title == "バードウォッチング入門"
    assert found[2].first_starts_at < found[0].first_starts_at


def test_results_are_opportunities_ready_for_a_list(catalogue):
    results = catalog_search(query=CatalogQuery(q="書道"))
    assert results.count() == len(results.object_ids())
    page = results[:2]
    assert all(isinstance(o, LearningOpportunity) for o in page)
    assert [o.pk for o in page] == results.object_ids()[:2]
    assert results[0].pk == page[0].pk


def test_sort_by_date_ignores_relevance():
    found = titles("料理 初心者", sort="date")
    assert found.index("初心者向けパン作り") < found.index("料理初心者のための基本講座")


def _fetch(qs):
    return qs


def _help(q: str, **filters):
    found = run_search(query=CatalogQuery(q=q, **filters), fetch=_fetch)
    assert not found.results.exists()
    return zero_result_help(found.results.match)


def test_zero_results_offer_the_query_without_its_rarest_word():
    help_ = _help("書道 ゴルフ")
    assert help_.searched == "書道 ゴルフ"
    assert help_.shorter_query == "書道"
    help_ = _help("ゴルフ　野鳥 観察")
    assert help_.shorter_query == "野鳥 観察"


def test_zero_results_shorter_query_respects_the_filters():
    # 手話 alone finds nothing among Thursday's opportunities: no shorter query to offer.
    assert _help("手話 ゴルフ", weekdays=[4]).shorter_query == ""
    assert _help("手話 ゴルフ", weekdays=[1]).shorter_query == "手話"


def test_zero_results_offer_no_shorter_query_for_one_word():
    assert _help("ゴルフ").shorter_query == ""


def test_zero_results_offer_close_spellings_from_the_vocabulary():
    assert VocabularyWord.objects.filter(word="パソコン").exists()
    help_ = _help("パソコソ")
    assert "パソコン" in help_.spellings
    assert _help("ﾊﾟｿｺｿ").spellings[:1] == ["パソコン"]
    assert "プログラミング" in _help("プロクラミング").spellings


def test_zero_results_offer_nothing_for_gibberish():
    help_ = _help("xyzzy")
    assert help_.shorter_query == ""
    assert help_.spellings == []


def _count(q: str, **filters) -> int:
    return catalog_search(query=CatalogQuery(q=q, **filters)).count()


@pytest.mark.parametrize(
    ("q", "filters"),
    [
        ("料理", {}),
        ("ヨガ", {}),
        ("", {}),
        ("スマホ", {}),
        ("教室", {"municipality": KOGANEI}),
        ("入門", {"fee": "free"}),
    ],
)
def test_facet_counts_agree_with_filtered_searches(q, filters):
    counted = facet_counts(run_search(query=CatalogQuery(q=q, **filters), fetch=_fetch))
    assert counted.exact
    facets = counted.counts
    for weekday, count in facets["weekday"].items():
        assert count == _count(q, weekdays=[int(weekday)], **filters), f"weekday {weekday}"
    for time, count in facets["time"].items():
        assert count == _count(q, times=[time], **filters), f"time {time}"
    for audience, count in facets["audience"].items():
        assert count == _count(q, audience=audience, **filters), f"audience {audience}"
    if "fee" not in filters:
        for fee in ("free", "paid"):
            assert facets["fee"][fee] == _count(q, fee=fee, **filters), f"fee {fee}"
    for value, count in facets["format"].items():
        assert count == _count(q, format=value, **filters), f"format {value}"
    # A municipality or category counts as if that choice were not made.
    others = {k: v for k, v in filters.items() if k != "municipality"}
    for code in (KOGANEI, CHITOSE):
        assert facets["municipality"].get(code, 0) == _count(q, municipality=code, **others), f"municipality {code}"
    for slug in ("ict", "industry", "cooking", "home", "dance-exercise", "health", "literature", "misc"):
        assert facets["category"][slug] == _count(q, category=slug, **filters), f"category {slug}"


def test_facet_counts_of_a_search_with_words_only_count_its_results():
    facets = facet_counts(run_search(query=CatalogQuery(q="ヨガ"), fetch=_fetch)).counts
    assert facets["weekday"] == {"1": 1, "2": 0, "3": 1, "4": 1, "5": 0, "6": 0, "7": 0}
    assert facets["time"] == {"morning": 1, "afternoon": 1, "evening": 1}
    assert facets["fee"] == {"free": 1, "paid": 2}
    assert facets["municipality"] == {KOGANEI: 2, CHITOSE: 1}
    assert facets["category"]["dance-exercise"] == 2
    assert facets["category"]["health"] == 1
    assert facets["category"]["sports"] == 3
