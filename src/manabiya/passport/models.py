"""The learning passport (学習手帳): programmes, the passports citizens hold in them, their stamps,
and the awards and certifications issued as signed Open Badges 3.0 credentials.

A passport's credits are summed from its stamps, never kept as a running total, so no counter
can drift from the stamps it counts. One stamp per session attended is the database's rule
(`stamp_once_per_session`), whichever of the sources (check-in, a scanned passport, the counter)
records it first.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from manabiya.catalog.models import Category, LearningOpportunity, Session
from manabiya.core import bounds
from manabiya.core.models import Municipality, Organization, TimeStampedModel
from manabiya.core.uploads import RandomName

CREDITS = {"max_digits": 7, "decimal_places": 1, "validators": [MinValueValidator(Decimal(0))]}


class CreditRule(models.TextChoices):
    PER_SESSION = "per_session", _("Per session attended")
    PER_HOUR = "per_hour", _("Per hour attended")
    PER_OPPORTUNITY = "per_opportunity", _("A fixed value per opportunity")


class Programme(TimeStampedModel):
    """A stamp rally run by a municipality's coordinators: its period, how credits are earned,
    and (through its levels) what they add up to. Opportunities of neighbouring cities can take
    part, which is how a region runs one programme."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="passport_programmes", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))
    credit_rule = models.CharField(
        _("credits are earned"), max_length=20, choices=CreditRule.choices, default=CreditRule.PER_SESSION
    )
    credits_per_unit = bounds.DecimalField(_("credits per session, hour or opportunity"), default=Decimal(1), **CREDITS)
    is_open = models.BooleanField(_("open for joining"), default=True)
    counts_volunteering = models.BooleanField(
        _("volunteer activity earns credits"),
        default=False,
        help_text=_("Each volunteer activity logged in the talent bank: per hour, or one unit, by the credit rule."),
    )

    class Meta:
        ordering = ["-starts_on", "name"]
        verbose_name = _("passport programme")
        verbose_name_plural = _("passport programmes")
        constraints = [models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="programme_period")]

    def __str__(self) -> str:
        return self.name


class Level(models.Model):
    """A certified level (初級 10 / 中級 30 / 上級 60): reached at `credits` credits from stamps in
    at least `min_categories` different categories, with the title the award gives."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="levels")
    name = models.CharField(_("level"), max_length=100)
    title = models.CharField(
        _("title awarded"), max_length=100, blank=True, help_text=_("e.g. 学士, ちとせ学びマスター")
    )
    credits = bounds.DecimalField(_("credits needed"), **CREDITS)
    min_categories = bounds.PositiveSmallIntegerField(_("different categories needed"), default=0)
    description = models.TextField(_("criteria"), blank=True)

    class Meta:
        ordering = ["programme", "credits"]
        verbose_name = _("level")
        verbose_name_plural = _("levels")
        constraints = [models.UniqueConstraint(fields=["programme", "name"], name="level_name_once")]

    def __str__(self) -> str:
        return self.name


class Participation(TimeStampedModel):
    """An opportunity taking part in a programme: proposed by its provider, approved by a
    coordinator. `credits` overrides the programme's rule for this opportunity."""

    class State(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        APPROVED = "approved", _("Approved")
        DECLINED = "declined", _("Declined")

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="participations")
    opportunity = models.ForeignKey(
        LearningOpportunity, on_delete=models.CASCADE, related_name="passport_participations"
    )
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PROPOSED)
    credits = bounds.DecimalField(_("credits (instead of the rule)"), null=True, blank=True, **CREDITS)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("participating opportunity")
        verbose_name_plural = _("participating opportunities")
        constraints = [
            models.UniqueConstraint(fields=["programme", "opportunity"], name="participation_once"),
        ]


class Passport(TimeStampedModel):
    """A citizen's learning notebook in one programme."""

    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="passports")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="passports")
    number = models.CharField(_("passport number"), max_length=20, unique=True)
    holder_name = models.CharField(_("name"), max_length=100)
    holder_kana = models.CharField(_("furigana"), max_length=200, blank=True)
    language = models.CharField(_("language for emails"), max_length=10, default="ja")
    # Who the credentials name: a stable identifier that is neither an address nor the user's id.
    subject_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("passport")
        verbose_name_plural = _("passports")
        constraints = [models.UniqueConstraint(fields=["programme", "user"], name="passport_once_per_programme")]

    def __str__(self) -> str:
        return f"{self.number} {self.holder_name}"


class StampSource(models.TextChoices):
    ATTENDANCE = "attendance", _("Check-in at the course")
    SCAN = "scan", _("Passport scanned at the venue")
    COUNTER = "counter", _("Entered at the counter")
    REPORT = "report", _("Learning reported and approved")
    VOLUNTEER = "volunteer", _("Volunteer activity logged")


