"""Keep cached answers fresh: the calendar's overrides in every process when admin changes one,
and a request's acting-for answers when an absence, delegation or post changes during it."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from office.models import Absence, CalendarOverride, Delegation, Post, Staff
from office.services.calendar import invalidate_overrides
from office.services.delegation import forget_request_memo


@receiver(post_save, sender=CalendarOverride)
@receiver(post_delete, sender=CalendarOverride)
def _overrides_changed(**kwargs) -> None:
    invalidate_overrides()


@receiver(post_save, sender=Absence)
@receiver(post_delete, sender=Absence)
@receiver(post_save, sender=Delegation)
@receiver(post_delete, sender=Delegation)
@receiver(post_save, sender=Post)
@receiver(post_delete, sender=Post)
@receiver(post_save, sender=Staff)
def _acting_for_changed(**kwargs) -> None:
    forget_request_memo()
