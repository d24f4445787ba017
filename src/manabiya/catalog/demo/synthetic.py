"""Large synthetic catalogues for load tests and benchmarks.

The rows are written with `bulk_create` in batches, one transaction per batch, and deliberately
bypass `catalog.services`: the services validate, lock, and write an audit entry one opportunity at
a time (about 30 queries each), which is right for real edits but would take hours for a million
rows. Nothing here needs those rules checked again: the generator only produces valid rows (a
session ends after it starts, application windows open before they close, capacity is set when
applications are taken), and it fills the same denormalised fields the services keep
(`first_starts_at`, `last_ends_at`, and each session's weekday and time of day through
`Session.fill_derived()`). No audit entries are written: nobody did anything.

Everything lives in synthetic municipalities, named 架空…市 with local government codes whose
city part is 900 or above (valid check digit, but no real municipality uses that range), so
`remove_synthetic` can take it all away again without touching real data.
"""

import datetime as dt
import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from manabiya.core.japan import PREFECTURES, local_government_check_digit
from manabiya.core.models import Municipality, Organization
from manabiya.search.models import SearchDocument

from .. import search_documents
from ..models import (
    LOCAL_ZONE,
    AccessibilityFeature,
    ApplicationMethod,
    Audience,
    Category,
    Format,
    LearningOpportunity,
    Session,
    Status,
    Venue,
)

SYNTHETIC_PREFIX = "架空"
FIRST_CITY_NUMBER = 900
PLACES = (
    "みどり野", "さくら台", "かすみ浦", "あおば", "ひかり丘", "しらかば", "なぎさ",
    "こもれび", "ゆうひ", "つばさ", "はるかぜ", "いずみ野", "もみじ", "すずかけ",
    "ほたる", "かざはな", "みなと", "やまびこ", "ふたば", "ときわ",
)  # fmt: skip
TOWNS = ("本町", "中町", "東町", "西町", "南町", "北町", "緑町", "桜町", "旭町", "栄町")

# (provider name, kind, its hall): {m} is the municipality's name, {s} the name without 市.
PROVIDERS = (
    ("{m}中央公民館", Organization.Kind.KOMINKAN, "{m}中央公民館"),
    ("{m}東公民館", Organization.Kind.KOMINKAN, "{m}東公民館"),
    ("{m}西公民館", Organization.Kind.KOMINKAN, "{m}西公民館"),
    ("{m}立図書館", Organization.Kind.LIBRARY, "{m}立中央図書館"),
    ("{m}こども館", Organization.Kind.CHILDRENS_HALL, "{m}こども館"),
    ("{m} 生涯学習課", Organization.Kind.CITY_DEPARTMENT, "{s}市民会館"),
    ("NPO法人 {s}まなびネット", Organization.Kind.NPO, "{s}市民活動センター"),
    ("{s}市民大学の会", Organization.Kind.CITIZENS_GROUP, "{s}コミュニティセンター"),
)

