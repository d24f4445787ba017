"""The passport's pages and API: what each role sees, what others are refused, and the documents."""

import base64
import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from manabiya.passport import services
from manabiya.passport.models import Participation, Passport, Stamp

from ..registration.conftest import new_citizen
from .conftest import attend

pytestmark = pytest.mark.django_db


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def awarded(learner, coordinator):
    services.stamp_counter(
        actor=coordinator, passport=learner, reason="移行", title="移行",
        earned_on=timezone.localdate(), credits=Decimal(2),
    )  # fmt: skip
    return learner.awards.get()


def test_a_citizen_joins_and_sees_the_passport_with_its_qr_code(client, programme):
    user = new_citizen(name="小金井 一郎", name_kana="コガネイ イチロウ")
    client.force_login(user)
    home = client.get(reverse("passport:home"))
    assert programme.name in home.content.decode()
    join_url = reverse("passport:join", args=[programme.pk])
    assert 'value="小金井 一郎"' in client.get(join_url).content.decode(), "the name comes from the profile"
    response = client.post(join_url, {"name": "小金井 一郎", "kana": "コガネイ イチロウ"})
    passport = Passport.objects.get(user=user)
    assert response.status_code == 302 and response["Location"] == reverse("passport:detail", args=[passport.number])
    page = client.get(response["Location"]).content.decode()
    assert passport.number in page and "<svg" in page


def test_a_join_without_a_name_says_so_next_to_the_field(client, programme, english):
    client.force_login(new_citizen())
    response = client.post(reverse("passport:join", args=[programme.pk]), {"name": "", "kana": "カナ"})
    assert response.status_code == 200 and "name" in response.context["form"].errors
    assert 'value="カナ"' in response.content.decode(), "what was typed is kept"


def test_another_citizen_cannot_see_or_download_my_passport(client, learner, coordinator):
    award = awarded(learner, coordinator)
    client.force_login(new_citizen())
    for name in ("detail", "card_pdf", "history_pdf", "history_csv", "report"):
        assert client.get(reverse(f"passport:{name}", args=[learner.number])).status_code == 404, name
    for name in ("certificate", "credential"):
        assert client.get(reverse(f"passport:{name}", args=[award.credential_id])).status_code == 404, name


def test_the_card_and_certificate_pdfs_hold_the_japanese_name_as_text(client, learner, coordinator):
    award = awarded(learner, coordinator)
    client.force_login(learner.user)
    card = pdf_text(client.get(reverse("passport:card_pdf", args=[learner.number])))
    assert "小金井 花子" in card and learner.number in card
    certificate = pdf_text(client.get(reverse("passport:certificate", args=[award.credential_id])))
    assert "小金井 花子" in certificate and str(award.credential_id) in certificate


def test_the_history_exports_every_stamp(client, learner, taking_part, provider_member):
    course = taking_part(dates=2)
    attend(learner, course, provider_member, session_index=0)
    attend(learner, course, provider_member, session_index=1)
    client.force_login(learner.user)
    rows = list(
        csv.reader(
            io.StringIO(client.get(reverse("passport:history_csv", args=[learner.number])).content.decode("utf-8-sig"))
        )
    )
    assert len(rows) == 3 and all(row[1] == course.title for row in rows[1:])
    history = pdf_text(client.get(reverse("passport:history_pdf", args=[learner.number])))
    assert history.count(course.title) == 2 and "小金井 花子" in history


def test_a_citizen_reports_learning_with_a_photo_field_kept_on_error(client, learner, english):
    client.force_login(learner.user)
    url = reverse("passport:report", args=[learner.number])
    response = client.post(url, {"title": "博物館見学", "place": "江戸東京博物館", "learned_on": "", "hours": "1.5"})
    assert response.status_code == 200 and "learned_on" in response.context["form"].errors
    assert 'value="江戸東京博物館"' in response.content.decode()
    response = client.post(
        url,
        {
            "title": "博物館見学",
            "place": "江戸東京博物館",
            "learned_on": timezone.localdate().isoformat(),
            "hours": "1.5",
        },
    )
    assert response.status_code == 302 and learner.reports.get().state == "pending"


def test_the_public_verification_page_shows_valid_then_revoked(client, learner, coordinator, english):
    award = awarded(learner, coordinator)
    url = reverse("passport:verify", args=[award.credential_id])
    page = client.get(url).content.decode()
    assert "Valid credential" in page and "小金井 花子" in page
    client.force_login(coordinator)
    client.post(reverse("passport:award_revoke", args=[award.credential_id]), {"reason": "記録の誤りのため"})
    client.logout()
    page = client.get(url).content.decode()
    assert "not valid" in page and "revoked" in page and "記録の誤りのため" in page


