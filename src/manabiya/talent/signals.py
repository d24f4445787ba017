"""What the talent bank tells other apps. The passport may count a logged volunteer activity."""

from django.dispatch import Signal

# Sent once the log of an activity commits, for each volunteer who took part (`assignment`).
volunteer_activity_logged = Signal()