# (topic word, category slug, nouns that go with it)
TOPICS = (
    ("書道", "calligraphy", ("教室", "講座", "体験会")),
    ("料理", "cooking", ("教室", "講座", "体験会")),
    ("手話", "welfare-volunteer", ("講座", "教室", "入門講座")),
    ("野鳥", "nature-environment", ("観察会", "講座")),
    ("スマートフォン", "ict", ("教室", "相談会", "講座")),
    ("ヨガ", "dance-exercise", ("教室", "体験会")),
    ("パソコン", "ict", ("教室", "講座", "相談会")),
    ("プログラミング", "ict", ("教室", "体験会")),
    ("英会話", "languages", ("教室", "サロン", "講座")),
    ("中国語", "languages", ("教室", "講座")),
    ("韓国語", "languages", ("教室", "講座")),
    ("日本語", "international", ("教室", "サロン")),
    ("国際交流", "international", ("サロン", "パーティー")),
    ("俳句", "literature", ("教室", "講座", "句会")),
    ("短歌", "literature", ("教室", "講座")),
    ("古典文学", "literature", ("講座", "読書会")),
    ("水彩画", "fine-arts", ("教室", "講座")),
    ("陶芸", "fine-arts", ("教室", "体験会")),
    ("写真", "photo-video", ("教室", "講座", "撮影会")),
    ("動画編集", "photo-video", ("講座", "教室")),
    ("茶道", "traditional-arts", ("教室", "体験会")),
    ("華道", "traditional-arts", ("教室", "体験会")),
    ("着付け", "traditional-arts", ("教室", "講座")),
    ("合唱", "music", ("教室", "体験会")),
    ("ウクレレ", "music", ("教室", "講座")),
    ("リトミック", "music", ("教室", "体験会")),
    ("太極拳", "dance-exercise", ("教室", "体験会")),
    ("フラダンス", "dance-exercise", ("教室", "体験会")),
    ("ストレッチ", "health", ("教室", "講座")),
    ("健康体操", "health", ("教室", "講座")),
    ("ウォーキング", "health", ("教室", "講座")),
    ("卓球", "sport", ("教室", "大会")),
    ("ボッチャ", "sport", ("体験会", "教室")),
    ("将棋", "recreation", ("教室", "大会")),
    ("囲碁", "recreation", ("教室", "大会")),
    ("ボードゲーム", "recreation", ("交流会", "体験会")),
    ("家庭菜園", "agriculture", ("講座", "教室")),
    ("園芸", "agriculture", ("講座", "教室")),
    ("防災", "disaster-prevention", ("講座", "セミナー", "ワークショップ")),
    ("防犯", "disaster-prevention", ("講座", "セミナー")),
    ("子育て", "parenting", ("講座", "サロン", "相談会")),
    ("読み聞かせ", "reading", ("講座", "体験会")),
    ("絵本", "reading", ("講座", "読書会")),
    ("郷土史", "history-heritage", ("講座", "散歩")),
    ("古文書", "history-heritage", ("講座", "教室")),
    ("天体", "astronomy-earth", ("観察会", "講座")),
    ("地層", "astronomy-earth", ("観察会", "講座")),
    ("科学", "science-experiments", ("実験教室", "工作教室")),
    ("編み物", "handicrafts", ("教室", "講座")),
    ("木工", "handicrafts", ("教室", "ワークショップ")),
    ("整理収納", "living", ("講座", "セミナー")),
    ("終活", "living", ("セミナー", "講座")),
    ("マネー", "society-economy", ("講座", "セミナー")),
    ("心理学", "philosophy-psychology", ("講座", "セミナー")),
    ("ボランティア", "welfare-volunteer", ("講座", "説明会")),
    ("消費生活", "consumer", ("講座", "セミナー")),
    ("人権", "human-rights", ("講座", "講演会")),
    ("まちづくり", "community", ("講座", "ワークショップ")),
    ("キャリア", "career", ("セミナー", "講座")),
    ("環境", "nature-environment", ("講座", "セミナー")),
)