class Stamp(models.Model):
    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="stamps")
    source = models.CharField(_("source"), max_length=12, choices=StampSource.choices)
    earned_on = models.DateField(_("learned on"))
    opportunity = models.ForeignKey(
        LearningOpportunity, null=True, blank=True, on_delete=models.PROTECT, related_name="stamps"
    )
    session = models.ForeignKey(Session, null=True, blank=True, on_delete=models.PROTECT, related_name="stamps")
    # CASCADE: a check-in undone at the roster (the wrong name ticked) takes its stamp with it.
    attendance = models.OneToOneField(
        "registration.Attendance", null=True, blank=True, on_delete=models.CASCADE, related_name="stamp"
    )
    report = models.OneToOneField(
        "LearningReport", null=True, blank=True, on_delete=models.PROTECT, related_name="stamp"
    )
    # CASCADE: an activity's record removed takes its stamp with it, as a check-in undone does.
    volunteer_assignment = models.ForeignKey(
        "talent.VolunteerAssignment", null=True, blank=True, on_delete=models.CASCADE, related_name="stamps"
    )
    # The opportunity's title, provider and category when stamped, so history reads the same later
    # and a report of learning elsewhere has them too.
    title = models.CharField(_("what"), max_length=200)
    provider = models.ForeignKey(Organization, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    provider_name = models.CharField(_("provider"), max_length=200, blank=True)
    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    credits = bounds.DecimalField(_("credits"), **CREDITS)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["earned_on", "recorded_at"]
        verbose_name = _("stamp")
        verbose_name_plural = _("stamps")
        constraints = [
            models.UniqueConstraint(
                fields=["passport", "session"], condition=Q(session__isnull=False), name="stamp_once_per_session"
            ),
            models.UniqueConstraint(
                fields=["passport", "volunteer_assignment"],
                condition=Q(volunteer_assignment__isnull=False),
                name="stamp_once_per_activity",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.earned_on} {self.title}"


class LearningReport(TimeStampedModel):
    """Learning outside the platform (a museum visit, a university's open lecture) that a citizen
    reports for a coordinator to approve as a stamp."""

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not approved")

    passport = models.ForeignKey(Passport, on_delete=models.CASCADE, related_name="reports")
    title = models.CharField(_("what you learned"), max_length=200)
    place = models.CharField(_("where"), max_length=200, blank=True)
    learned_on = models.DateField(_("learned on"))
    hours = bounds.DecimalField(
        _("hours"), max_digits=4, decimal_places=1, default=Decimal(1), validators=[MinValueValidator(Decimal("0.1"))]
    )
    category = models.ForeignKey(
        Category, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("category")
    )
    note = models.TextField(_("note"), blank=True)
    # Not public (it may show people): served by passport:report_photo only, under a name no one can guess.
    photo = models.ImageField(_("photo"), upload_to=RandomName("passport/reports/%Y/%m/"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_reason = models.CharField(_("reason"), max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("learning report")
        verbose_name_plural = _("learning reports")


class Certification(TimeStampedModel):
    """A named certification coordinators grant to people who completed a training programme
    (ひと・まちづくりリーダー, 生涯学習市民リーダー)."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="certifications")
    name = models.CharField(_("name"), max_length=200)
    training = models.CharField(_("training programme"), max_length=200)
    criteria = models.TextField(_("criteria"))

    class Meta:
        ordering = ["name"]
        verbose_name = _("certification")
        verbose_name_plural = _("certifications")

    def __str__(self) -> str:
        return self.name


class Award(TimeStampedModel):
    """A level reached or a certification granted, issued as a signed credential."""

    credential_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="awards")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="awards")
    recipient_name = models.CharField(_("name"), max_length=100)
    subject_id = models.UUIDField(editable=False)
    passport = models.ForeignKey(Passport, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    level = models.ForeignKey(Level, null=True, blank=True, on_delete=models.PROTECT, related_name="awards")
    certification = models.ForeignKey(
        Certification, null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    credits = bounds.DecimalField(_("credits earned"), null=True, blank=True, **CREDITS)
    issued_at = models.DateTimeField(_("issued"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    signed_credential = models.TextField(_("signed credential (VC-JWT)"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revocation_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)

    class Meta:
        ordering = ["-issued_at"]
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        constraints = [
            models.UniqueConstraint(fields=["passport", "level"], name="award_level_once"),
            models.UniqueConstraint(
                fields=["recipient", "certification"],
                condition=Q(certification__isnull=False, revoked_at__isnull=True),
                name="certification_once_while_valid",
            ),
            models.CheckConstraint(
                condition=Q(level__isnull=False, passport__isnull=False, certification__isnull=True)
                | Q(level__isnull=True, certification__isnull=False),
                name="award_level_or_certification",
            ),
        ]

    @property
    def title(self) -> str:
        if self.level_id:
            return self.level.title or self.level.name
        return self.certification.name


class SigningKey(TimeStampedModel):
    """A municipality's key for signing credentials; the private half encrypted at rest."""

    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT, related_name="signing_keys")
    kid = models.CharField(max_length=100, unique=True)
    public_jwk = models.JSONField()
    encrypted_private_key = models.TextField()
    active = models.BooleanField(default=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["municipality"], condition=Q(active=True), name="signing_key_one_active"),
        ]