def test_a_pasted_credential_is_checked_and_a_tampered_one_fails(client, learner, coordinator, english):
    award = awarded(learner, coordinator)
    url = reverse("passport:verify_presented")
    assert "Valid credential" in client.post(url, {"credential": award.signed_credential}).content.decode()
    header, payload, signature = award.signed_credential.split(".")
    tampered = f"{header}.{payload[:-3]}{'A' if payload[-3] != 'A' else 'B'}{payload[-2:]}.{signature}"
    assert "not valid" in client.post(url, {"credential": tampered}).content.decode()


def test_the_verification_api_checks_by_id_and_as_presented(client, learner, coordinator):
    award = awarded(learner, coordinator)
    by_id = client.get(f"/api/passport/credentials/{award.credential_id}/verification").json()
    assert by_id["valid"] is True and by_id["problems"] == []
    services.award_revoke(actor=coordinator, award=award, reason="重複発行")
    presented = client.post(
        "/api/passport/verify", {"credential": award.signed_credential}, content_type="application/json"
    ).json()
    assert presented["valid"] is False and "revoked" in presented["problems"]
    assert presented["revocation_reason"] == "重複発行"


def test_the_issuer_profile_publishes_the_key_and_the_revocation_list(client, learner, coordinator, koganei):
    award = awarded(learner, coordinator)
    profile = client.get(reverse("passport:issuer", args=[koganei.code])).json()
    assert profile["name"] == "小金井市" and profile["publicKey"][0]["kty"] == "RSA"
    kid = json.loads(base64.urlsafe_b64decode(award.signed_credential.split(".")[0] + "=="))["kid"]
    jwks_url, _, key_id = kid.partition("#")
    assert jwks_url.endswith(reverse("passport:jwks", args=[koganei.code]))
    assert [key["kid"] for key in client.get(reverse("passport:jwks", args=[koganei.code])).json()["keys"]] == [key_id]
    services.award_revoke(actor=coordinator, award=award, reason="誤り")
    listed = client.get(reverse("passport:revocations", args=[koganei.code])).json()
    assert [entry["id"] for entry in listed["revokedCredentials"]] == [f"urn:uuid:{award.credential_id}"]


def test_a_provider_stamps_a_card_at_its_session_and_not_at_anothers(
    client, learner, taking_part, provider_member, other_member
):
    session = taking_part(method="none", capacity=None).sessions.get()
    url = reverse("passport:session_stamps", args=[session.pk])
    client.force_login(other_member)
    assert client.get(url).status_code == 403
    client.force_login(provider_member)
    response = client.post(url, {"code": services.card_payload(learner)})
    assert response.status_code == 302 and Stamp.objects.filter(passport=learner, session=session).count() == 1
    response = client.post(url, {"code": "MBP:forged"})
    assert response.status_code == 200 and response.context["form"].errors["code"]


def test_a_provider_opts_a_course_in_and_the_coordinator_approves(
    client, programme, make_course, provider_member, coordinator
):
    course = make_course(title="新しい講座")
    client.force_login(provider_member)
    client.post(reverse("passport:opportunity_programmes", args=[course.pk]), {"programme": programme.pk})
    participation = Participation.objects.get(opportunity=course)
    assert participation.state == "proposed"
    client.force_login(coordinator)
    page = client.get(reverse("passport:programme", args=[programme.pk]))
    assert page.context["participations"] == [participation]
    client.post(reverse("passport:participation_decide", args=[participation.pk]), {"decision": "approve"})
    participation.refresh_from_db()
    assert participation.state == "approved" and participation.decided_by == coordinator


def test_another_citys_coordinator_and_a_provider_cannot_manage_the_programme(
    client, programme, chitose_coordinator, provider_member, learner
):
    for user in (chitose_coordinator, provider_member):
        client.force_login(user)
        assert client.get(reverse("passport:programme", args=[programme.pk])).status_code == 403
        assert client.get(reverse("passport:staff_passport", args=[learner.number])).status_code == 404