# (phrase before the topic, audience slugs, (age_min, age_max), who it is for in a sentence)
AUDIENCE_PHRASES = (
    ("", ("everyone",), (None, None), "幅広い世代の方"),
    ("はじめての", ("everyone",), (None, None), "初心者の方"),
    ("はじめての", ("everyone",), (None, None), "初めての方"),
    ("シニアのための", ("seniors",), (None, None), "シニアの方"),
    ("シニアのための", ("seniors",), (None, None), "60歳以上の方"),
    ("親子で楽しむ", ("elementary", "parents"), (6, 12), "小学生と保護者"),
    ("子ども", ("elementary",), (6, 12), "小学生"),
    ("中高生のための", ("teens",), (12, 18), "中学生・高校生"),
    ("働く世代の", ("working-age",), (None, None), "働く世代の方"),
    ("仕事帰りの", ("working-age",), (None, None), "お勤めの方"),
    ("子育て中の方の", ("parents",), (None, None), "子育て中の方"),
    ("赤ちゃんと一緒の", ("infants-parents",), (0, 3), "乳幼児と保護者"),
    ("やさしい日本語で学ぶ", ("foreign-residents", "everyone"), (None, None), "外国人住民の方"),
    (
        "障がいのある方もない方も楽しむ",
        ("disabilities", "everyone"),
        (None, None),
        "障がいのある方とそのご家族",
    ),
    ("楽しく学ぶ", ("everyone",), (None, None), "幅広い世代の方"),
)
SEASONS = {
    12: "冬",
    1: "冬",
    2: "冬",
    3: "春",
    4: "春",
    5: "春",
    6: "夏",
    7: "夏",
    8: "夏",
    9: "秋",
    10: "秋",
    11: "秋",
}
CATCHES = ("基礎から学ぼう", "仲間と一緒に", "気軽に体験", "一歩ずつ上達", "暮らしに役立つ", "地域でつながる")
SUMMARIES = (
    "{topic}の基本を、経験豊富な講師がていねいに教えます。初めての方も安心してご参加ください。",
    "{audience}を対象にした{topic}の{noun}です。少人数で、質問しながら進めます。",
    "少人数で{topic}を楽しみながら学びます。道具の貸出があります。",
    "{topic}を通じて、地域の仲間づくりをしませんか。",
    "{topic}の魅力を、実習を中心に体験します。経験は問いません。",
    "{topic}の楽しさに触れる{noun}です。お気軽にご参加ください。",
)
SERIES_SUMMARY = "全{sessions}回で{topic}の基礎を身につけます。"
INTROS = (
    "{topic}に興味はあるけれど、始めるきっかけがなかった方に向けた{noun}です。",
    "地域で活動する講師が、{topic}の楽しさを分かりやすく伝えます。",
    "毎回テーマを決めて、{topic}の基本から少しずつ進めます。",
    "{audience}のみなさんが、無理なく続けられる内容にしています。",
)
MIDDLES = (
    "講義だけでなく、実際に手や体を動かす時間をたっぷり取ります。",
    "参加者どうしで感想を話し合う時間もあります。",
    "修了後は、市内で活動するサークルを紹介します。",
    "最終回には、学んだ成果をみんなで発表し合います。",
    "分からないことは、その場で講師やスタッフに質問できます。",
)
LECTURERS = ("市内在住の講師", "大学教員", "NPO法人のスタッフ", "公民館サークルの会員", "市の職員", "専門家")
BRINGS = ("筆記用具", "飲み物", "筆記用具、飲み物", "動きやすい服装、タオル", "エプロン、三角巾", "特になし")
SLOTS = ((9, 30), (10, 0), (10, 30), (13, 0), (13, 30), (14, 0), (15, 0), (18, 30), (19, 0))
SESSION_COUNTS = (1, 1, 1, 1, 1, 1, 1, 2, 2, 3, 3, 4, 4, 4, 5, 6, 6, 6)
MINUTES = (60, 90, 90, 120, 120, 150)
FEES = (0, 0, 0, 0, 0, 0, 300, 500, 500, 800, 1000, 1500, 2000, 3000)
STATUSES = (
    (Status.PUBLISHED,) * 186
    + (Status.CANCELLED,) * 4
    + (Status.SUBMITTED,) * 6
    + (
        Status.DRAFT,
        Status.DRAFT,
        Status.DRAFT,
        Status.RETURNED,
    )
)
FIRST_DAY_RANGE = (-30, 150)  # days from today: some past, most in the coming five months


@dataclass
class Place:
    municipality: Municipality
    providers: list[tuple[Organization, Venue]]


@dataclass
class GenerateResult:
    opportunities: int
    sessions: int
    seconds: float

    @property
    def rate(self) -> float:
        return self.opportunities / self.seconds if self.seconds else 0.0


