"""The talent bank (人材バンク), delivery lectures (出前講座) and volunteer activity.

A person (or an organization for its staff) registers what they can teach or help with and chooses,
item by item, who may see it; coordinators approve registrations to the fiscal year's end. Groups
request lectures from the city's menu; coordinators check the request, ask a lecturer and send the
decision (決定通知). Schools and providers post volunteer needs; volunteers apply or are invited,
coordinators confirm, and the activity's hours are logged afterwards.
"""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manabiya.catalog.models import Audience, Category, LearningOpportunity, Session, TimeOfDay
from manabiya.core import bounds
from manabiya.core.japan import RENEWAL_WINDOW_DAYS
from manabiya.core.models import Municipality, Organization, TimeStampedModel
from manabiya.registration.models import Residency


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    COORDINATORS = "coordinators", _("Coordinators only")
    PRIVATE = "private", _("Only me")


class FeePolicy(models.TextChoices):
    FREE = "free", _("Free (無償)")
    HONORARIUM = "honorarium", _("Honorarium agreed with the requester (謝礼)")
    EXPENSES = "expenses", _("Expenses only (実費)")


WEEKDAYS = [(0, _("Mon")), (1, _("Tue")), (2, _("Wed")), (3, _("Thu")), (4, _("Fri")), (5, _("Sat")), (6, _("Sun"))]


