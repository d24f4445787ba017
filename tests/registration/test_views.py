import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from manabiya.registration.models import Application, Attendance
from manabiya.registration.services import checkin_payload

from .conftest import apply, new_citizen

pytestmark = pytest.mark.django_db


def form_data(client, url, **fields):
    """The form as the page renders it (its one-time token included), with `fields` filled in."""
    page = client.get(url)
    assert page.status_code == 200
    return {"request_key": page.context["form"].initial["request_key"], "residency": "lives", **fields}


def test_citizen_applies_sees_it_on_mypage_and_cancels(client, course):
    citizen = new_citizen()
    client.force_login(citizen)
    url = reverse("registration:apply", args=[course.pk])
    data = form_data(client, url, name="小金井 太郎", name_kana="コガネイ タロウ", phone="042-000-1111")
    response = client.post(url, data)
    application = Application.objects.get(user=citizen)
    assert response.status_code == 302 and response["Location"] == reverse(
        "registration:application_detail", args=[application.pk]
    )
    detail = client.get(response["Location"])
    assert "<svg" in detail.content.decode() and application.checkin_code in detail.content.decode()
    mypage = client.get(reverse("registration:mypage"))
    assert course.title in mypage.content.decode()
    assert mypage.context["page"].upcoming == [application]
    client.post(reverse("registration:application_cancel", args=[application.pk]))
    application.refresh_from_db()
    assert application.status == "cancelled"
    assert client.get(reverse("registration:mypage")).context["page"].past == [application]


def test_double_post_of_the_form_makes_one_application(client, course):
    client.force_login(new_citizen())
    url = reverse("registration:apply", args=[course.pk])
    data = form_data(client, url, name="二重 送信", name_kana="ニジュウ", phone="1")
    client.post(url, data)
    client.post(url, data)
    assert Application.objects.filter(opportunity=course).count() == 1


def test_bad_input_keeps_what_was_typed_and_says_why_next_to_the_field(client, make_course, english):
    course = make_course(rules={"residents_only": True})
    client.force_login(new_citizen())
    url = reverse("registration:apply", args=[course.pk])
    data = form_data(client, url, name="越境 次郎", name_kana="越境", phone="1", residency="none")
    response = client.post(url, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert "katakana" in str(form.errors["name_kana"])
    data["name_kana"] = "えっきょう じろう"  # hiragana, as a phone types it, is taken as katakana
    response = client.post(url, data)
    assert "live, work or study" in str(response.context["form"].errors["residency"])
    assert 'value="越境 次郎"' in response.content.decode()
    assert response.context["form"].cleaned_data["name_kana"] == "エッキョウ ジロウ"
    assert not Application.objects.exists()


def test_a_citizen_cannot_see_or_cancel_anothers_application(client, course):
    application = apply(new_citizen(), course)
    client.force_login(new_citizen())
    assert client.get(reverse("registration:application_detail", args=[application.pk])).status_code == 404
    assert client.post(reverse("registration:application_cancel", args=[application.pk])).status_code == 404
    application.refresh_from_db()
    assert application.status == "confirmed"


def test_anonymous_visitors_are_sent_to_log_in(client, course):
    response = client.get(reverse("registration:apply", args=[course.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_opportunity_page_shows_availability_and_the_apply_button(client, make_course, english):
    course = make_course(capacity=2)
    apply(new_citizen(), course)
    page = client.get(reverse("catalog:opportunity_detail", args=[course.pk])).content.decode()
    assert "Few places left" in page and reverse("registration:apply", args=[course.pk]) in page
    apply(new_citizen(), course)
    page = client.get(reverse("catalog:opportunity_detail", args=[course.pk])).content.decode()
    assert "Full — waiting list open" in page and "Join the waiting list" in page


def test_availability_api(client, make_course):
    course = make_course(capacity=2)
    for _ in range(3):
        apply(new_citizen(), course)
    body = client.get(f"/api/opportunities/{course.pk}/availability").json()
    assert (body["seats_left"], body["waiting"], body["state"]) == (0, 1, "full")


def test_provider_sees_only_its_own_rosters(client, course, provider_member, other_member):
    apply(new_citizen(), course)
    client.force_login(other_member)
    for name in ("roster", "roster_csv", "roster_xlsx", "apply_for", "lottery"):
        assert client.get(reverse(f"registration:{name}", args=[course.pk])).status_code == 403, name
    session = course.sessions.get()
    assert client.get(reverse("registration:checkin", args=[session.pk])).status_code == 403
    client.force_login(provider_member)
    assert client.get(reverse("registration:roster", args=[course.pk])).status_code == 200


def test_roster_exports_name_every_participant(client, make_course, provider_member):
    course = make_course(rules={"max_party_size": 2})
    apply(new_citizen(name="親 一郎"), course, party=2)
    client.force_login(provider_member)
    csv_text = client.get(reverse("registration:roster_csv", args=[course.pk])).content.decode("utf-8-sig")
    assert csv_text.count("親 一郎") == 4  # two rows, each with the applicant and a participant named after them
    xlsx = client.get(reverse("registration:roster_xlsx", args=[course.pk]))
    assert xlsx.content[:2] == b"PK"


def test_roster_exports_run_no_formula_a_citizen_typed(client, make_course, provider_member):
    course = make_course()
    apply(new_citizen(name='=HYPERLINK("http://evil.example","x")'), course)
    client.force_login(provider_member)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("registration:roster_csv", args=[course.pk])).content.decode("utf-8-sig"))
        )
    )
    assert rows[1][4] == '\'=HYPERLINK("http://evil.example","x")'
    sheet = load_workbook(io.BytesIO(client.get(reverse("registration:roster_xlsx", args=[course.pk])).content)).active
    assert sheet.cell(row=2, column=5).data_type == "s" and sheet.cell(row=2, column=5).value.startswith("'=")


