# E-office image: the same image runs the web server (gunicorn), the Celery worker and beat.
# Build: docker compose build   ·   Run: docker compose up -d   (see docs/operations.md)
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# WeasyPrint needs Pango; fonts with Vietnamese glyphs for PDFs; gettext for compilemessages;
# postgresql-client for pg_dump/pg_restore backups from inside the stack.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b fonts-dejavu-core fonts-liberation \
        gettext postgresql-client curl \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.txt .
RUN pip install -r requirements.txt

COPY . .
# Static files and translations are built into the image; DEBUG off selects the hashed manifest storage.
RUN DEBUG=False SECRET_KEY=build-only-not-secret-0123456789abcdefghijklmnopqrstuvwxyz-build \
        DATABASE_URL=sqlite:////tmp/build.sqlite3 \
        python manage.py collectstatic --noinput -v 0 \
    && python manage.py compilemessages --ignore=.venv -v 0 \
    && rm -f /tmp/build.sqlite3

RUN useradd --system --uid 10001 --home-dir /app eoffice \
    && mkdir -p /data/media /data/beat /app/var/broker \
    && chown -R eoffice /data /app/var
USER eoffice
VOLUME ["/data/media"]
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD curl -fsS http://127.0.0.1:8000/healthz || exit 1

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", \
     "--access-logfile", "-", "--forwarded-allow-ips", "*", "--timeout", "60"]