class TalentProfile(TimeStampedModel):
    """One registration in the talent bank: an instructor, a volunteer, or both."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    # The items whose audience the registrant chooses, in the order the forms show them, and the
    # fields each covers: a reader who may not see the item reads none of them (the furigana goes with
    # the name). What is not an item (contact details, residency, state) is never shown to the public.
    ITEM_FIELDS: dict[str, tuple[str, ...]] = {
        "name": ("name", "name_kana"),
        "expertise": ("categories", "keywords"),
        "qualifications": ("qualifications",),
        "biography": ("biography",),
        "topics": ("topics",),
        "audiences": ("audiences",),
        "areas": ("areas",),
        "availability": ("weekdays", "times"),
        "fee": ("fee_policy",),
    }
    ITEMS = tuple(ITEM_FIELDS)
    DEFAULT_VISIBILITY = Visibility.COORDINATORS

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="talent_profiles", verbose_name=_("municipality")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="talent_profiles", verbose_name=_("account")
    )
    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="talent_profiles",
        verbose_name=_("registered by the organization"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("furigana"), max_length=200, blank=True)
    is_instructor = models.BooleanField(_("instructor or lecturer (講師)"), default=True)
    is_volunteer = models.BooleanField(_("volunteer (ボランティア)"), default=False)
    categories = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name=_("fields of expertise"))
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Separate with spaces."))
    qualifications = models.TextField(_("qualifications"), blank=True)
    biography = models.TextField(_("short biography"), blank=True)
    topics = models.TextField(_("topics you can teach or help with"), blank=True)
    audiences = models.ManyToManyField(Audience, blank=True, related_name="+", verbose_name=_("audiences"))
    areas = models.CharField(_("areas you can go to"), max_length=200, blank=True, help_text=_("Separate with spaces."))
    weekdays = models.JSONField(_("days available"), default=list, blank=True)
    times = models.JSONField(_("times available"), default=list, blank=True)
    fee_policy = models.CharField(
        pgettext_lazy("talent bank", "fee"), max_length=12, choices=FeePolicy.choices, default=FeePolicy.FREE
    )
    residency = models.CharField(_("in the city"), max_length=10, choices=Residency.choices)
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=30, blank=True)
    visibility = models.JSONField(_("who sees each item"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)
    renewal_requested_at = models.DateTimeField(_("renewal asked for"), null=True, blank=True, editable=False)
    renewal_reminded_on = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["municipality", "name_kana", "name", "id"]
        verbose_name = _("talent bank registration")
        verbose_name_plural = _("talent bank registrations")
        constraints = [
            models.CheckConstraint(condition=Q(is_instructor=True) | Q(is_volunteer=True), name="talent_has_a_role"),
            models.CheckConstraint(condition=~Q(residency=Residency.NONE), name="talent_in_the_city"),
            # A person registers once per city; an organization may register several of its staff.
            models.UniqueConstraint(
                fields=["user", "municipality"], condition=Q(organization__isnull=True), name="talent_one_per_person"
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state", "valid_until"], name="talent_listed")]

    def __str__(self) -> str:
        return self.name

    def visibility_of(self, item: str) -> str:
        return self.visibility.get(item, self.DEFAULT_VISIBILITY)

    def is_listed_on(self, day: dt.date) -> bool:
        return self.state == self.State.APPROVED and self.valid_until is not None and day <= self.valid_until

    @property
    def renewable(self) -> bool:
        today = timezone.localdate()
        return (
            self.state == self.State.APPROVED
            and self.valid_until is not None
            and self.renewal_requested_at is None
            and (self.valid_until - today) <= dt.timedelta(days=RENEWAL_WINDOW_DAYS)
        )

    def weekday_labels(self) -> list[str]:
        names = dict(WEEKDAYS)
        return [str(names[d]) for d in sorted(self.weekdays) if d in names]

    def time_labels(self) -> list[str]:
        names = dict(TimeOfDay.choices)
        return [str(names[t]) for t in self.times if t in names]


class ContactMessage(models.Model):
    """A message to a registrant through the platform: their address is never shown to the sender."""

    profile = models.ForeignKey(TalentProfile, on_delete=models.CASCADE, related_name="messages")
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.TextField(_("message"))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]

    def __str__(self) -> str:
        return f"{self.sender} → {self.profile}"


class LectureTopic(TimeStampedModel):
    """An item of the 出前講座 menu: offered by a city department, a business or a registered citizen."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="lecture_topics")
    provider = models.ForeignKey(
        Organization,
        on_delete=models.PROTECT,
        related_name="lecture_topics",
        verbose_name=_("offered by"),
        help_text=_("The department or business; for a citizen's topic, the office that arranges it."),
    )
    talent = models.ForeignKey(
        TalentProfile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lecture_topics",
        verbose_name=_("registered lecturer"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    audience = models.CharField(_("for whom"), max_length=200, blank=True)
    duration_minutes = bounds.PositiveSmallIntegerField(_("duration (minutes)"), default=90)
    min_group_size = bounds.PositiveSmallIntegerField(_("minimum group size"), default=10)
    active = models.BooleanField(_("on the menu"), default=True)

    class Meta:
        ordering = ["municipality", "title"]
        verbose_name = _("delivery lecture topic")
        verbose_name_plural = _("delivery lecture topics")
        constraints = [
            models.CheckConstraint(condition=Q(duration_minutes__gte=15), name="topic_duration_positive"),
            models.CheckConstraint(condition=Q(min_group_size__gte=1), name="topic_group_positive"),
        ]

    def __str__(self) -> str:
        return self.title


class LectureRequest(TimeStampedModel):
    """A group asks for a topic of the menu (出前講座の申込)."""

    class State(models.TextChoices):
        SUBMITTED = "submitted", _("Received")
        ASKED = "asked", _("Lecturer asked")
        ACCEPTED = "accepted", _("Lecturer accepted")
        DECIDED = "decided", _("Decided")
        DELIVERED = "delivered", _("Held")
        REFUSED = "refused", _("Not possible")
        CANCELLED = "cancelled", _("Cancelled")

    class GroupKind(models.TextChoices):
        NEIGHBOURHOOD = "neighbourhood", _("Neighbourhood association (町内会・自治会)")
        SCHOOL = "school", _("School or PTA")
        CIRCLE = "circle", _("Circle or club")
        BUSINESS = "business", _("Business")
        OTHER = "other", _("Other group")

    OPEN_STATES = (State.SUBMITTED, State.ASKED, State.ACCEPTED)

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="lecture_requests")
    topic = models.ForeignKey(LectureTopic, on_delete=models.PROTECT, related_name="requests", verbose_name=_("topic"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    group_name = models.CharField(_("group name"), max_length=200)
    group_kind = models.CharField(_("kind of group"), max_length=20, choices=GroupKind.choices)
    contact_name = models.CharField(_("contact person"), max_length=100)
    contact_email = models.EmailField(_("email"))
    contact_phone = models.CharField(_("phone"), max_length=30)
    place = models.CharField(_("place"), max_length=200)
    expected_attendance = bounds.PositiveSmallIntegerField(_("expected attendance"))
    purpose = models.TextField(_("purpose and what you want to learn"))
    note = models.TextField(_("notes"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.SUBMITTED)
    warnings = models.JSONField(default=list, blank=True, editable=False)
    starts_at = models.DateTimeField(_("decided date"), null=True, blank=True)
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    lecturer = models.ForeignKey(
        TalentProfile,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lectures",
        verbose_name=_("lecturer"),
    )
    listed_publicly = models.BooleanField(_("listed in the public catalogue"), default=False)
    opportunity = models.OneToOneField(
        LearningOpportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="lecture_request"
    )
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_note = models.TextField(_("note to the group"), blank=True)
    attendance = bounds.PositiveIntegerField(_("participants"), null=True, blank=True)
    rating = bounds.PositiveSmallIntegerField(_("how was it (1–5)"), null=True, blank=True)
    report_note = models.TextField(_("report"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("delivery lecture request")
        verbose_name_plural = _("delivery lecture requests")
        constraints = [
            models.CheckConstraint(condition=Q(expected_attendance__gte=1), name="request_attendance_positive"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="request_rating_range"
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["decided", "delivered"]) | Q(starts_at__isnull=False),
                name="request_decided_has_date",
            ),
        ]
        indexes = [models.Index(fields=["municipality", "state"], name="request_queue")]

    def __str__(self) -> str:
        return f"{self.topic} — {self.group_name}"


class RequestedDate(models.Model):
    """One of the dates the group can do (第1〜第3希望)."""

    request = models.ForeignKey(LectureRequest, on_delete=models.CASCADE, related_name="dates")
    rank = bounds.PositiveSmallIntegerField()
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))

    class Meta:
        ordering = ["request", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["request", "rank"], name="requested_date_rank_once"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="requested_date_ends_after"),
        ]

    def __str__(self) -> str:
        return f"{self.rank}: {self.starts_at:%Y-%m-%d %H:%M}"


class LecturerInvitation(TimeStampedModel):
    """The coordinator asks a registered lecturer to give a requested lecture."""

    class State(models.TextChoices):
        ASKED = "asked", _("Waiting for an answer")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    request = models.ForeignKey(LectureRequest, on_delete=models.CASCADE, related_name="invitations")
    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="invitations")
    state = models.CharField(max_length=10, choices=State.choices, default=State.ASKED)
    message = models.TextField(_("message to the lecturer"), blank=True)
    answer_note = models.TextField(_("your answer"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One lecturer is asked at a time: two yeses to one request cannot happen.
            models.UniqueConstraint(fields=["request"], condition=Q(state="asked"), name="invitation_one_open"),
            models.UniqueConstraint(fields=["request"], condition=Q(state="accepted"), name="invitation_one_accepted"),
        ]


class VolunteerNeed(TimeStampedModel):
    """Help a school or a provider asks for (学校支援, 放課後子ども教室, event staff, 公園・援農)."""

    class Kind(models.TextChoices):
        SCHOOL = "school", _("School support (学校支援)")
        AFTER_SCHOOL = "after_school", _("After-school classroom (放課後子ども教室)")
        EVENT = "event", _("Event staff")
        OUTDOORS = "outdoors", _("Parks and farms (公園・援農)")
        OTHER = "other", _("Other")

    class State(models.TextChoices):
        OPEN = "open", _("Looking for volunteers")
        CLOSED = "closed", pgettext_lazy("volunteer need", "Closed")
        CANCELLED = "cancelled", _("Cancelled")

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="volunteer_needs")
    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="volunteer_needs", verbose_name=_("asked by")
    )
    kind = models.CharField(_("kind"), max_length=15, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("what to do"))
    place = models.CharField(_("place"), max_length=200)
    area = models.CharField(_("area"), max_length=50, blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    skills = models.CharField(_("skills wanted"), max_length=300, blank=True)
    categories = models.ManyToManyField(Category, blank=True, related_name="+", verbose_name=_("fields"))
    people_needed = bounds.PositiveSmallIntegerField(_("people needed"))
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.OPEN)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("volunteer need")
        verbose_name_plural = _("volunteer needs")
        constraints = [
            models.CheckConstraint(condition=Q(people_needed__gte=1), name="need_people_positive"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="need_ends_after"),
        ]

    def __str__(self) -> str:
        return self.title


