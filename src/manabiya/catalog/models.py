import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from manabiya.core import bounds
from manabiya.core.models import Municipality, Organization, TimeStampedModel
from manabiya.core.uploads import RandomName

LOCAL_ZONE = ZoneInfo(settings.TIME_ZONE)


class BilingualNameMixin:
    """Reference data carries a Japanese `name` and an English `name_en`; `label` picks by language."""

    @property
    def label(self) -> str:
        if self.name_en and (get_language() or "ja").startswith("en"):
            return self.name_en
        return self.name


class Category(BilingualNameMixin, models.Model):
    """Two-level topic taxonomy (大分類 → 小分類)."""

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("parent category"),
    )
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = bounds.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=F("id")), name="category_not_own_parent"),
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name


class Audience(BilingualNameMixin, models.Model):
    """Life stage / audience tag (乳幼児と保護者, 高齢者, …)."""

    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = bounds.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("audience")
        verbose_name_plural = _("audiences")

    def __str__(self) -> str:
        return self.name


class AccessibilityFeature(BilingualNameMixin, models.Model):
    """Support offered at a course (手話通訳, 要約筆記, …) or built into a venue (スロープ, …)."""

    class Scope(models.TextChoices):
        OPPORTUNITY = "opportunity", _("Support at an opportunity")
        VENUE = "venue", _("Barrier-free feature of a venue")

    scope = models.CharField(_("applies to"), max_length=20, choices=Scope.choices)
    slug = models.SlugField(_("slug"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("English name"), max_length=60, blank=True)
    order = bounds.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["scope", "order", "id"]
        verbose_name = _("accessibility feature")
        verbose_name_plural = _("accessibility features")

    def __str__(self) -> str:
        return self.name


class Venue(TimeStampedModel):
    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="venues", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    address_detail = models.CharField(_("building, floor, room (方書)"), max_length=200, blank=True)
    latitude = bounds.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = bounds.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    access = models.TextField(_("access"), blank=True)
    parking = models.TextField(_("parking"), blank=True)
    barrier_free = models.ManyToManyField(
        AccessibilityFeature,
        blank=True,
        related_name="venues",
        limit_choices_to={"scope": AccessibilityFeature.Scope.VENUE},
        verbose_name=_("barrier-free features"),
    )

    class Meta:
        ordering = ["municipality", "name_kana", "name"]
        verbose_name = _("venue")
        verbose_name_plural = _("venues")
        constraints = [
            models.UniqueConstraint(fields=["municipality", "name", "address"], name="venue_unique_place"),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True) | Q(latitude__gte=-90, latitude__lte=90),
                name="venue_latitude_range",
            ),
            models.CheckConstraint(
                condition=Q(longitude__isnull=True) | Q(longitude__gte=-180, longitude__lte=180),
                name="venue_longitude_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Status(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Awaiting review")
    RETURNED = "returned", _("Returned for changes")
    PUBLISHED = "published", _("Published")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses the public can see: a cancelled opportunity stays listed, marked as cancelled.
PUBLIC_STATUSES = (Status.PUBLISHED, Status.CANCELLED)


