"""Ranking talent for a request: weights, Japanese text matching, explanations, order."""

import dataclasses

import pytest
from django.utils import translation

from manabiya.talent.matching import (
    AVAILABILITY_NONE_POINTS,
    KEYWORD_CAP,
    LOAD_CAP,
    Candidate,
    Want,
    rank,
)

SMARTPHONE, CRAFT, CALLIGRAPHY = 1, 2, 9
DIGITAL, ARTS = 100, 900
CHILDREN, SENIORS = 7, 8


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


def person(profile_id: int, **fields) -> Candidate:
    """A candidate who offers nothing unless told otherwise."""
    defaults = {
        "name": f"person {profile_id}",
        "category_ids": frozenset(),
        "parent_category_ids": frozenset(),
        "keywords": "",
        "audience_ids": frozenset(),
        "areas": (),
        "weekdays": frozenset(),
        "times": frozenset(),
        "rating": None,
        "ratings_count": 0,
        "recent_engagements": 0,
    }
    return Candidate(profile_id=profile_id, **(defaults | fields))


@pytest.fixture
def want() -> Want:
    return Want(
        category_ids=frozenset({SMARTPHONE}),
        parent_category_ids=frozenset({DIGITAL}),
        keywords=("スマホ", "パソコン"),
        audience_ids=frozenset({SENIORS}),
        area="田無",
        slots=((0, "morning"), (2, "morning"), (5, "afternoon")),
    )


@pytest.fixture
def candidates() -> list[Candidate]:
    expert = {
        "category_ids": frozenset({SMARTPHONE}),
        "parent_category_ids": frozenset({DIGITAL}),
        "keywords": "スマートフォン・ﾊﾟｿｺﾝ相談",
        "audience_ids": frozenset({SENIORS, CHILDREN}),
        "areas": ("田無町", "芝久保"),
        "weekdays": frozenset({0, 2, 5}),
        "times": frozenset({"morning", "afternoon"}),
        "rating": 5.0,
        "ratings_count": 3,
    }
    # Listed out of order so that nothing depends on the input order.
    return [
        person(6, name="Fujii", category_ids=frozenset({CALLIGRAPHY}), parent_category_ids=frozenset({ARTS})),
        person(
            4,
            name="Doi",
            category_ids=frozenset({CALLIGRAPHY}),
            parent_category_ids=frozenset({ARTS}),
            keywords="ＰＣ入門",
            areas=("田無",),
            rating=2.0,
            ratings_count=5,
            recent_engagements=1,
        ),
        person(2, name="Baba", **expert, recent_engagements=6),
        person(
            5,
            name="Endo",
            category_ids=frozenset({SMARTPHONE}),
            parent_category_ids=frozenset({DIGITAL}),
            keywords="書道",
            areas=("東伏見",),
            weekdays=frozenset({6}),
            times=frozenset({"evening"}),
            rating=1.0,
            ratings_count=2,
            recent_engagements=2,
        ),
        person(1, name="Aoki", **expert),
        person(
            3,
            name="Chiba",
            category_ids=frozenset({CRAFT}),
            parent_category_ids=frozenset({DIGITAL}),
            keywords="スマホ教室",
            areas=("保谷",),
            weekdays=frozenset({0}),
            times=frozenset({"morning"}),
        ),
    ]


def by_id(ranked):
    return {r.candidate.profile_id: r for r in ranked}


def test_ranking_of_the_fixture_is_known(want, candidates):
    """The fresh expert comes first, the overloaded one with the same skills second, then near matches."""
    ranked = rank(want, candidates)
    assert [(r.candidate.name, r.score) for r in ranked] == [
        ("Aoki", 93),  # 30 category + 20 keywords + 10 audience + 10 area + 15 availability + 8 rating
        ("Baba", 73),  # the same, -20 load
        ("Chiba", 27),  # 12 parent category + 10 keyword + 5 availability (1 of 3)
        ("Doi", 12),  # 10 keyword (ＰＣ ~ パソコン) + 10 area + 0 availability - 4 rating - 4 load
        ("Endo", 4),  # 30 category - 10 availability - 8 rating - 8 load
        ("Fujii", 0),  # nothing but "availability not stated"
    ]


def test_overloaded_expert_ranks_below_fresh_expert_with_equal_skills(want, candidates):
    """Six recent engagements cost the cap, not 24 points."""
    ranked = by_id(rank(want, candidates))
    assert ranked[1].score - ranked[2].score == -LOAD_CAP
    load = [reason for reason in ranked[2].reasons if reason.points < 0]
    assert [reason.points for reason in load] == [LOAD_CAP]
    assert "6 times" in load[0].text


