"""Occupancy (稼働率) counts booked units over bookable ones; the open-data file lists facilities."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from manabiya.facilities import reports, services
from manabiya.facilities.models import Room

from .conftest import book

pytestmark = pytest.mark.django_db

MONTH = dt.date(2027, 2, 1)  # 28 days, 4 Mondays: 24 open days


def test_occupancy_counts_booked_over_bookable_units_by_room_and_unit(group, room, hall, provider_member):
    other = Room.objects.create(facility=hall, name="和室", capacity=10)
    hall.closed_days.create(date=dt.date(2027, 2, 11), reason="祝日点検")  # a Thursday: 23 open days
    today = dt.date(2027, 1, 20)
    for day in (dt.date(2027, 2, 2), dt.date(2027, 2, 3)):
        book(group, room, day, first=2, last=2, today=today)
    services.block_create(
        actor=provider_member, room=other, date=dt.date(2027, 2, 4), first_unit=0, last_unit=2, reason="工事"
    )
    figures = reports.occupancy(facility=hall, month=MONTH)
    assert (figures.total.held, figures.total.bookable) == (2, 23 * 3 * 2 - 3)
    assert [(r.label, r.held, r.bookable) for r in figures.by_room] == [(room.name, 2, 69), ("和室", 0, 66)]
    assert [(u.held, u.bookable) for u in figures.by_unit] == [(0, 45), (0, 45), (2, 45)]
    assert figures.by_unit[2].rate == pytest.approx(2 / 45)


def test_the_occupancy_page_is_for_staff(client, group, hall, provider_member):
    url = reverse("facilities:occupancy", args=[hall.pk])
    client.force_login(group.user)
    assert client.get(url).status_code == 403
    client.force_login(provider_member)
    assert client.get(url, {"month": "2027-02"}).context["figures"].month == MONTH


def test_the_open_data_file_has_the_public_facility_list_columns(client, hall, room, koganei):
    text = client.get(reverse("facilities:open_data"), {"municipality": koganei.code}).content.decode("utf-8-sig")
    header, row = list(csv.reader(io.StringIO(text)))
    assert header == reports.OPEN_DATA_COLUMNS
    record = dict(zip(header, row, strict=True))
    assert record["全国地方公共団体コード"] == "132101" and record["名称"] == hall.venue.name
    assert record["利用可能曜日"] == "火水木金土日" and record["開始時間"] == "09:00"
    assert record["URL"].endswith(reverse("facilities:detail", args=[hall.pk]))