def test_checkin_by_scanned_code_then_twice_counts_once(client, course, provider_member):
    application = apply(new_citizen(), course)
    session = course.sessions.get()
    client.force_login(provider_member)
    url = reverse("registration:checkin", args=[session.pk])
    for _ in range(2):
        client.post(url, {"action": "code", "code": checkin_payload(application)})
    assert Attendance.objects.filter(session=session).count() == 1
    page = client.get(url)
    assert page.context["present"] == 1


def test_forged_code_is_refused_next_to_the_field(client, course, provider_member, english):
    application = apply(new_citizen(), course)
    session = course.sessions.get()
    client.force_login(provider_member)
    forged = checkin_payload(application).replace(f"A{application.pk}:", f"A{application.pk + 1}:")
    response = client.post(reverse("registration:checkin", args=[session.pk]), {"action": "code", "code": forged})
    assert "not a valid" in str(response.context["code_form"].errors["code"])
    assert not Attendance.objects.exists()


def test_provider_sets_party_size_and_questions_and_the_form_follows(client, course, provider_member):
    client.force_login(provider_member)
    url = reverse("registration:rules", args=[course.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "max_party_size": 2,
            "cancel_until_hours": 24,
            "confirm_within_hours": 72,
            "questions_text": "経験は？\n\n目的は？",
        },
    )
    assert response.status_code == 302
    client.force_login(new_citizen())
    form = client.get(reverse("registration:apply", args=[course.pk])).context["form"]
    assert "companion_1_name" in form.fields and [form.fields["answer_0"].label, form.fields["answer_1"].label] == [
        "経験は？",
        "目的は？",
    ]


def test_provider_applies_for_a_caller_at_the_counter(client, course, provider_member):
    client.force_login(provider_member)
    url = reverse("registration:apply_for", args=[course.pk])
    data = form_data(client, url, name="電話 花子", name_kana="デンワ ハナコ", phone="042-333-4444", first_time="on")
    assert client.post(url, data).status_code == 302
    application = Application.objects.get(opportunity=course)
    assert application.user is None and application.entered_by == provider_member and application.first_time


def test_staff_check_in_by_ticking_the_roster_and_undo(client, course, provider_member):
    application = apply(new_citizen(), course)
    session = course.sessions.get()
    client.force_login(provider_member)
    url = reverse("registration:checkin", args=[session.pk])
    client.post(url, {"action": "tick", "application": application.pk})
    assert Attendance.objects.get().method == Attendance.Method.ROSTER
    client.post(url, {"action": "untick", "application": application.pk})
    assert not Attendance.objects.exists()


def test_message_reaches_everyone_with_a_place(
    client, make_course, provider_member, django_capture_on_commit_callbacks
):
    from django.core import mail

    course = make_course(capacity=2)
    holders = [apply(new_citizen(), course) for _ in range(2)]
    apply(new_citizen(), course)  # waiting: not told
    client.force_login(provider_member)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registration:message_all", args=[course.pk]), {"subject": "持ち物", "body": "筆記用具"})
    assert sorted(m.to[0] for m in mail.outbox) == sorted(h.email for h in holders)


def test_catalogue_cards_show_few_left_and_full_in_a_fixed_number_of_queries(
    client, make_course, english, django_assert_max_num_queries
):
    """The availability of a list page costs two queries, however many courses it shows."""
    few = make_course(capacity=5, title="残りわずかの講座")
    full = make_course(capacity=1, title="満員の講座")
    for _ in range(4):
        apply(new_citizen(), few)
    apply(new_citizen(), full)
    page = client.get(reverse("catalog:opportunity_list")).content.decode()
    assert page.count("badge-few_left") == 1 and page.count("badge-full") == 1
    client.get(reverse("catalog:opportunity_list"))
    with django_assert_max_num_queries(40) as two_courses:
        client.get(reverse("catalog:opportunity_list"))
    for i in range(6):
        make_course(capacity=3, title=f"追加の講座{i}")
    with django_assert_max_num_queries(len(two_courses.captured_queries)):
        client.get(reverse("catalog:opportunity_list"))


def test_citizen_keeps_their_details_and_the_form_is_filled_from_them(client, course):
    citizen = new_citizen()
    client.force_login(citizen)
    response = client.post(
        reverse("registration:profile"),
        {"name": "学び 次郎", "name_kana": "ﾏﾅﾋﾞ ｼﾞﾛｳ", "phone": "042-9", "residency": "studies"},
    )
    assert response.status_code == 302
    citizen.citizen_profile.refresh_from_db()
    assert citizen.citizen_profile.name_kana == "マナビ ジロウ"  # half-width kana folded
    form = client.get(reverse("registration:apply", args=[course.pk])).context["form"]
    assert (form.initial["name"], form.initial["residency"]) == ("学び 次郎", "studies")
