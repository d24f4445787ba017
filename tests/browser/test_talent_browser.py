"""A delivery lecture arranged in a real browser, on phones: a 町内会's leader requests a topic of the
menu, the coordinator asks the best-ranked lecturer, the lecturer accepts, and the coordinator sends
the decision. Each page fits the phone and passes axe.

Assertions are on structure (addresses, names, the database), so they hold in Japanese.
"""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from manabiya.talent import services
from manabiya.talent.models import LectureRequest, LecturerInvitation

# Fixtures, imported to be available here.
from ..conftest import future
from ..talent.conftest import board, group_leader, lecturer, make_profile, topic  # noqa: F401
from .test_catalog_browser import assert_fits_phone
from .test_registration_browser import assert_no_violations
from .test_staff_browser import log_in

pytestmark = pytest.mark.browser


def checked(axe, page) -> None:
    assert_fits_phone(page)
    assert_no_violations(axe, page)


def test_a_group_requests_a_lecture_a_coordinator_asks_and_the_lecturer_accepts(
    axe,
    open_phone,
    live_server,
    reference_data,
    coordinator,
    lecturer,  # noqa: F811
    topic,  # noqa: F811
    group_leader,  # noqa: F811
    venue,
):
    day = timezone.localdate() + dt.timedelta(days=30)

    # The group's leader finds the topic on the menu and requests it.
    leader = open_phone()
    log_in(leader, live_server, group_leader)
    leader.goto(live_server.url + reverse("talent:menu"))
    checked(axe, leader)
    leader.locator(f"a[href='{reverse('talent:topic_detail', args=[topic.pk])}']").first.click()
    leader.wait_for_url("**" + reverse("talent:topic_detail", args=[topic.pk]))
    checked(axe, leader)
    leader.locator(f"a[href='{reverse('talent:request_new', args=[topic.pk])}']").first.click()
    leader.wait_for_url("**" + reverse("talent:request_new", args=[topic.pk]))
    checked(axe, leader)
    leader.locator("#id_group_name").fill("本町三丁目町会")
    leader.locator("#id_group_kind").select_option("neighbourhood")
    leader.locator("#id_contact_name").fill("町会 長")
    leader.locator("#id_contact_phone").fill("042-111-2222")
    leader.locator("#id_place").fill("本町 町会会館")
    leader.locator("#id_expected_attendance").fill("18")
    leader.locator("#id_purpose").fill("会員がスマホで写真を送れるように")
    leader.locator("#id_date_1").fill(day.isoformat())
    leader.locator("#id_start_1").fill("10:00")
    leader.locator("#id_end_1").fill("12:00")
    leader.locator("#id_agrees_to_rules").check()
    leader.locator("main form button[type=submit]").click()
    leader.wait_for_url("**" + reverse("talent:my_requests"))
    request = LectureRequest.objects.get()
    assert (request.group_name, request.expected_attendance, request.state) == ("本町三丁目町会", 18, "submitted")
    assert timezone.localtime(request.dates.get().starts_at).date() == day
    expect(leader.locator("main")).to_contain_text("本町三丁目町会")
    checked(axe, leader)

    # The coordinator sees it in the queue and asks the best-ranked lecturer.
    office = open_phone()
    log_in(office, live_server, coordinator)
    office.goto(live_server.url + reverse("talent:staff_index"))
    checked(axe, office)
    office.locator(f"a[href='{reverse('talent:request_detail', args=[request.pk])}']").first.click()
    office.wait_for_url("**" + reverse("talent:request_detail", args=[request.pk]))
    checked(axe, office)
    office.locator(f"button[name='ask-talent'][value='{lecturer.pk}']").click()
    office.wait_for_url("**" + reverse("talent:request_detail", args=[request.pk]) + "*")
    invitation = LecturerInvitation.objects.get()
    assert (invitation.talent, invitation.state) == (lecturer, "asked")

    # The lecturer answers yes from their invitations.
    teacher = open_phone()
    log_in(teacher, live_server, lecturer.user)
    teacher.goto(live_server.url + reverse("talent:my_invitations"))
    expect(teacher.locator("main")).to_contain_text(topic.title)
    expect(teacher.locator("main")).not_to_contain_text("042-111-2222")  # the group's phone stays with the city
    checked(axe, teacher)
    teacher.locator("button[name='answer'][value='accept']").click()
    teacher.wait_for_url("**" + reverse("talent:my_invitations"))
    invitation.refresh_from_db()
    request.refresh_from_db()
    assert (invitation.state, request.state, request.lecturer) == ("accepted", "accepted", lecturer)

    # The coordinator decides: on the group's date, listed in the catalogue at a venue.
    office.goto(live_server.url + reverse("talent:request_detail", args=[request.pk]))
    checked(axe, office)
    office.locator("input[name='decide-date_rank'][value='1']").check()
    office.locator("#id_decide-listed_publicly").check()
    office.locator("#id_decide-venue").select_option(str(venue.pk))
    office.locator("#decide button[type=submit], form[action='#decide'] button[type=submit]").first.click()
    office.wait_for_url("**" + reverse("talent:request_detail", args=[request.pk]) + "*")
    request.refresh_from_db()
    assert request.state == "decided" and request.opportunity.status == "published"
    checked(axe, office)


PAGES = [
    "directory", "profile", "register", "my_profile", "my_activities", "needs", "need", "staff", "review",
    "figures", "topic", "needs_staff", "need_manage",
]  # fmt: skip


@pytest.mark.parametrize("where", PAGES)
def test_talent_pages_fit_a_phone_and_pass_axe(
    axe,
    open_phone,
    live_server,
    reference_data,
    koganei,
    coordinator,
    kominkan,
    provider_member,
    citizen,
    lecturer,  # noqa: F811
    topic,  # noqa: F811
    where,
):
    volunteer = make_profile(koganei, approve_by=coordinator, is_volunteer=True, name="読み聞かせ 好子")
    pending = make_profile(koganei, name="申請中 太郎")
    start = future(10, hour=9)
    need = services.need_post(
        actor=provider_member, organization=kominkan, kind="school", title="読み聞かせボランティア",
        description="朝の読み聞かせ", place="本町小学校", starts_at=start, ends_at=start + dt.timedelta(hours=2),
        people_needed=2,
    )  # fmt: skip
    services.volunteer_apply(actor=volunteer.user, need=need, talent=volunteer)
    user, path = {
        "directory": (None, reverse("talent:directory") + "?q=スマホ"),
        "profile": (None, reverse("talent:profile_detail", args=[lecturer.pk])),
        "register": (citizen, reverse("talent:register", args=[koganei.code])),
        "my_profile": (lecturer.user, reverse("talent:my_profile")),
        "my_activities": (volunteer.user, reverse("talent:my_activities")),
        "needs": (None, reverse("talent:needs")),
        "need": (volunteer.user, reverse("talent:need_detail", args=[need.pk])),
        "staff": (coordinator, reverse("talent:staff_index")),
        "review": (coordinator, reverse("talent:profile_review", args=[pending.pk])),
        "figures": (coordinator, reverse("talent:figures")),
        "topic": (coordinator, reverse("talent:topic_edit", args=[topic.pk])),
        "needs_staff": (provider_member, reverse("talent:staff_needs")),
        "need_manage": (coordinator, reverse("talent:need_manage", args=[need.pk])),
    }[where]
    page = open_phone()
    if user is not None:
        log_in(page, live_server, user)
    page.goto(live_server.url + path)
    expect(page.locator("h1")).to_be_visible()
    checked(axe, page)