def synthetic_code(index: int) -> str:
    """A valid local government code no real municipality has: city number 900 and up."""
    prefectures = sorted(PREFECTURES)
    city = FIRST_CITY_NUMBER + index // len(prefectures)
    if city > 999:
        raise ValueError("at most 4,700 synthetic municipalities")
    first_five = f"{prefectures[index % len(prefectures)]}{city:03d}"
    return first_five + local_government_check_digit(first_five)


def synthetic_name(index: int) -> str:
    place = PLACES[index % len(PLACES)]
    round_ = index // len(PLACES)
    return f"{SYNTHETIC_PREFIX}{place}{'' if round_ == 0 else round_ + 1}市"


def synthetic_municipalities():
    return Municipality.objects.filter(name__startswith=SYNTHETIC_PREFIX, code__regex=r"^[0-9]{2}9[0-9]{3}$")


@transaction.atomic
def ensure_places(count: int) -> list[Place]:
    """The first `count` synthetic municipalities with their providers and venues, made if missing."""
    places = []
    for index in range(count):
        rng = random.Random(f"place:{index}")
        code = synthetic_code(index)
        municipality, _ = Municipality.objects.get_or_create(
            code=code, defaults={"name": synthetic_name(index), "prefecture": PREFECTURES[code[:2]]}
        )
        short = municipality.name.removesuffix("市")
        lat, lon = rng.uniform(33.5, 43.0), rng.uniform(130.5, 144.5)
        providers = []
        for n, (name, kind, hall) in enumerate(PROVIDERS):
            organization, _ = Organization.objects.get_or_create(
                municipality=municipality,
                name=name.format(m=municipality.name, s=short),
                defaults={"kind": kind, "trusted": n < 6},
            )
            street = f"{TOWNS[n % len(TOWNS)]}{n + 1}-{rng.randint(1, 30)}-{rng.randint(1, 20)}"
            venue, _ = Venue.objects.get_or_create(
                municipality=municipality,
                name=hall.format(m=municipality.name, s=short),
                address=f"{municipality.prefecture}{municipality.name}{street}",
                defaults={
                    "latitude": round(lat + rng.uniform(-0.03, 0.03), 6),
                    "longitude": round(lon + rng.uniform(-0.03, 0.03), 6),
                    "access": f"{short}駅から徒歩{rng.randint(2, 20)}分",
                },
            )
            providers.append((organization, venue))
        places.append(Place(municipality=municipality, providers=providers))
    return places