class VolunteerAssignment(TimeStampedModel):
    """A volunteer on a need: applied or invited, confirmed by the coordinator, then logged."""

    class Origin(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("volunteer", "Applied")
        INVITED = "invited", _("Invited")

    class State(models.TextChoices):
        APPLIED = "applied", pgettext_lazy("volunteer", "Applied")
        INVITED = "invited", _("Invited")
        CONFIRMED = "confirmed", _("Confirmed")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    need = models.ForeignKey(VolunteerNeed, on_delete=models.CASCADE, related_name="assignments")
    talent = models.ForeignKey(TalentProfile, on_delete=models.PROTECT, related_name="assignments")
    origin = models.CharField(max_length=10, choices=Origin.choices)
    state = models.CharField(_("state"), max_length=10, choices=State.choices)
    attended = models.BooleanField(_("took part"), null=True, blank=True)
    hours = bounds.DecimalField(_("hours"), max_digits=4, decimal_places=1, null=True, blank=True)
    logged_at = models.DateTimeField(null=True, blank=True)
    logged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["need", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["need", "talent"], name="assignment_once_per_need"),
            models.CheckConstraint(
                condition=Q(hours__isnull=True) | Q(hours__gt=0, hours__lte=24), name="assignment_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(attended__isnull=True) | Q(state="confirmed"), name="assignment_logged_if_confirmed"
            ),
        ]