class Format(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    ONLINE = "online", _("Online")
    HYBRID = "hybrid", _("In person and online")


class ApplicationMethod(models.TextChoices):
    NONE = "none", _("No application needed")
    FIRST_COME = "first_come", _("First come, first served (先着)")
    LOTTERY = "lottery", _("Lottery (抽選)")


class LearningOpportunity(TimeStampedModel):
    """A course, lecture, event or class offered by a provider."""

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("municipality")
    )
    provider = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="opportunities", verbose_name=_("provider")
    )
    title = models.CharField(_("title"), max_length=200)
    title_kana = models.CharField(_("title (kana)"), max_length=300, blank=True)
    title_en = models.CharField(_("title (English)"), max_length=300, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    description = models.TextField(_("description"), blank=True)
    category = models.ForeignKey(
        Category,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("category"),
    )
    audiences = models.ManyToManyField(Audience, blank=True, related_name="opportunities", verbose_name=_("audiences"))
    age_min = bounds.PositiveSmallIntegerField(
        _("minimum age"), null=True, blank=True, validators=[MaxValueValidator(bounds.AGE_MAX)]
    )
    age_max = bounds.PositiveSmallIntegerField(
        _("maximum age"), null=True, blank=True, validators=[MaxValueValidator(bounds.AGE_MAX)]
    )
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="opportunities",
        verbose_name=_("venue"),
    )
    online_url = models.URLField(_("online URL"), blank=True)
    fee = bounds.PositiveIntegerField(_("fee (yen)"), default=0, help_text=_("0 means free."))
    fee_note = models.CharField(_("fee notes"), max_length=300, blank=True)
    # At least one, as opportunity_capacity_positive says: the form then refuses 0 next to the field.
    capacity = bounds.PositiveIntegerField(_("capacity"), null=True, blank=True, validators=[MinValueValidator(1)])
    application_method = models.CharField(
        _("application"), max_length=20, choices=ApplicationMethod.choices, default=ApplicationMethod.NONE
    )
    application_opens_at = models.DateTimeField(_("applications open"), null=True, blank=True)
    application_closes_at = models.DateTimeField(_("applications close"), null=True, blank=True)
    application_note = models.TextField(_("how to apply"), blank=True)
    eligibility_note = models.CharField(_("eligibility"), max_length=200, blank=True)
    childcare_offered = models.BooleanField(_("childcare offered (保育あり)"), default=False)
    childcare_capacity = bounds.PositiveSmallIntegerField(_("childcare capacity"), null=True, blank=True)
    childcare_ages = models.CharField(_("childcare ages"), max_length=100, blank=True)
    accessibility = models.ManyToManyField(
        AccessibilityFeature,
        blank=True,
        related_name="opportunities",
        limit_choices_to={"scope": AccessibilityFeature.Scope.OPPORTUNITY},
        verbose_name=_("accessibility support"),
    )
    languages = models.JSONField(_("languages offered"), default=list, blank=True)
    contact_name = models.CharField(_("contact"), max_length=200, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_email = models.EmailField(_("contact email"), blank=True)
    url = models.URLField(_("web page"), blank=True)
    image = models.ImageField(_("image"), upload_to=RandomName("opportunities/%Y/%m/"), blank=True)
    image_alt = models.CharField(_("image description"), max_length=200, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    # Denormalised from sessions so list queries filter and sort on one indexed row.
    first_starts_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_ends_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Identity in an imported open-data file, so that importing it again updates.
    source_key = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["first_starts_at", "id"]
        verbose_name = _("learning opportunity")
        verbose_name_plural = _("learning opportunities")
        indexes = [
            models.Index(fields=["status", "last_ends_at", "first_starts_at"], name="opp_public_window"),
            # The public list's default order, over public rows only.
            models.Index(
                fields=["first_starts_at", "id"],
                condition=Q(status__in=["published", "cancelled"]),
                name="opp_public_by_start",
            ),
            models.Index(fields=["municipality", "status", "first_starts_at"], name="opp_muni_status"),
            models.Index(fields=["provider", "status"], name="opp_provider_status"),
            models.Index(fields=["status", "published_at"], name="opp_status_published"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(age_min__isnull=True) | Q(age_max__isnull=True) | Q(age_min__lte=F("age_max")),
                name="opportunity_age_range",
            ),
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1), name="opportunity_capacity_positive"
            ),
            models.CheckConstraint(
                condition=Q(childcare_offered=True) | Q(childcare_capacity__isnull=True),
                name="opportunity_childcare_capacity_needs_childcare",
            ),
            models.CheckConstraint(
                condition=Q(application_opens_at__isnull=True)
                | Q(application_closes_at__isnull=True)
                | Q(application_opens_at__lt=F("application_closes_at")),
                name="opportunity_application_window",
            ),
            models.CheckConstraint(condition=Q(status__in=[s.value for s in Status]), name="opportunity_status_known"),
            models.UniqueConstraint(
                fields=["municipality", "source_key"],
                condition=~Q(source_key=""),
                name="opportunity_unique_source_key",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES


class TimeOfDay(models.TextChoices):
    MORNING = "morning", _("Morning (午前)")
    AFTERNOON = "afternoon", _("Afternoon (午後)")
    EVENING = "evening", _("Evening (夜間)")


def time_of_day_for(local_start: dt.datetime) -> str:
    """午前 before noon, 午後 until 17:00, 夜間 after: the split municipal halls book by."""
    if local_start.hour < 12:
        return TimeOfDay.MORNING
    if local_start.hour < 17:
        return TimeOfDay.AFTERNOON
    return TimeOfDay.EVENING


class Session(models.Model):
    """One dated meeting of an opportunity: a one-day event has one, a 6-week course six."""

    opportunity = models.ForeignKey(
        LearningOpportunity, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("opportunity")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("venue (if different)"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    # Local weekday (ISO, 1 = Monday) and 午前/午後/夜間, fixed at save so filters use an index.
    weekday = bounds.PositiveSmallIntegerField(editable=False)
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices, editable=False)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        indexes = [
            models.Index(fields=["starts_at", "opportunity"], name="session_start"),
            models.Index(fields=["opportunity", "starts_at"], name="session_opportunity"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="session_ends_after_start",
            ),
            models.CheckConstraint(condition=Q(weekday__gte=1, weekday__lte=7), name="session_weekday_iso"),
            models.UniqueConstraint(fields=["opportunity", "starts_at"], name="session_unique_start"),
        ]

    def __str__(self) -> str:
        return f"{self.opportunity} {self.starts_at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        self.fill_derived()
        super().save(*args, **kwargs)

    def fill_derived(self) -> None:
        local = self.starts_at.astimezone(LOCAL_ZONE)
        self.weekday = local.isoweekday()
        self.time_of_day = time_of_day_for(local)

    @property
    def effective_venue(self) -> Venue | None:
        return self.venue or self.opportunity.venue
