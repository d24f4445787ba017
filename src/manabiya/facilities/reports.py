"""Figures and open data of facility reservation: occupancy (稼働率) and the public-facility list.

Occupancy is held units over bookable units: a unit counts as bookable on a day the facility is
open (not a closed weekday, not a closed day); a staff block counts as neither bookable nor held,
since the room was not on offer. The open-data file follows the column list of the 推奨データセット
「公共施設一覧」 (デジタル庁), written from the published template; check it against the current
version before a city publishes it.
"""

import csv
import datetime as dt
import io
from collections import Counter
from dataclasses import dataclass

from django.urls import reverse

from manabiya.catalog.eventcsv import escape_formula

from .models import Facility, HeldUnit
from .selectors import month_of

OPEN_DATA_COLUMNS = [
    "全国地方公共団体コード", "ID", "地方公共団体名", "名称", "名称_カナ", "名称_英字", "POIコード", "住所", "方書",
    "緯度", "経度", "電話番号", "内線番号", "法人番号", "団体名", "利用可能曜日", "開始時間", "終了時間",
    "利用可能日時特記事項", "説明", "バリアフリー情報", "URL", "備考",
]  # fmt: skip
WEEKDAYS = "月火水木金土日"


@dataclass(frozen=True)
class Occupancy:
    label: str
    bookable: int
    held: int

    @property
    def rate(self) -> float:
        return self.held / self.bookable if self.bookable else 0.0


@dataclass(frozen=True)
class MonthOccupancy:
    facility: Facility
    month: dt.date
    total: Occupancy
    by_room: list[Occupancy]
    by_unit: list[Occupancy]


def occupancy(*, facility: Facility, month: dt.date) -> MonthOccupancy:
    """The month's occupancy of the facility, by room and by unit, in three queries."""
    days = month_of(month)
    closed = set(facility.closed_days.filter(date__gte=days[0], date__lte=days[-1]).values_list("date", flat=True))
    open_days = [d for d in days if d not in closed and d.isoweekday() not in facility.closed_weekdays]
    rooms = list(facility.rooms.all())
    units = len(facility.units())
    booked, blocked = Counter(), Counter()
    rows = HeldUnit.objects.filter(room__in=rooms, date__in=open_days).values_list("room_id", "unit", "block_id")
    for room_id, unit, block_id in rows:
        (blocked if block_id is not None else booked)[(room_id, unit)] += 1
    per_cell = len(open_days)

    def figure(label: str, cells: list[tuple[int, int]]) -> Occupancy:
        return Occupancy(
            label=label,
            bookable=sum(per_cell - blocked[cell] for cell in cells),
            held=sum(booked[cell] for cell in cells),
        )

    cells = [(room.pk, unit) for room in rooms for unit in range(units)]
    return MonthOccupancy(
        facility=facility,
        month=days[0],
        total=figure(facility.name, cells),
        by_room=[figure(room.name, [(room.pk, u) for u in range(units)]) for room in rooms],
        by_unit=[figure(facility.unit_label(u), [(room.pk, u) for room in rooms]) for u in range(units)],
    )


def open_data_csv(facilities, *, site_url: str) -> str:
    """The facilities as a 公共施設一覧 CSV (UTF-8 with BOM, as the template asks for Excel)."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(OPEN_DATA_COLUMNS)
    for facility in facilities:
        venue = facility.venue
        open_weekdays = "".join(WEEKDAYS[i - 1] for i in range(1, 8) if i not in facility.closed_weekdays)
        barrier_free = "、".join(sorted({f.name for room in facility.rooms.all() for f in room.barrier_free.all()}))
        row = {
            "全国地方公共団体コード": facility.municipality.code,
            "ID": f"{facility.municipality.code}-F{facility.pk:05d}",
            "地方公共団体名": f"{facility.municipality.prefecture}{facility.municipality.name}",
            "名称": venue.name,
            "名称_カナ": venue.name_kana,
            "住所": venue.address,
            "方書": venue.address_detail,
            "緯度": venue.latitude if venue.latitude is not None else "",
            "経度": venue.longitude if venue.longitude is not None else "",
            "団体名": facility.operator.name if facility.operator_id else "",
            "利用可能曜日": open_weekdays,
            "開始時間": f"{facility.opens_at:%H:%M}",
            "終了時間": f"{facility.closes_at:%H:%M}",
            "利用可能日時特記事項": "、".join(f"{d.date:%Y-%m-%d}休館" for d in facility.closed_days.all()),
            "説明": facility.description,
            "バリアフリー情報": barrier_free,
            "URL": site_url.rstrip("/") + reverse("facilities:detail", args=[facility.pk]),
        }
        writer.writerow([_cell(row.get(column, "")) for column in OPEN_DATA_COLUMNS])
    return out.getvalue()


def _cell(value) -> str:
    return escape_formula(value) if isinstance(value, str) else str(value)
