from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "manabiya.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from django_tasks.signals import task_finished, task_started

        from . import mail

        # Emails sent by a task are keyed by the task's id, so a task run twice sends each once.
        task_started.connect(mail.on_task_started, dispatch_uid="manabiya.core.mail.task_started")
        task_finished.connect(mail.on_task_finished, dispatch_uid="manabiya.core.mail.task_finished")
