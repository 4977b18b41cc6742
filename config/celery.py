"""Celery application.

With REDIS_URL set the broker is Redis (production, CI). Without it the broker is
kombu's filesystem transport under var/broker, so `make run` fires background jobs
on a fresh machine with no Redis installed (the embedded default).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("eoffice")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
