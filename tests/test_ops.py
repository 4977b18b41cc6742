"""Operations: the Docker Compose stack is complete and healthy by construction, the image is
built without secrets or downloaded browsers, logs can be JSON, and /healthz tells the truth
about the database, the broker and the worker.

Docker does not run on the CI machine, so the compose file is checked as data.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from unittest import mock

import pytest
import yaml
from django.utils import timezone

from office.models import Heartbeat

BASE_DIR = Path(__file__).resolve().parent.parent
APP_SERVICES = {"web", "worker", "beat"}


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8"))


def test_compose_brings_up_web_worker_beat_postgres_and_redis(compose):
    services = compose["services"]
    assert set(services) == {"web", "worker", "beat", "db", "redis"}
    assert services["db"]["image"] == "postgres:15"
    assert services["redis"]["image"] == "redis:7"
    assert "gunicorn config.wsgi:application" in services["web"]["command"]
    assert "celery -A config worker" in services["worker"]["command"]
    assert "celery -A config beat" in services["beat"]["command"]
    assert all(services[s]["build"] == "." for s in APP_SERVICES), "one image for web, worker and beat"


def test_every_service_has_a_health_check_and_restarts(compose):
    for name, service in compose["services"].items():
        check = service.get("healthcheck")
        assert check and check["test"], f"{name} has no health check"
        assert check["test"][0] in ("CMD", "CMD-SHELL"), name
        assert service.get("restart") == "unless-stopped", name
    assert any("/healthz" in part for part in compose["services"]["web"]["healthcheck"]["test"])


def test_app_services_wait_for_a_healthy_database_and_broker(compose):
    for name in APP_SERVICES:
        depends = compose["services"][name]["depends_on"]
        assert depends == {"db": {"condition": "service_healthy"}, "redis": {"condition": "service_healthy"}}, name


def test_data_lives_in_named_volumes(compose):
    declared = set(compose["volumes"])
    assert {"pgdata", "media", "redisdata"} <= declared
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if not source.startswith((".", "/")):
                used.add(source)
    assert used == declared, f"declared {declared}, used {used}"
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
    for name in APP_SERVICES:
        assert "media:/data/media" in compose["services"][name]["volumes"], name
        assert compose["services"][name]["environment"]["MEDIA_ROOT"] == "/data/media"


def test_production_settings_and_secrets_come_from_the_environment(compose):
    env = compose["services"]["web"]["environment"]
    assert env["DEBUG"] == "False"
    assert env["LOG_JSON"] == "true"
    assert env["SECRET_KEY"].startswith("${SECRET_KEY:?"), "no default secret key"
    assert "${POSTGRES_PASSWORD:?" in env["DATABASE_URL"] and "@db:5432/" in env["DATABASE_URL"]
    assert env["REDIS_URL"] == "redis://redis:6379/0"
    for name in ("db", "redis"):
        assert "ports" not in compose["services"][name], f"{name} must not be published on the host"


def test_dockerfile_builds_a_slim_non_root_image_with_pdf_fonts():
    text = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    assert text.startswith("#") and "\nFROM python:3.11-slim\n" in text
    for package in ("libpango-1.0-0", "libpangoft2-1.0-0", "fonts-dejavu-core", "postgresql-client"):
        assert package in text
    assert re.search(r"^USER eoffice$", text, re.M), "the app must not run as root"
    assert "collectstatic" in text and "compilemessages" in text
    assert "playwright" not in text.lower(), "no browser in the production image"
    assert "HEALTHCHECK" in text


def test_dockerignore_keeps_secrets_and_local_data_out_of_the_image():
    ignored = set((BASE_DIR / ".dockerignore").read_text(encoding="utf-8").split())
    assert {".git", ".venv", ".env", "var/", "test-artifacts/"} <= ignored


def test_env_example_names_every_required_variable(compose):
    example = (BASE_DIR / "docs" / "env.example").read_text(encoding="utf-8")
    required = set(re.findall(r"\$\{(\w+):\?", (BASE_DIR / "docker-compose.yml").read_text(encoding="utf-8")))
    assert required == {"SECRET_KEY", "POSTGRES_PASSWORD"}
    for name in required:
        assert re.search(rf"^{name}=", example, re.M), name


# --------------------------------------------------------------------------- logs


def test_json_logs_are_one_object_per_line_with_level_logger_and_traceback():
    script = (
        "import django, logging; django.setup();"
        "log = logging.getLogger('eoffice.test');"
        "log.warning('Đã vào sổ văn bản số %s', 15);"
        "\ntry:\n    1 / 0\nexcept ZeroDivisionError:\n    log.exception('Lỗi khi gửi nhắc hạn')"
    )
    env = {**os.environ, "LOG_JSON": "true", "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=BASE_DIR, check=True
    )
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    warning = next(x for x in lines if x["logger"] == "eoffice.test" and x["level"] == "WARNING")
    assert warning["message"] == "Đã vào sổ văn bản số 15"
    assert warning["time"]
    error = next(x for x in lines if x["level"] == "ERROR")
    assert "ZeroDivisionError" in error["exc"]


def test_plain_logs_by_default():
    from django.conf import settings

    assert settings.LOGGING["handlers"]["console"]["formatter"] == ("json" if settings.LOG_JSON else "plain")


# --------------------------------------------------------------------------- /healthz


def test_healthz_is_ok_with_a_recent_worker_heartbeat(db, client):
    from office.tasks import heartbeat

    heartbeat()  # what beat schedules every minute and the worker runs
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "broker": "ok", "worker": "ok"}}


def test_healthz_reports_a_stale_worker_without_failing(db, client):
    Heartbeat.objects.create(name="worker", at=timezone.now() - dt.timedelta(minutes=30))
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json()["checks"]["worker"] == "stale"


def test_healthz_fails_with_503_when_the_broker_is_down(db, client):
    from config.celery import app

    with mock.patch.object(app, "connection_for_write", side_effect=ConnectionRefusedError("broker down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    data = response.json()
    assert data["status"] == "error"
    assert data["checks"]["broker"] == "error: ConnectionRefusedError"
    assert data["checks"]["database"] == "ok"


def test_healthz_fails_with_503_on_a_database_that_was_never_migrated(db, client):
    """A deploy that skipped `migrate`: the load balancer must see 503, not a 500 error page."""
    from django.db import connection

    with connection.cursor() as cursor:  # transactional DDL on both databases: rolled back with the test
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(Heartbeat._meta.db_table)}")
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"].startswith("error: ProgrammingError") or response.json()["checks"][
        "database"
    ].startswith("error: OperationalError")


def test_healthz_needs_no_login_and_reveals_no_detail(db, client):
    body = client.get("/healthz").content.decode()
    assert "password" not in body.lower() and "redis://" not in body and "postgres" not in body