def test_reasons_sum_to_the_score(want, candidates):
    """Every ranked candidate is explained, and its reasons add up to exactly its score."""
    for ranked in rank(want, candidates):
        assert ranked.reasons
        assert sum(reason.points for reason in ranked.reasons) == pytest.approx(ranked.score)


def test_reasons_come_biggest_effect_first(want, candidates):
    """Reasons are ordered by how much they moved the score, whatever the sign."""
    endo = by_id(rank(want, candidates))[5]
    assert [reason.points for reason in endo.reasons] == [30, AVAILABILITY_NONE_POINTS, -8, -8]
    assert "none of the candidate dates" in endo.reasons[1].text


def test_reason_texts_explain_the_factor(want, candidates):
    """Reasons name the matched keywords, the rating's mean and count, and the points."""
    ranked = by_id(rank(want, candidates))
    assert [reason.text for reason in ranked[1].reasons] == [
        "Expertise in the topic's category (+30)",
        "Keywords match: スマホ, パソコン (+20)",
        "Available on 3 of 3 candidate dates (+15)",
        "Experience with this audience (+10)",
        "Works in 田無 (+10)",
        "Rated 5.0 on average over 3 ratings (+8)",
    ]
    assert [reason.text for reason in ranked[3].reasons] == [
        "Expertise in a related category (+12)",
        "Keywords match: スマホ (+10)",
        "Available on 1 of 3 candidate dates (+5)",
    ]
    assert "Already engaged 1 time in the last 12 months (-4)" in [reason.text for reason in ranked[4].reasons]


@pytest.mark.parametrize(
    ("keyword", "text"),
    [
        ("スマホ", "スマートフォン講座"),  # synonym group
        ("スマートフォン", "スマホの困りごと相談"),  # and the other way round
        ("ＰＣ", "pc教室"),  # full-width latin
        ("ﾖｶﾞ", "ヨガ"),  # half-width katakana
        ("パソコン", "ぱそこん"),  # katakana / hiragana
        ("子ども", "子供向け工作"),  # normalised form
        ("カラオケ", "からおけ大会"),  # folded only: Sudachi misreads the hiragana spelling
        ("からおけ", "ｶﾗｵｹ大会"),  # folded only, and the candidate's text needs the folding
        ("読み聞かせ", "読みきかせ会"),  # normalised form only: okurigana variant, no synonym group
        ("受付", "受け付け係"),  # normalised form only
    ],
)
def test_keyword_found_through_japanese_normalisation(keyword, text):
    """A keyword spelled differently from the candidate's text still counts."""
    (ranked,) = rank(Want(keywords=(keyword,)), [person(1, keywords=text)])
    assert ranked.score == 10
    assert keyword in ranked.reasons[0].text


@pytest.mark.parametrize(("keyword", "text"), [("書道", "料理教室"), ("ヨガ", "ヨット"), ("スマホ", "")])
def test_unrelated_keyword_does_not_count(keyword, text):
    """No substring, normal form or synonym in common: no keyword points, no reason."""
    (ranked,) = rank(Want(keywords=(keyword,)), [person(1, keywords=text)])
    assert ranked.score == 0
    assert ranked.reasons == ()


def test_keyword_points_are_capped_and_repeats_count_once():
    """Three matches would be 30, the cap is 25; the same word spelled twice counts once."""
    text = "スマートフォン パソコン 子供 ヨガ"
    (capped,) = rank(Want(keywords=("スマホ", "パソコン", "子ども")), [person(1, keywords=text)])
    assert capped.score == KEYWORD_CAP
    (repeated,) = rank(Want(keywords=("ヨガ", "ﾖｶﾞ")), [person(1, keywords=text)])
    assert repeated.score == 10


def test_exact_category_counts_once_and_beats_parent():
    """An exact match is 30 however many categories overlap, never 30 + 12; a sibling gets 12."""
    want = Want(category_ids=frozenset({1, 2}), parent_category_ids=frozenset({DIGITAL}))
    exact = person(1, category_ids=frozenset({1, 2}), parent_category_ids=frozenset({DIGITAL}))
    sibling = person(2, category_ids=frozenset({3}), parent_category_ids=frozenset({DIGITAL}))
    unrelated = person(3, category_ids=frozenset({9}), parent_category_ids=frozenset({ARTS}))
    assert [(r.candidate.profile_id, r.score) for r in rank(want, [unrelated, sibling, exact])] == [
        (1, 30),
        (2, 12),
        (3, 0),
    ]


