"""Public facilities and their rooms, who may book them, and what is booked.

A booking holds its room unit by unit: one `HeldUnit` row per booking unit (午前, 午後, 夜間 or one
hour), unique per room, date and unit. A staff block holds units the same way. So no two bookings,
and no booking and a block, can ever hold the same room at overlapping times, on SQLite and
PostgreSQL alike, whatever the concurrency: the database refuses the second row. Cancelling
deletes the rows, which frees the units at once.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manabiya.catalog.models import AccessibilityFeature, Venue
from manabiya.core import bounds
from manabiya.core.japan import RENEWAL_WINDOW_DAYS
from manabiya.core.models import Municipality, Organization, TimeStampedModel
from manabiya.core.uploads import RandomName


class UnitScheme(models.TextChoices):
    BLOCKS = "blocks", _("Morning, afternoon and evening blocks (午前・午後・夜間)")
    HOURLY = "hourly", _("Hourly")


# The classic blocks of Japanese public facilities: (start, end) local time.
BLOCKS = ((dt.time(9), dt.time(12)), (dt.time(13), dt.time(17)), (dt.time(18), dt.time(21, 30)))
BLOCK_NAMES = (_("Morning (午前)"), _("Afternoon (午後)"), _("Evening (夜間)"))


class Facility(TimeStampedModel):
    """A building whose rooms the public books: a community hall, a local learning hall, a gym."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="facilities")
    venue = models.OneToOneField(
        Venue, on_delete=models.PROTECT, related_name="facility", help_text=_("The building's name and address.")
    )
    # The city's office, or the organization it delegates running the building to (指定管理者).
    operator = models.ForeignKey(
        Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="facilities"
    )
    description = models.TextField(_("description"), blank=True)
    unit_scheme = models.CharField(_("booking units"), max_length=10, choices=UnitScheme.choices)
    opens_at = models.TimeField(_("opens"), default=dt.time(9))
    closes_at = models.TimeField(_("closes"), default=dt.time(21))
    closed_weekdays = models.JSONField(
        _("closed weekdays"), default=list, blank=True, help_text=_("ISO weekdays, 1 = Monday.")
    )
    # Booking rules.
    group_days_ahead = bounds.PositiveSmallIntegerField(_("registered groups book up to (days ahead)"), default=60)
    resident_days_ahead = bounds.PositiveSmallIntegerField(_("residents book up to (days ahead)"), default=60)
    others_days_ahead = bounds.PositiveSmallIntegerField(_("others book up to (days ahead)"), default=30)
    min_notice_days = bounds.PositiveSmallIntegerField(_("minimum notice (days)"), default=1)
    cancel_days_before = bounds.PositiveSmallIntegerField(_("cancel up to (days before)"), default=3)
    monthly_cap = bounds.PositiveSmallIntegerField(
        _("bookings per user per month"), null=True, blank=True, help_text=_("Empty: no limit.")
    )

    class Meta:
        ordering = ["municipality", "venue__name"]
        verbose_name = _("facility")
        verbose_name_plural = _("facilities")
        constraints = [models.CheckConstraint(condition=Q(closes_at__gt=models.F("opens_at")), name="facility_hours")]

    def __str__(self) -> str:
        return self.venue.name

    @property
    def name(self) -> str:
        return self.venue.name

    def units(self) -> list[tuple[dt.time, dt.time]]:
        """The booking units of a day, in order: their index is what bookings hold."""
        if self.unit_scheme == UnitScheme.BLOCKS:
            return [block for block in BLOCKS if block[0] >= self.opens_at and block[1] <= self.closes_at] or list(
                BLOCKS
            )
        hours = []
        start = dt.datetime.combine(dt.date.min, self.opens_at)
        end = dt.datetime.combine(dt.date.min, self.closes_at)
        while start + dt.timedelta(hours=1) <= end:
            hours.append((start.time(), (start + dt.timedelta(hours=1)).time()))
            start += dt.timedelta(hours=1)
        return hours

    def unit_label(self, index: int) -> str:
        start, end = self.units()[index]
        if self.unit_scheme == UnitScheme.BLOCKS:
            return str(BLOCK_NAMES[BLOCKS.index((start, end))])
        return f"{start:%H:%M}–{end:%H:%M}"


class ClosedDay(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="closed_days")
    date = models.DateField(_("date"))
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["facility", "date"], name="closed_day_once")]

    def __str__(self) -> str:
        return f"{self.date} {self.reason}"