class _Composer:
    """Makes one opportunity's rows from a seeded random source; no database access."""

    def __init__(self, rng: random.Random, *, today: dt.date, now: dt.datetime, lookups: dict):
        self.rng = rng
        self.today = today
        self.now = now
        self.categories = lookups["categories"]
        self.audiences = lookups["audiences"]
        self.support = lookups["support"]

    def opportunity(self, place: Place) -> tuple[LearningOpportunity, list[Session], list[int], list[int]]:
        rng = self.rng
        organization, venue = rng.choice(place.providers)
        topic, category, nouns = rng.choice(TOPICS)
        noun = rng.choice(nouns)
        phrase, audience_slugs, (age_min, age_max), audience_label = rng.choice(AUDIENCE_PHRASES)
        n_sessions = rng.choice(SESSION_COUNTS)
        every = 7 if n_sessions < 4 or rng.random() < 0.8 else 14
        first_day = self.today + dt.timedelta(days=rng.randint(*FIRST_DAY_RANGE))
        hour, minute = rng.choice(SLOTS)
        minutes = rng.choice(MINUTES)

        title = self._title(phrase, topic, noun, n_sessions, first_day)
        words = {"topic": topic, "noun": noun, "audience": audience_label, "sessions": n_sessions}
        template = SERIES_SUMMARY if n_sessions > 2 and rng.random() < 0.3 else rng.choice(SUMMARIES)
        summary = template.format(**words)
        description = (
            rng.choice(INTROS).format(**words)
            + rng.choice(MIDDLES)
            + f"\n\n【講師】{rng.choice(LECTURERS)}\n【対象】{audience_label}\n【持ち物】{rng.choice(BRINGS)}"
        )

        sessions = []
        for n in range(n_sessions):
            starts = dt.datetime.combine(first_day + dt.timedelta(days=n * every), dt.time(hour, minute), LOCAL_ZONE)
            session = Session(starts_at=starts, ends_at=starts + dt.timedelta(minutes=minutes))
            session.fill_derived()
            sessions.append(session)
        first, last = sessions[0].starts_at, sessions[-1].ends_at

        status = rng.choice(STATUSES)
        published = status in (Status.PUBLISHED, Status.CANCELLED)
        changed = self.now - dt.timedelta(days=rng.randint(1, 60), minutes=rng.randint(0, 1440))
        method = rng.choice((ApplicationMethod.NONE, ApplicationMethod.NONE, ApplicationMethod.FIRST_COME,
                             ApplicationMethod.FIRST_COME, ApplicationMethod.LOTTERY))  # fmt: skip
        opens = closes = None
        if method == ApplicationMethod.FIRST_COME:
            opens = first - dt.timedelta(days=rng.randint(14, 35), hours=hour - 9, minutes=minute)
            closes = first - dt.timedelta(days=1)
        elif method == ApplicationMethod.LOTTERY:
            closes = first - dt.timedelta(days=rng.randint(10, 16))
            opens = closes - dt.timedelta(days=14)
        online = rng.random() < 0.05
        childcare = ("parents" in audience_slugs and rng.random() < 0.5) or rng.random() < 0.03
        fee = rng.choice(FEES)
        opportunity = LearningOpportunity(
            municipality_id=place.municipality.pk,
            provider_id=organization.pk,
            title=title,
            summary=summary,
            description=description,
            category_id=self.categories[category],
            age_min=age_min,
            age_max=age_max,
            format=Format.ONLINE if online else Format.IN_PERSON,
            venue_id=None if online else venue.pk,
            online_url=f"https://meet.example.jp/{rng.randint(10**7, 10**8)}" if online else "",
            fee=fee,
            fee_note="材料費" if fee and rng.random() < 0.4 else "",
            capacity=rng.choice((10, 12, 15, 20, 20, 24, 30, 30, 40, 50, 80, 100))
            if method != ApplicationMethod.NONE or rng.random() < 0.3
            else None,
            application_method=method,
            application_opens_at=opens,
            application_closes_at=closes,
            childcare_offered=childcare,
            childcare_capacity=rng.choice((3, 5, 8)) if childcare else None,
            childcare_ages="1歳〜未就学児" if childcare else "",
            contact_name=organization.name,
            status=status,
            status_changed_at=changed,
            published_at=changed if published else None,
            first_starts_at=first,
            last_ends_at=last,
        )
        audience_ids = [self.audiences[s] for s in audience_slugs]
        support_ids = rng.sample(self.support, k=rng.randint(1, 2)) if rng.random() < 0.15 else []
        return opportunity, sessions, audience_ids, support_ids

    def _title(self, phrase: str, topic: str, noun: str, n_sessions: int, first_day: dt.date) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.55 or not phrase.strip():
            base = f"{phrase}{topic}{noun}"
        elif roll < 0.65:
            base = f"{SEASONS[first_day.month]}の{topic}{noun}"
        elif roll < 0.75:
            base = f"{topic}入門"
        elif roll < 0.9:
            base = f"{topic}{noun} 〜{rng.choice(CATCHES)}〜"
        else:
            base = f"{phrase}{topic}{noun}"
        if n_sessions > 1 and rng.random() < 0.4:
            base += f"（全{n_sessions}回）"
        return base


def _lookups() -> dict:
    return {
        "categories": dict(Category.objects.values_list("slug", "pk")),
        "audiences": dict(Audience.objects.values_list("slug", "pk")),
        "support": list(
            AccessibilityFeature.objects.filter(scope=AccessibilityFeature.Scope.OPPORTUNITY).values_list(
                "pk", flat=True
            )
        ),
    }