@pytest.mark.parametrize(
    ("weekdays", "times", "points"),
    [
        ({0}, set(), 7.5),  # days only: 2 of 4 dates fall on a Monday
        (set(), {"morning"}, 7.5),  # times only: 2 of 4 are mornings
        ({0, 1, 3}, {"morning", "afternoon"}, 11.25),  # both: 3 of 4
        ({0, 1, 3}, {"morning", "afternoon", "evening"}, 15),  # all 4
        ({6}, {"morning"}, AVAILABILITY_NONE_POINTS),  # none fit: a penalty, not 0
    ],
)
def test_availability_share(weekdays, times, points):
    """Stated days and times earn 15 × the share of candidate dates they fit."""
    want = Want(slots=((0, "morning"), (0, "evening"), (1, "morning"), (3, "afternoon")))
    (ranked,) = rank(want, [person(1, weekdays=frozenset(weekdays), times=frozenset(times))])
    assert ranked.score == points
    assert [reason.points for reason in ranked.reasons] == [points]


def test_availability_not_stated_or_not_asked():
    """Unstated availability is listed at 0; a want without dates has no availability factor."""
    (unstated,) = rank(Want(slots=((0, "morning"),)), [person(1)])
    assert [(r.points, r.text) for r in unstated.reasons] == [(0, "Availability not stated (0)")]
    (no_dates,) = rank(Want(), [person(1, weekdays=frozenset({0}))])
    assert no_dates.reasons == ()


@pytest.mark.parametrize(
    ("want_area", "areas", "points"),
    [
        ("田無", ("田無町",), 10),  # contained
        ("田無町", ("田無",), 10),  # containing
        ("ﾀﾅｼ", ("たなし",), 10),  # folded
        ("田無", ("保谷", ""), 0),  # an empty area name matches nothing
        ("", ("田無",), 0),  # no area wanted: no factor
    ],
)
def test_area(want_area, areas, points):
    """The area counts when one folded name contains the other."""
    (ranked,) = rank(Want(area=want_area), [person(1, areas=areas)])
    assert ranked.score == points
    assert len(ranked.reasons) == (1 if points else 0)


@pytest.mark.parametrize(
    ("rating", "count", "points", "text"),
    [
        (5.0, 1, 8, "Rated 5.0 on average over 1 rating (+8)"),
        (4.5, 2, 6, "Rated 4.5 on average over 2 ratings (+6)"),
        (3.0, 4, 0, "Rated 3.0 on average over 4 ratings (0)"),
        (1.0, 1, -8, "Rated 1.0 on average over 1 rating (-8)"),
    ],
)
def test_rating(rating, count, points, text):
    """Each star away from 3 is worth 4 points; the reason gives the mean and the count."""
    (ranked,) = rank(Want(), [person(1, rating=rating, ratings_count=count)])
    assert ranked.score == points
    assert [reason.text for reason in ranked.reasons] == [text]


def test_never_rated_is_neutral():
    """No ratings yet: no rating factor, neither bonus nor penalty."""
    (ranked,) = rank(Want(), [person(1, rating=None, ratings_count=0)])
    assert (ranked.score, ranked.reasons) == (0, ())


def test_audience_overlap_counts_once():
    """Any shared audience is +10, however many are shared."""
    want = Want(audience_ids=frozenset({CHILDREN, SENIORS}))
    ranked = rank(want, [person(1, audience_ids=frozenset({CHILDREN, SENIORS})), person(2)])
    assert [r.score for r in ranked] == [10, 0]


def test_ties_break_on_load_then_profile_id():
    """Equal scores go to fewer recent engagements first, then the lower profile id."""
    busy = person(1, rating=5.0, ratings_count=1, recent_engagements=2)  # +8 - 8 = 0
    fresh = [person(profile_id) for profile_id in (9, 4, 7)]
    ranked = rank(Want(), [busy, *fresh])
    assert [r.score for r in ranked] == [0, 0, 0, 0]
    assert [r.candidate.profile_id for r in ranked] == [4, 7, 9, 1]
    assert [r.candidate.profile_id for r in rank(Want(), [*reversed(fresh), busy])] == [4, 7, 9, 1]


def test_limit_cuts_the_list(want, candidates):
    """`limit` keeps the best ones; no limit keeps everyone."""
    assert [r.candidate.profile_id for r in rank(want, candidates, limit=2)] == [1, 2]
    assert len(rank(want, candidates, limit=0)) == 0
    assert len(rank(want, candidates, limit=50)) == len(candidates)
    assert len(rank(want, candidates)) == len(candidates)


def test_rank_accepts_any_iterable(want, candidates):
    """A generator is consumed once and ranked like a list."""
    assert rank(want, iter(candidates)) == rank(want, candidates)


def test_candidate_and_want_are_immutable(want):
    """Frozen dataclasses: safe to cache and share between requests."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        want.area = "保谷"  # type: ignore[misc]
