"""The demo's talent bank, in Chitose (千歳学出前講座): the lifelong-learning office's menu, a few
approved registrations (the demo citizen among them, as a lecturer), a 町内会's request that waits
for the citizen's answer, and a volunteer need of the library."""

import datetime as dt

from django.contrib.auth.hashers import make_password
from django.db.models import Q
from django.utils import timezone

from manabiya.catalog.models import Audience, Category
from manabiya.core.models import Municipality, Organization, User

from . import services
from .models import (
    ContactMessage,
    LectureRequest,
    LecturerInvitation,
    LectureTopic,
    TalentProfile,
    VolunteerAssignment,
    VolunteerNeed,
)

# title, description, category slug, audience, minutes, minimum group
TOPICS = (
    ("千歳の歴史を知ろう", "縄文のキウス周堤墓群から空港のまちへ。千歳の歩みを写真でたどります。", "history-heritage",
     "どなたでも", 90, 10),
    ("はじめてのスマートフォン", "電話・写真・LINE の基本を、お手持ちのスマホで一緒に操作します。", "ict",
     "高齢者", 90, 10),
    ("家庭でできる防災", "備蓄品の選び方と、冬の停電への備え。", "disaster-prevention", "どなたでも", 60, 10),
    ("ごみの分け方・出し方", "清掃課の職員が、分別とリサイクルの仕組みをお話しします。", None, "町内会・学校", 60, 10),
)  # fmt: skip
# name, kana, keywords, topics, categories, areas, volunteer
PEOPLE = (
    ("支笏 太郎", "シコツ タロウ", "自然観察 野鳥", "支笏湖の野鳥と自然", ("nature-environment",),
     "支笏湖温泉 北栄", True),
    ("北栄 みどり", "ホクエイ ミドリ", "読み聞かせ 絵本", "絵本の読み聞かせ", ("reading",), "北栄 富丘", True),
    ("長都 健", "オサツ ケン", "防災 応急手当", "家庭の防災と応急手当", ("disaster-prevention",), "長都 向陽台", False),
)  # fmt: skip


def _category(slug):
    return Category.objects.filter(slug=slug).first() if slug else None


def demo_talent(*, coordinator: User, municipality: Municipality, citizen: User, name: str, today: dt.date) -> int:
    """Returns the registrations made. Call inside the demo's transaction."""
    office = Organization.objects.get(municipality=municipality, name="千歳市教育委員会 生涯学習課")
    library = Organization.objects.filter(municipality=municipality, name="千歳市立図書館").first() or office
    seniors = list(Audience.objects.filter(slug="seniors"))
    everyone = dict.fromkeys(TalentProfile.ITEMS, "public") | {"qualifications": "coordinators"}
    citizen_profile = services.profile_register(
        user=citizen, municipality=municipality, agrees_to_rules=True, name=name, name_kana="マナビ ハナコ",
        is_instructor=True, keywords="スマートフォン パソコン", topics="スマホの基本、写真の整理",
        qualifications="ITパスポート", biography="市内の企業で30年、システムの仕事をしてきました。",
        areas="北栄 千代田町",
        weekdays=[1, 3, 5], times=["morning", "afternoon"], fee_policy="free", residency="works",
        contact_email=citizen.email, categories=[_category("ict")], audiences=seniors, visibility=everyone,
    )  # fmt: skip
    citizen_profile = services.profile_decide(actor=coordinator, profile=citizen_profile, approve=True, today=today)
    profiles = [citizen_profile]
    password = make_password(None)
    for n, (person, kana, keywords, topics, categories, areas, volunteer) in enumerate(PEOPLE, start=1):
        user, _created = User.objects.get_or_create(
            email=f"talent{n}.chitose@example.jp", defaults={"display_name": person, "password": password}
        )
        profile = services.profile_register(
            user=user, municipality=municipality, agrees_to_rules=True, name=person, name_kana=kana,
            is_instructor=True, is_volunteer=volunteer, keywords=keywords, topics=topics, areas=areas,
            weekdays=[0, 2, 4, 5], times=["morning", "afternoon"], fee_policy="honorarium", residency="lives",
            contact_email=user.email, categories=[c for c in map(_category, categories) if c], audiences=seniors,
            visibility=everyone,
        )  # fmt: skip
        profiles.append(services.profile_decide(actor=coordinator, profile=profile, approve=True, today=today))
    topics = [
        services.topic_save(
            actor=coordinator,
            provider=office,
            title=title,
            description=description,
            category=_category(slug),
            audience=audience,
            duration_minutes=minutes,
            min_group_size=minimum,
            talent=citizen_profile if slug == "ict" else None,
        )
        for title, description, slug, audience, minutes, minimum in TOPICS
    ]
    leader, _created = User.objects.get_or_create(
        email="chokai.chitose@example.jp", defaults={"display_name": "北栄町内会 会長", "password": password}
    )
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=35), dt.time(10)))
    request = services.request_submit(
        user=leader, topic=topics[1], dates=[(start, start + dt.timedelta(hours=2))], agrees_to_rules=True,
        group_name="北栄町内会", group_kind="neighbourhood", contact_name="北栄町内会 会長",
        contact_email=leader.email, contact_phone="0123-00-0000", place="北栄 町内会館", expected_attendance=18,
        purpose="会員の高齢者がスマホで家族と写真をやりとりできるように",
    )  # fmt: skip
    services.lecturer_invite(
        actor=coordinator, request=request, talent=citizen_profile, message="ご都合はいかがですか。"
    )
    need_start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=14), dt.time(10, 30)))
    services.need_post(
        actor=coordinator, organization=library, kind="event", title="こども読み聞かせ会のお手伝い",
        description="絵本の読み聞かせと会場の準備をお願いします。", place="千歳市立図書館 おはなしのへや",
        area="北栄", starts_at=need_start, ends_at=need_start + dt.timedelta(hours=2), skills="読み聞かせ",
        people_needed=3,
    )  # fmt: skip
    return len(profiles)


def reset_demo_talent(*, emails: list[str], municipality_codes: list[str]) -> int:
    """Remove the demo's talent bank rows: the accounts' registrations and the demo cities' requests."""
    users = User.objects.filter(Q(email__in=emails) | Q(email__endswith=".chitose@example.jp"))
    profiles = TalentProfile.objects.filter(Q(user__in=users))
    requests = LectureRequest.objects.filter(Q(requested_by__in=users) | Q(lecturer__in=profiles))
    LecturerInvitation.objects.filter(Q(request__in=requests) | Q(talent__in=profiles)).delete()
    requests.delete()
    VolunteerAssignment.objects.filter(talent__in=profiles).delete()
    VolunteerNeed.objects.filter(municipality__code__in=municipality_codes, created_by__in=users).delete()
    LectureTopic.objects.filter(municipality__code__in=municipality_codes).filter(
        Q(talent__in=profiles) | Q(provider__name="千歳市教育委員会 生涯学習課")
    ).delete()
    ContactMessage.objects.filter(Q(profile__in=profiles) | Q(sender__in=users)).delete()
    removed = profiles.count()
    profiles.delete()
    User.objects.filter(email__endswith=".chitose@example.jp").delete()
    return removed