def test_the_counter_finds_a_passport_by_number_and_adds_a_stamp_with_a_reason(
    client, learner, coordinator, taking_part, english
):
    session = taking_part().sessions.get()
    # A counter stamp is for a session held already: move it to this morning.
    session.starts_at = timezone.now() - dt.timedelta(hours=3)
    session.ends_at = session.starts_at + dt.timedelta(hours=2)
    session.save()
    client.force_login(coordinator)
    form = client.get(reverse("passport:staff_passport", args=[learner.number])).context["form"]
    assert [pk for pk, _label in form.fields["session"].choices] == ["", session.pk]
    found = client.get(reverse("passport:programme", args=[learner.programme_id]), {"code": learner.number})
    assert found["Location"] == reverse("passport:staff_passport", args=[learner.number])
    url = found["Location"]
    response = client.post(url, {"reason": "", "session": session.pk})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    response = client.post(url, {"reason": "スマホがないため窓口で", "session": session.pk})
    assert response.status_code == 302
    stamp = learner.stamps.get()
    assert (stamp.source, stamp.recorded_by, stamp.reason) == ("counter", coordinator, "スマホがないため窓口で")
    history = pdf_text(client.get(reverse("passport:staff_history_pdf", args=[learner.number])))
    assert "小金井 花子" in history


def test_the_coordinator_page_shows_the_programmes_figures(client, learner, coordinator, taking_part, provider_member):
    attend(learner, taking_part(), provider_member)
    client.force_login(coordinator)
    figures = client.get(reverse("passport:programme", args=[learner.programme_id])).context["figures"]
    assert (figures.registrants, figures.active_learners, figures.stamps) == (1, 1, 1)


def test_a_coordinator_creates_a_programme_with_levels_and_bad_lines_are_named(client, coordinator, koganei, english):
    client.force_login(coordinator)
    url = reverse("passport:programme_new", args=[koganei.code])
    data = {
        "name": "こがねい学び手帳", "starts_on": "2026-04-01", "ends_on": "2027-03-31", "credit_rule": "per_hour",
        "credits_per_unit": "1", "levels": "初級, 10\n中級, abc\n上級, 60, 3, こがねい博士",
    }  # fmt: skip
    response = client.post(url, data)
    assert response.status_code == 200 and "Line 2" in str(response.context["form"].errors["levels"])
    data["levels"] = "初級, 10\n中級, 30, 2\n上級, 60, 3, こがねい博士"
    response = client.post(url, data)
    programme = koganei.passport_programmes.get()
    assert response["Location"] == reverse("passport:programme", args=[programme.pk])
    assert [(lv.name, lv.credits, lv.min_categories, lv.title) for lv in programme.levels.all()] == [
        ("初級", 10, 0, ""), ("中級", 30, 2, ""), ("上級", 60, 3, "こがねい博士"),
    ]  # fmt: skip


def test_a_coordinator_certifies_a_leader_from_the_page(client, coordinator, koganei):
    client.force_login(coordinator)
    response = client.post(
        reverse("passport:certification_new", args=[koganei.code]),
        {"name": "生涯学習市民リーダー", "training": "市民リーダー養成講座", "criteria": "全10回を修了"},
    )
    leader = new_citizen()
    response = client.post(response["Location"], {"email": leader.email, "name": "学び 次郎"})
    assert response.status_code == 302 and leader.awards.get().certification.name == "生涯学習市民リーダー"


def test_a_pasted_revoked_credential_shows_the_reason(client, learner, coordinator, english):
    award = awarded(learner, coordinator)
    services.award_revoke(actor=coordinator, award=award, reason="重複して発行したため")
    page = client.post(reverse("passport:verify_presented"), {"credential": award.signed_credential})
    assert "not valid" in page.content.decode() and "重複して発行したため" in page.content.decode()


def test_a_reports_photo_is_for_its_sender_and_the_coordinators_only(client, learner, coordinator, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(learner.user)
    photo = SimpleUploadedFile("visit.png", _png(), content_type="image/png")
    client.post(
        reverse("passport:report", args=[learner.number]),
        {"title": "博物館見学", "learned_on": timezone.localdate().isoformat(), "hours": "1", "photo": photo},
    )
    report = learner.reports.get()
    url = reverse("passport:report_photo", args=[report.pk])
    assert client.get(url).status_code == 200
    client.force_login(coordinator)
    page = client.get(reverse("passport:programme", args=[learner.programme_id])).content.decode()
    assert url in page and report.photo.url not in page
    assert b"".join(client.get(url).streaming_content) == _png()
    client.force_login(new_citizen())
    assert client.get(url).status_code == 404


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()
