"""What the applications tell other apps."""

from django.dispatch import Signal

# Sent inside the check-in's transaction (attendance), once per new attendance, so what other
# apps make of it (a passport stamp) commits with it or not at all.
attendance_recorded = Signal()