def generate_catalog(
    *,
    opportunities: int,
    municipalities: int = 10,
    seed: int = 1,
    batch: int = 5000,
    today: dt.date | None = None,
    progress: Callable[[int], None] | None = None,
    index: bool = True,
) -> GenerateResult:
    """Write `opportunities` synthetic opportunities, spread over `municipalities` synthetic ones.

    One transaction per `batch`; `progress(n)` is called after each with the rows written. With
    `index`, each batch enters the search index in its transaction; without, the caller rebuilds
    the index afterwards (the benchmark times the two apart).
    """
    started = time.monotonic()
    places = ensure_places(municipalities)
    composer = _Composer(
        random.Random(seed), today=today or timezone.localdate(), now=timezone.now(), lookups=_lookups()
    )
    audience_field = LearningOpportunity._meta.get_field("audiences")
    support_field = LearningOpportunity._meta.get_field("accessibility")
    AudienceLink, SupportLink = audience_field.remote_field.through, support_field.remote_field.through
    # Column names of the two link tables: (opportunity side, other side).
    audience_cols = (audience_field.m2m_column_name(), audience_field.m2m_reverse_name())
    support_cols = (support_field.m2m_column_name(), support_field.m2m_reverse_name())
    # Keep each INSERT a reasonable size; the backend lowers this further if it must (SQLite).
    insert_size = min(batch, 1000)

    written = sessions_written = 0
    while written < opportunities:
        size = min(batch, opportunities - written)
        rows = [composer.opportunity(places[(written + i) % len(places)]) for i in range(size)]
        with transaction.atomic():
            created = LearningOpportunity.objects.bulk_create([row[0] for row in rows], batch_size=insert_size)
            if created and created[-1].pk is None:
                raise RuntimeError("The database backend must return primary keys from bulk inserts.")
            sessions, audience_links, support_links = [], [], []
            for opportunity, row_sessions, audience_ids, support_ids in rows:
                for session in row_sessions:
                    session.opportunity_id = opportunity.pk
                    sessions.append(session)
                audience_links += [AudienceLink(**{audience_cols[0]: opportunity.pk, audience_cols[1]: a})
                                   for a in audience_ids]  # fmt: skip
                support_links += [SupportLink(**{support_cols[0]: opportunity.pk, support_cols[1]: s})
                                  for s in support_ids]  # fmt: skip
            Session.objects.bulk_create(sessions, batch_size=insert_size * 4)
            AudienceLink.objects.bulk_create(audience_links, batch_size=insert_size * 4)
            SupportLink.objects.bulk_create(support_links, batch_size=insert_size * 4)
            if index:
                search_documents.reindex([row[0].pk for row in rows])
        written += size
        sessions_written += len(sessions)
        if progress:
            progress(size)
    return GenerateResult(opportunities=written, sessions=sessions_written, seconds=time.monotonic() - started)


def remove_synthetic(progress: Callable[[int], None] | None = None) -> int:
    """Delete every synthetic municipality with all its rows; returns the opportunities removed.

    Deletes table by table with set-based queries, one municipality per transaction, so a million
    rows go in minutes without loading them into memory.
    """
    removed = 0
    audience_link = LearningOpportunity._meta.get_field("audiences").remote_field.through
    support_link = LearningOpportunity._meta.get_field("accessibility").remote_field.through
    for municipality in list(synthetic_municipalities()):
        with transaction.atomic():
            opportunities = LearningOpportunity.objects.filter(municipality=municipality)
            count = opportunities.count()
            Session.objects.filter(opportunity__municipality=municipality).delete()
            audience_link.objects.filter(learningopportunity__municipality=municipality).delete()
            support_link.objects.filter(learningopportunity__municipality=municipality).delete()
            opportunities.only("pk").delete()
            Venue.objects.filter(municipality=municipality).delete()
            SearchDocument.objects.filter(kind=search_documents.KIND, municipality_id=municipality.pk).delete()
            Organization.objects.filter(municipality=municipality).delete()
            municipality.delete()
        removed += count
        if progress:
            progress(count)
    return removed
