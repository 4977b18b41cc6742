"""Keep the calendar's cached overrides fresh in every process when admin changes one."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from office.models import CalendarOverride
from office.services.calendar import invalidate_overrides


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def _overrides_changed(**kwargs) -> None:
    invalidate_overrides()
