"""Background jobs of the office app."""

from celery import shared_task
from django.utils import timezone

from office.models import Heartbeat


@shared_task(name="office.tasks.heartbeat")
def heartbeat() -> None:
    """Beat → worker round trip; /healthz reads its time to know both are alive."""
    Heartbeat.objects.update_or_create(name="worker", defaults={"at": timezone.now()})
