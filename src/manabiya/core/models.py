from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import bounds
from .japan import is_valid_local_government_code


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def validate_local_government_code(value: str) -> None:
    if not is_valid_local_government_code(value):
        raise ValidationError(
            _("Enter a valid 6-digit local government code (全国地方公共団体コード)."), code="invalid"
        )


class Municipality(TimeStampedModel):
    code = models.CharField(
        _("local government code"),
        max_length=6,
        unique=True,
        validators=[validate_local_government_code],
        help_text=_("全国地方公共団体コード, 6 digits including the check digit."),
    )
    name = models.CharField(_("name"), max_length=50)
    name_kana = models.CharField(_("name (kana)"), max_length=100, blank=True)
    prefecture = models.CharField(_("prefecture"), max_length=10)
    staff_mfa_required = models.BooleanField(
        _("staff must use a second factor"),
        default=False,
        help_text=_(
            "Coordinators and facility staff of this municipality must set up a second factor "
            "(an authenticator app or a security key) before they can use the staff pages."
        ),
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        constraints = [
            models.CheckConstraint(condition=models.Q(code__regex=r"^[0-9]{6}$"), name="municipality_code_six_digits")
        ]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account: citizen, provider member, coordinator or superuser.

    Roles come from memberships and coordinator assignments, not from this row.
    """

    username = None
    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=100, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]

    def __str__(self) -> str:
        return self.display_name or self.email


class Organization(TimeStampedModel):
    """A provider of learning opportunities."""

    class Kind(models.TextChoices):
        CITY_DEPARTMENT = "city_department", _("City department")
        KOMINKAN = "kominkan", _("Community hall (公民館)")
        LIBRARY = "library", _("Library")
        CHILDRENS_HALL = "childrens_hall", _("Children's hall (児童館)")
        LOCAL_LEARNING_HALL = "local_learning_hall", _("Local learning hall (地域学習館)")
        NPO = "npo", _("NPO")
        UNIVERSITY = "university", _("University")
        BUSINESS = "business", _("Business")
        CITIZENS_GROUP = "citizens_group", _("Citizens' group")

    municipality = models.ForeignKey(
        Municipality, on_delete=models.PROTECT, related_name="organizations", verbose_name=_("municipality")
    )
    name = models.CharField(_("name"), max_length=200)
    name_kana = models.CharField(_("name (kana)"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    contact_email = models.EmailField(_("public contact email"), blank=True)
    contact_phone = models.CharField(_("public contact phone"), max_length=30, blank=True)
    website = models.URLField(_("website"), blank=True)
    trusted = models.BooleanField(
        _("trusted"),
        default=False,
        help_text=_("Submissions from a trusted organization are published without review."),
    )

    class Meta:
        ordering = ["municipality", "name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [models.UniqueConstraint(fields=["municipality", "name"], name="organization_unique_name")]

    def __str__(self) -> str:
        return self.name


class Membership(TimeStampedModel):
    """A user acting for a provider organization."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("user")
    )
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "organization"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"


class CoordinatorAssignment(TimeStampedModel):
    """A user acting as the lifelong-learning coordinator (生涯学習担当) of a municipality."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="coordinator_assignments",
        verbose_name=_("user"),
    )
    municipality = models.ForeignKey(
        Municipality, on_delete=models.CASCADE, related_name="coordinators", verbose_name=_("municipality")
    )

    class Meta:
        verbose_name = _("coordinator assignment")
        verbose_name_plural = _("coordinator assignments")
        constraints = [models.UniqueConstraint(fields=["user", "municipality"], name="coordinator_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.municipality}"


class AuditEntry(models.Model):
    """Who did what to which record, when and why. Written only through `core.audit.log_action`."""

    created_at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=100)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    municipality = models.ForeignKey(Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.TextField(_("reason"), blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action}"


class OutgoingEmail(models.Model):
    """One email on its way out: stored when sent, delivered by a background task, retried with back-off.

    Written and read only through `core.mail`. `key` makes a task that runs twice queue each of its
    messages once; `give_up_at` is when a message that still fails is marked failed, for staff to resend.
    """

    class Status(models.TextChoices):
        PENDING = "pending", pgettext_lazy("email", "waiting to be sent")
        SENT = "sent", pgettext_lazy("email", "sent")
        FAILED = "failed", pgettext_lazy("email", "failed")

    created_at = models.DateTimeField(_("queued at"), auto_now_add=True)
    key = models.CharField(max_length=120, null=True, blank=True, unique=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("municipality")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    subject = models.TextField(_("subject"))
    recipients = models.JSONField(_("recipients"), default=list)
    message = models.JSONField(_("message"))
    attempts = bounds.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), null=True, blank=True)
    claimed_until = models.DateTimeField(null=True, blank=True)
    give_up_at = models.DateTimeField(_("give up at"))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    refused = models.BooleanField(_("refused by the mail server"), default=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="email_due"),
            models.Index(fields=["municipality", "status", "created_at"], name="email_by_municipality"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["pending", "sent", "failed"]), name="outgoing_email_status_known"
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject} → {', '.join(self.recipients)}"


class TaskLease(models.Model):
    """A background task's claim by a worker, renewed while the worker lives.

    A task still marked running whose lease has expired lost its worker; `core.worker` puts it back in
    the queue for another worker.
    """

    task = models.OneToOneField(
        "django_tasks_database.DBTaskResult", primary_key=True, on_delete=models.CASCADE, related_name="lease"
    )
    worker_id = models.CharField(max_length=64)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("task lease")
        verbose_name_plural = _("task leases")

    def __str__(self) -> str:
        return f"{self.task_id} @ {self.worker_id}"
