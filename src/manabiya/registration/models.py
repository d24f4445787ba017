"""Applications to learning opportunities: who applied, for how many, in what state, and who came.

Seats are counted, never stored as a running total: the seats an opportunity has given out are
the party sizes of its holding applications, summed under the opportunity's row lock
(`docs/capacity-and-locking.md`), so no counter can drift from the applications it counts.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from manabiya.catalog.models import LearningOpportunity, Session
from manabiya.core import bounds
from manabiya.core.models import Municipality, TimeStampedModel

# "application" alone is also the catalogue's application method (申込方法).
AN_APPLICATION = pgettext_lazy("a person's application", "application")

katakana = RegexValidator(r"^[\u30A0-\u30FF\u3000 ・ー]+$", _("Write the furigana in katakana (カタカナ)."))


class Residency(models.TextChoices):
    LIVES = "lives", _("Lives in the municipality (在住)")
    WORKS = "works", _("Works in the municipality (在勤)")
    STUDIES = "studies", _("Studies in the municipality (在学)")
    NONE = "none", _("None of these")


class AgeBand(models.TextChoices):
    UNDER_20 = "under_20", _("Under 20")
    TWENTIES = "20s", _("20s")
    THIRTIES = "30s", _("30s")
    FORTIES = "40s", _("40s")
    FIFTIES = "50s", _("50s")
    SIXTIES = "60s", _("60s")
    SEVENTIES = "70s", _("70s")
    EIGHTY_PLUS = "80_plus", _("80 or over")


class CitizenProfile(TimeStampedModel):
    """What an application needs to know about a citizen, kept once so each form is short."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="citizen_profile", verbose_name=_("user")
    )
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("furigana"), max_length=200, validators=[katakana])
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    age_band = models.CharField(_("age"), max_length=10, choices=AgeBand.choices, blank=True)
    area = models.CharField(_("area of residence"), max_length=100, blank=True, help_text=_("e.g. 本町, 緑町"))
    municipality = models.ForeignKey(
        Municipality,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("municipality you live, work or study in"),
    )
    residency = models.CharField(
        _("living, working or studying there"), max_length=10, choices=Residency.choices, default=Residency.NONE
    )

    class Meta:
        verbose_name = _("citizen profile")
        verbose_name_plural = _("citizen profiles")

    def __str__(self) -> str:
        return self.name


class ApplicationRules(models.Model):
    """How one opportunity takes applications beyond what the catalogue shows."""

    opportunity = models.OneToOneField(
        LearningOpportunity, on_delete=models.CASCADE, related_name="application_rules", verbose_name=_("opportunity")
    )
    max_party_size = bounds.PositiveSmallIntegerField(
        _("people per application"), default=1, help_text=_("2 or more for parent-and-child classes (親子).")
    )
    asks_participant_ages = models.BooleanField(_("ask each participant's age"), default=False)
    residents_only = models.BooleanField(_("only for people living, working or studying here"), default=False)
    questions = models.JSONField(_("questions to applicants"), default=list, blank=True)
    first_timers_first = models.BooleanField(
        _("first-time applicants first in the lottery (初めての方優先)"), default=False
    )
    confirm_within_hours = bounds.PositiveSmallIntegerField(
        _("hours winners have to confirm"), default=72, help_text=_("0: winners are confirmed at once.")
    )
    first_come_after_draw = models.BooleanField(_("seats left after the lottery open first-come"), default=True)
    per_session = models.BooleanField(
        _("applications per date"),
        default=False,
        help_text=_("Each date takes its own applications, with the capacity for each (first come only)."),
    )
    cancel_until_hours = bounds.PositiveSmallIntegerField(
        _("citizens may cancel until (hours before the first session)"), default=24
    )

    class Meta:
        verbose_name = _("application rules")
        verbose_name_plural = _("application rules")
        constraints = [models.CheckConstraint(condition=Q(max_party_size__gte=1), name="rules_party_at_least_one")]

    def __str__(self) -> str:
        return str(self.opportunity)


class ApplicationStatus(models.TextChoices):
    ENTERED = "entered", _("Entered in the lottery")
    OFFERED = "offered", _("Won — confirm your place")
    CONFIRMED = "confirmed", _("Confirmed")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


# Applications that hold seats (and childcare places) and so count against capacity.
HOLDING = (ApplicationStatus.CONFIRMED, ApplicationStatus.OFFERED)
# Applications that still count as the person's one application to the opportunity.
ACTIVE = (ApplicationStatus.ENTERED, *HOLDING, ApplicationStatus.WAITING)


class Channel(models.TextChoices):
    WEB = "web", _("Online")
    COUNTER = "counter", _("At the counter, by staff (代理申込)")


