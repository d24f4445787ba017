from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _stamp_attendance(sender, attendance, **kwargs) -> None:
    from .services import stamps_from_attendance

    stamps_from_attendance(attendance=attendance)


def _stamp_volunteering(sender, assignment, **kwargs) -> None:
    from .services import stamps_from_volunteering

    stamps_from_volunteering(assignment=assignment)


class PassportConfig(AppConfig):
    name = "manabiya.passport"
    label = "passport"
    verbose_name = _("Learning passport")

    def ready(self) -> None:
        from manabiya.registration.signals import attendance_recorded
        from manabiya.talent.signals import volunteer_activity_logged

        attendance_recorded.connect(_stamp_attendance, dispatch_uid="passport.stamp_attendance")
        volunteer_activity_logged.connect(_stamp_volunteering, dispatch_uid="passport.stamp_volunteering")