class Rate(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    NON_RESIDENT = "non_resident", _("Non-resident")
    GROUP = "group", _("Registered group")
    COMMERCIAL = "commercial", _("Commercial use")


class Room(models.Model):
    facility = models.ForeignKey(Facility, on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(_("name"), max_length=100)
    capacity = bounds.PositiveSmallIntegerField(_("capacity (people)"))
    equipment = models.CharField(_("equipment"), max_length=300, blank=True)
    barrier_free = models.ManyToManyField(
        AccessibilityFeature,
        blank=True,
        related_name="+",
        limit_choices_to={"scope": AccessibilityFeature.Scope.VENUE},
        verbose_name=_("barrier-free features"),
    )
    photo = models.ImageField(_("photo"), upload_to=RandomName("facilities/rooms/"), blank=True)
    needs_approval = models.BooleanField(_("bookings need staff approval (仮予約 → 本予約)"), default=False)
    fee_resident = bounds.PositiveIntegerField(_("fee per unit, residents (yen)"), default=0)
    fee_non_resident = bounds.PositiveIntegerField(_("fee per unit, non-residents (yen)"), default=0)
    fee_group = bounds.PositiveIntegerField(_("fee per unit, registered groups (yen)"), default=0)
    fee_commercial = bounds.PositiveIntegerField(_("fee per unit, commercial use (yen)"), default=0)
    order = bounds.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["facility", "order", "id"]
        verbose_name = _("room")
        verbose_name_plural = _("rooms")

    def __str__(self) -> str:
        return f"{self.facility} {self.name}"

    def fee_per_unit(self, rate: str) -> int:
        return getattr(self, f"fee_{rate}")

    def fee_for(self, rate: str, first_unit: int, last_unit: int) -> int:
        return self.fee_per_unit(rate) * (last_unit - first_unit + 1)


class Booker(TimeStampedModel):
    """A registration to book a municipality's facilities (利用者登録): a person, or a group through
    its representative. Staff approve it; it lasts to the end of the fiscal year."""

    class Kind(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        GROUP = "group", _("Group (団体)")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="bookers")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bookers")
    kind = models.CharField(_("registering as"), max_length=10, choices=Kind.choices)
    name = models.CharField(_("name (group name for a group)"), max_length=200)
    name_kana = models.CharField(_("furigana"), max_length=300, blank=True)
    representative = models.CharField(_("representative"), max_length=100)
    phone = models.CharField(_("phone"), max_length=30)
    email = models.EmailField(_("email"))
    members = bounds.PositiveSmallIntegerField(_("members"), default=1)
    members_in_city = bounds.PositiveSmallIntegerField(_("members who live, work or study in the city"), default=1)
    resident = models.BooleanField(_("lives, works or studies in the city"), default=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    renewal_reminded_on = models.DateField(null=True, blank=True, editable=False)
    renews = models.ForeignKey(
        "self", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="renewals"
    )

    # What the registrant tells about themselves: the form asks for it, and a renewal carries it over.
    DETAILS = (
        "kind",
        "name",
        "name_kana",
        "representative",
        "phone",
        "email",
        "members",
        "members_in_city",
        "resident",
    )

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("facility user registration")
        verbose_name_plural = _("facility user registrations")
        constraints = [
            models.CheckConstraint(condition=Q(members_in_city__lte=models.F("members")), name="booker_members"),
        ]

    def __str__(self) -> str:
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return self.state == self.State.APPROVED and self.valid_until is not None and day <= self.valid_until

    @property
    def renewable(self) -> bool:
        return self.renewable_on(timezone.localdate())

    def renewable_on(self, day: dt.date) -> bool:
        """Approved and ending within two months: the time to ask for the next fiscal year."""
        return (
            self.state == self.State.APPROVED
            and self.valid_until is not None
            and (self.valid_until - day) <= dt.timedelta(days=RENEWAL_WINDOW_DAYS)
        )

    def days_ahead(self, facility: "Facility") -> int:
        """How far ahead this registration may book at `facility`."""
        if self.kind == self.Kind.GROUP:
            return facility.group_days_ahead
        return facility.resident_days_ahead if self.resident else facility.others_days_ahead

    @property
    def rate(self) -> str:
        return self.rate_of(kind=self.kind, resident=self.resident)

    @classmethod
    def rate_of(cls, *, kind: str, resident: bool) -> str:
        if kind == cls.Kind.GROUP:
            return Rate.GROUP
        return Rate.RESIDENT if resident else Rate.NON_RESIDENT


class Booking(TimeStampedModel):
    class State(models.TextChoices):
        WON = "won", _("Won in the lottery: confirm by the deadline")
        PROVISIONAL = "provisional", _("Provisional, waiting for staff (仮予約)")
        CONFIRMED = "confirmed", _("Confirmed (本予約)")
        CANCELLED = "cancelled", pgettext_lazy("a booking", "Cancelled")

    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="bookings")
    booker = models.ForeignKey(Booker, on_delete=models.PROTECT, related_name="bookings")
    date = models.DateField(_("date"))
    first_unit = bounds.PositiveSmallIntegerField(_("from unit"))
    last_unit = bounds.PositiveSmallIntegerField(_("to unit"))
    state = models.CharField(_("state"), max_length=12, choices=State.choices)
    rate = models.CharField(_("rate"), max_length=15, choices=Rate.choices)
    fee = bounds.PositiveIntegerField(_("room fee (yen)"))
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = bounds.PositiveSmallIntegerField(_("expected attendees"))
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at_counter = models.BooleanField(_("booked at the counter"), default=False)
    confirm_by = models.DateField(_("confirm by"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # The link lives here, not on the wish, so that a draw writes only unindexed columns of its
    # tens of thousands of wishes: PostgreSQL then updates them in place (HOT), 0.14 s against 1.2 s.
    wish = models.OneToOneField(
        "Wish", null=True, blank=True, editable=False, on_delete=models.SET_NULL, related_name="booking"
    )

    class Meta:
        ordering = ["date", "room", "first_unit"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        indexes = [models.Index(fields=["booker", "date"], name="booking_booker_date")]
        constraints = [
            models.CheckConstraint(condition=Q(last_unit__gte=models.F("first_unit")), name="booking_units_order"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.room}"

    @property
    def unit_labels(self) -> list[str]:
        facility = self.room.facility
        return [facility.unit_label(unit) for unit in range(self.first_unit, self.last_unit + 1)]


class LotteryRound(TimeStampedModel):
    """A month's lottery at a facility (抽選申込): wishes taken in a window, drawn on a day, won
    bookings confirmed by a deadline, then what is left opens first come."""

    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="lottery_rounds")
    month = models.DateField(_("month"), help_text=_("The first day of the month the lottery is for."))
    opens_on = models.DateField(_("wishes from"))
    closes_on = models.DateField(_("wishes until"))
    draw_on = models.DateField(_("drawn on"))
    confirm_by = models.DateField(_("winners confirm by"))
    first_come_on = models.DateField(_("first come from"))
    algorithm = models.CharField(max_length=30, blank=True)
    seed = models.CharField(max_length=64, blank=True)
    drawn_order = models.JSONField(default=list, blank=True)
    granted = models.JSONField(default=list, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-month"]
        verbose_name = _("lottery")
        verbose_name_plural = _("lotteries")
        constraints = [
            models.UniqueConstraint(fields=["facility", "month"], name="lottery_round_once"),
            models.CheckConstraint(
                condition=Q(
                    opens_on__lte=models.F("closes_on"),
                    closes_on__lt=models.F("draw_on"),
                    draw_on__lte=models.F("confirm_by"),
                    confirm_by__lt=models.F("first_come_on"),
                ),
                name="lottery_round_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility} {self.month:%Y-%m}"


class Wish(TimeStampedModel):
    """A ranked wish in a month's lottery: one room, one date, consecutive units."""

    class State(models.TextChoices):
        ENTERED = "entered", _("Entered")
        WON = "won", _("Won")
        LOST = "lost", _("Not drawn")

    lottery = models.ForeignKey(LotteryRound, on_delete=models.CASCADE, related_name="wishes")
    booker = models.ForeignKey(Booker, on_delete=models.PROTECT, related_name="wishes")
    rank = bounds.PositiveSmallIntegerField(
        _("wish"), choices=[(1, _("1st wish")), (2, _("2nd wish")), (3, _("3rd wish"))]
    )
    room = models.ForeignKey(Room, on_delete=models.PROTECT, related_name="wishes")
    date = models.DateField(_("date"))
    first_unit = bounds.PositiveSmallIntegerField(_("from unit"))
    last_unit = bounds.PositiveSmallIntegerField(_("to unit"))
    purpose = models.CharField(_("purpose"), max_length=200)
    attendees = bounds.PositiveSmallIntegerField(_("expected attendees"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.ENTERED)

    class Meta:
        ordering = ["lottery", "booker", "rank"]
        verbose_name = _("lottery wish")
        verbose_name_plural = _("lottery wishes")
        constraints = [
            models.UniqueConstraint(fields=["lottery", "booker", "rank"], name="wish_rank_once"),
            models.CheckConstraint(condition=Q(last_unit__gte=models.F("first_unit")), name="wish_units_order"),
        ]

    def __str__(self) -> str:
        return f"{self.booker} {self.rank}: {self.date} {self.room}"


class Block(TimeStampedModel):
    """Staff hold a room (maintenance, a city event): nobody can book those units."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="blocks")
    date = models.DateField(_("date"))
    first_unit = bounds.PositiveSmallIntegerField(_("from unit"))
    last_unit = bounds.PositiveSmallIntegerField(_("to unit"))
    reason = models.CharField(_("reason"), max_length=200)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["date", "room"]
        constraints = [
            models.CheckConstraint(condition=Q(last_unit__gte=models.F("first_unit")), name="block_units_order"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.room} {self.reason}"


class HeldUnit(models.Model):
    """One booking unit of one room on one day, held by a booking or a block: the row whose
    uniqueness is the guarantee against double booking."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    unit = bounds.PositiveSmallIntegerField()
    booking = models.ForeignKey(Booking, null=True, blank=True, on_delete=models.CASCADE, related_name="held_units")
    block = models.ForeignKey(Block, null=True, blank=True, on_delete=models.CASCADE, related_name="held_units")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["room", "date", "unit"], name="held_unit_once"),
            models.CheckConstraint(
                condition=Q(booking__isnull=False, block__isnull=True) | Q(booking__isnull=True, block__isnull=False),
                name="held_by_booking_or_block",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.room_id} {self.date} {self.unit}"


class Watch(models.Model):
    """ "Tell me if this frees up" (空き通知): one user, one room unit on one day."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="facility_watches")
    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="watches")
    date = models.DateField()
    unit = bounds.PositiveSmallIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "room", "date", "unit"], name="watch_once")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.room_id} {self.date} {self.unit}"