class Application(TimeStampedModel):
    opportunity = models.ForeignKey(
        LearningOpportunity, on_delete=models.CASCADE, related_name="applications", verbose_name=_("opportunity")
    )
    # Null when staff applied for someone without an account.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="applications",
        verbose_name=_("citizen"),
    )
    # The one date applied for, when the opportunity takes applications per date.
    session = models.ForeignKey(
        Session,
        null=True,
        blank=True,
        on_delete=models.RESTRICT,
        related_name="applications",
        verbose_name=_("date"),
    )
    name = models.CharField(_("name"), max_length=100)
    name_kana = models.CharField(_("furigana"), max_length=200, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    language = models.CharField(_("language for messages"), max_length=10, default="ja")
    party_size = bounds.PositiveSmallIntegerField(_("people"), default=1)
    childcare_ages = models.JSONField(_("ages of children for childcare"), default=list, blank=True)
    childcare_count = bounds.PositiveSmallIntegerField(_("children for childcare"), default=0)
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=ApplicationStatus.choices)
    waiting_rank = bounds.PositiveIntegerField(_("place on the waiting list"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("confirm by"), null=True, blank=True)
    first_time = models.BooleanField(_("first application"), default=False)
    channel = models.CharField(_("applied"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("entered by staff"),
    )
    # The form's one-time token, so a double click or a retried request makes one application.
    request_key = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    checkin_code = models.CharField(_("check-in code"), max_length=9, editable=False)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = AN_APPLICATION
        verbose_name_plural = _("applications")
        indexes = [
            models.Index(fields=["opportunity", "status", "waiting_rank"], name="application_queue"),
            models.Index(fields=["user", "status"], name="application_user"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["opportunity", "user"],
                condition=Q(user__isnull=False, session__isnull=True) & Q(status__in=[s.value for s in ACTIVE]),
                name="application_one_active_per_person",
            ),
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False, session__isnull=False) & Q(status__in=[s.value for s in ACTIVE]),
                name="application_one_active_per_person_and_date",
            ),
            models.UniqueConstraint(fields=["opportunity", "checkin_code"], name="application_unique_code"),
            models.UniqueConstraint(
                fields=["opportunity", "waiting_rank"],
                condition=Q(waiting_rank__isnull=False),
                name="application_unique_waiting_rank",
            ),
            models.CheckConstraint(condition=Q(party_size__gte=1), name="application_party_at_least_one"),
            models.CheckConstraint(
                condition=Q(status="waiting", waiting_rank__isnull=False)
                | (~Q(status="waiting") & Q(waiting_rank__isnull=True)),
                name="application_rank_iff_waiting",
            ),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in ApplicationStatus]), name="application_status_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.opportunity}"

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE


class Participant(models.Model):
    """One person an application brings: the applicant first, then a child or companion."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="participants", verbose_name=AN_APPLICATION
    )
    position = bounds.PositiveSmallIntegerField()
    name = models.CharField(_("name"), max_length=100)
    age = bounds.PositiveSmallIntegerField(_("age"), null=True, blank=True)

    class Meta:
        ordering = ["application", "position"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [models.UniqueConstraint(fields=["application", "position"], name="participant_unique_position")]

    def __str__(self) -> str:
        return self.name


class Attendance(models.Model):
    """One application present at one session: the record the passport and the indicators read."""

    class Method(models.TextChoices):
        QR = "qr", _("QR code scanned")
        CODE = "code", _("Code entered")
        ROSTER = "roster", _("Ticked on the roster")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="attendances", verbose_name=AN_APPLICATION
    )
    # RESTRICT: removing a date from an opportunity must not erase who came to it.
    session = models.ForeignKey(
        Session, on_delete=models.RESTRICT, related_name="attendances", verbose_name=_("session")
    )
    people = bounds.PositiveSmallIntegerField(_("people present"), default=1)
    method = models.CharField(_("recorded by"), max_length=10, choices=Method.choices)
    recorded_at = models.DateTimeField(_("checked in"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("staff")
    )

    class Meta:
        ordering = ["session", "recorded_at"]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")
        constraints = [
            models.UniqueConstraint(fields=["application", "session"], name="attendance_once_per_session"),
            models.CheckConstraint(condition=Q(people__gte=1), name="attendance_people_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.application} @ {self.session}"


class WalkIn(models.Model):
    """People who came to a drop-in session without applying: a count, or one named person."""

    session = models.ForeignKey(Session, on_delete=models.RESTRICT, related_name="walk_ins", verbose_name=_("session"))
    people = bounds.PositiveSmallIntegerField(_("people"), default=1)
    name = models.CharField(_("name"), max_length=100, blank=True)
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("staff")
    )

    class Meta:
        ordering = ["session", "recorded_at"]
        verbose_name = _("walk-in")
        verbose_name_plural = _("walk-ins")
        constraints = [models.CheckConstraint(condition=Q(people__gte=1), name="walk_in_people_positive")]

    def __str__(self) -> str:
        return f"{self.people} @ {self.session}"


class LotteryDraw(models.Model):
    """The record of one opportunity's draw: enough to run it again and get the same result."""

    opportunity = models.OneToOneField(
        LearningOpportunity, on_delete=models.PROTECT, related_name="lottery_draw", verbose_name=_("opportunity")
    )
    algorithm = models.CharField(_("algorithm"), max_length=40)
    seed = models.CharField(_("random seed"), max_length=64)
    seats = bounds.PositiveIntegerField(_("seats"), null=True)
    childcare_places = bounds.PositiveIntegerField(_("childcare places"), null=True)
    first_timers_first = models.BooleanField(_("first-time applicants first"))
    # Every entry as drawn: [application id, party size, childcare count, first time] in id order.
    entries = models.JSONField(_("entries"))
    drawn_order = models.JSONField(_("drawn order"))
    winners = models.JSONField(_("winners"))
    drawn_at = models.DateTimeField(_("drawn"), auto_now_add=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("drawn by")
    )

    class Meta:
        verbose_name = _("lottery draw")
        verbose_name_plural = _("lottery draws")

    def __str__(self) -> str:
        return str(self.opportunity)
