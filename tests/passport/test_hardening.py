"""Input that used to give a server error, or be taken when it should not, on the passport's pages."""

import datetime as dt
import io

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from manabiya.passport import issuing
from manabiya.passport.models import LearningReport, Stamp

pytestmark = pytest.mark.django_db


@pytest.fixture
def counter_url(client, learner, coordinator):
    client.force_login(coordinator)
    return reverse("passport:staff_passport", args=[learner.number])


@pytest.mark.parametrize("credits", ["1000000000", "1e9", "1000000", "-1", "0.25", "NaN", "Infinity"])
def test_counter_stamp_credits_out_of_range_are_refused_next_to_the_field(client, counter_url, credits):
    """10⁹ credits (more than the column holds), negative or finer than tenths: the form comes back
    with a message on the credits and what was typed."""
    response = client.post(
        counter_url,
        {"reason": "窓口で", "title": "他市の講座", "earned_on": timezone.localdate().isoformat(), "credits": credits},
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "credits" in form.errors
    assert form["credits"].value() == credits
    assert not Stamp.objects.exists()


def test_counter_stamp_credits_within_range_are_taken(client, counter_url):
    response = client.post(
        counter_url,
        {"reason": "窓口で", "title": "他市の講座", "earned_on": timezone.localdate().isoformat(), "credits": "2.5"},
    )
    assert response.status_code == 302
    assert str(Stamp.objects.get().credits) == "2.5"


@pytest.mark.parametrize(
    ("field", "value"),
    [("credits_per_unit", "1000000000"), ("credits_per_unit", "-1"), ("starts_on", "0001-01-01")],
)
def test_programme_form_refuses_numbers_and_dates_out_of_range(client, coordinator, koganei, field, value):
    client.force_login(coordinator)
    data = {
        "name": "境界の手帳", "starts_on": "2026-04-01", "ends_on": "2027-03-31", "credit_rule": "per_hour",
        "credits_per_unit": "1", "levels": "初級, 10", field: value,
    }  # fmt: skip
    response = client.post(reverse("passport:programme_new", args=[koganei.code]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors


@pytest.mark.parametrize(
    "line",
    ["初級, 1000000000", "初級, 1e9", "初級, NaN", "初級, Infinity", "初級, 10, 99999", "初級, 10, 1.5", "初級, -1"],
)
def test_programme_levels_out_of_range_are_named_by_line(client, coordinator, koganei, english, line):
    """A level's credits or categories beyond what the columns hold is refused on its line."""
    client.force_login(coordinator)
    data = {
        "name": "境界の手帳", "starts_on": "2026-04-01", "ends_on": "2027-03-31", "credit_rule": "per_hour",
        "credits_per_unit": "1", "levels": f"入門, 1\n{line}",
    }  # fmt: skip
    response = client.post(reverse("passport:programme_new", args=[koganei.code]), data)
    assert response.status_code == 200
    assert "Line 2" in str(response.context["form"].errors["levels"])


@pytest.mark.parametrize("hours", ["-3", "0", "1000", "-0.5"])
def test_a_learning_report_takes_only_a_positive_number_of_hours(client, learner, hours):
    """−3 hours (or none, or more than the column holds) is refused next to the field."""
    client.force_login(learner.user)
    response = client.post(
        reverse("passport:report", args=[learner.number]),
        {"title": "博物館見学", "learned_on": timezone.localdate().isoformat(), "hours": hours},
    )
    assert response.status_code == 200
    assert "hours" in response.context["form"].errors
    assert not LearningReport.objects.exists()


@pytest.mark.parametrize("learned_on", ["0001-01-01", "9999-12-31"])
def test_a_learning_report_dated_at_the_ends_of_the_calendar_is_refused(client, learner, learned_on):
    client.force_login(learner.user)
    response = client.post(
        reverse("passport:report", args=[learner.number]),
        {"title": "博物館見学", "learned_on": learned_on, "hours": "1"},
    )
    assert response.status_code == 200
    assert "learned_on" in response.context["form"].errors


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="PNG")
    return buffer.getvalue()


def test_a_report_photo_is_stored_under_a_random_name_and_not_served_as_media(client, learner, settings, tmp_path):
    """The citizen's file name is not kept, and /media/ serves nothing: the photo is only reached
    through the page that checks who asks."""
    settings.MEDIA_ROOT = tmp_path
    client.force_login(learner.user)
    client.post(
        reverse("passport:report", args=[learner.number]),
        {
            "title": "博物館見学",
            "learned_on": timezone.localdate().isoformat(),
            "hours": "1",
            "photo": SimpleUploadedFile("山田花子の顔写真.PNG", _png(), content_type="image/png"),
        },
    )
    report = LearningReport.objects.get()
    name = report.photo.name
    assert "山田花子" not in name and name.startswith("passport/reports/") and name.endswith(".png")
    assert len(name.rsplit("/", 1)[-1]) >= 20
    assert client.get("/" + settings.MEDIA_URL + name).status_code == 404
    assert client.get(reverse("passport:report_photo", args=[report.pk])).status_code == 200


def test_development_serves_public_uploads_but_never_a_report_photo():
    """Opportunity images and room photos are served in development; report photos only by their view."""
    from manabiya.urls import development_media

    (pattern,) = development_media()
    assert pattern.resolve("media/opportunities/2026/12/AbC.jpg")
    assert pattern.resolve("media/facilities/rooms/AbC.png")
    assert pattern.resolve("media/passport/reports/2026/12/AbC.jpg") is None
    assert pattern.resolve("media/opportunities/../passport/reports/2026/12/AbC.jpg") is None


def test_a_report_photo_missing_from_disk_is_not_found(client, learner, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.force_login(learner.user)
    client.post(
        reverse("passport:report", args=[learner.number]),
        {"title": "見学", "learned_on": timezone.localdate().isoformat(), "hours": "1",
         "photo": SimpleUploadedFile("a.png", _png(), content_type="image/png")},
    )  # fmt: skip
    report = LearningReport.objects.get()
    (tmp_path / report.photo.name).unlink()
    assert client.get(reverse("passport:report_photo", args=[report.pk])).status_code == 404


def _token_with_kid(kid: str) -> str:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    now = dt.datetime.now(dt.UTC)
    return jwt.encode({"iss": "x", "nbf": now}, pem, algorithm="RS256", headers={"kid": kid})


@pytest.mark.parametrize("kid", ["a\x00b", "\x00", "k" * 5000, "https://evil.example/jwks#\x00"])
def test_a_credential_with_a_hostile_kid_is_an_unknown_key(client, english, kid):
    """A kid the site never issued — with a NUL inside the signed header, or far too long — is
    reported as an unknown key, on the page and by the service."""
    token = _token_with_kid(kid)
    assert issuing.verify(token).problems == ["unknown_key"]
    response = client.post(reverse("passport:verify_presented"), {"credential": token})
    assert response.status_code == 200
