"""The app as gunicorn serves it in the benchmark, plus minimal raw-SQL views under /_raw/<name>/.

A raw view authenticates by token with one query and runs the same SQL as the page it
shadows, with no middleware, ORM, serializer or template: the difference is the cost of
the framework. It exists only in this WSGI module, never in the product's URLs.
"""

from __future__ import annotations

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
django_application = get_wsgi_application()

from django.db import connection  # noqa: E402

from bench import registry  # noqa: E402

registry.discover()
RAW_PREFIX = "/_raw/"


def raw_application(environ, start_response):
    name = environ["PATH_INFO"][len(RAW_PREFIX) :].strip("/")
    view = registry.RAW_VIEWS.get(name)
    auth = environ.get("HTTP_AUTHORIZATION", "")
    with connection.cursor() as cursor:
        user_id = None
        if auth.startswith("Token "):
            cursor.execute("SELECT user_id FROM authtoken_token WHERE key = %s", [auth[6:]])
            row = cursor.fetchone()
            user_id = row[0] if row else None
        if view is None or user_id is None:
            start_response("404 Not Found" if view is None else "401 Unauthorized", [("Content-Length", "0")])
            return [b""]
        body = view(cursor, user_id)
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]


def application(environ, start_response):
    if environ.get("PATH_INFO", "").startswith(RAW_PREFIX):
        return raw_application(environ, start_response)
    return django_application(environ, start_response)
