"""The passport in the admin (read-only, the coordinator's city only) and in the demo."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from manabiya.core.models import User
from manabiya.passport.demo import PROGRAMME_NAME
from manabiya.passport.models import Passport, Programme

pytestmark = pytest.mark.django_db


def test_the_coordinator_reads_passports_and_changes_nothing(client, learner, coordinator, chitose_coordinator):
    client.force_login(coordinator)
    assert learner.number in client.get(reverse("admin:passport_passport_changelist")).content.decode()
    change_url = reverse("admin:passport_passport_change", args=[learner.pk])
    client.post(change_url, {"holder_name": "書き換え"})
    learner.refresh_from_db()
    assert learner.holder_name == "小金井 花子"
    client.force_login(chitose_coordinator)
    assert learner.number not in client.get(reverse("admin:passport_passport_changelist")).content.decode()
    assert client.get(change_url).status_code == 403


def test_the_demo_citizen_holds_a_chitose_passport_with_a_stamp_and_reset_makes_it_again(settings):
    settings.DEBUG = True
    call_command("load_demo", stdout=io.StringIO())
    citizen = User.objects.get(email="citizen@example.jp")
    passport = Passport.objects.get(user=citizen, programme__name=PROGRAMME_NAME)
    assert passport.stamps.count() == 1 and passport.programme.participations.filter(state="approved").exists()
    call_command("load_demo", "--reset", stdout=io.StringIO())
    assert Programme.objects.filter(name=PROGRAMME_NAME).count() == 1
    assert Passport.objects.filter(user__email="citizen@example.jp").count() == 1
