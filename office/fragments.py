"""Row fragments  # các dòng của danh sách: long lists rendered with Jinja2.

The inbox and the register print 50 rows of a dozen cells on every page view; in Django's
template language that alone took 7 ms of a 45 ms page on the benchmark machine. These rows
live in templates/jinja2/ (autoescaped, plain markup, no logic) and are rendered here; the page
around them stays a Django template and receives the rows as safe HTML.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe


def render_rows(template_name: str, context: dict) -> SafeString:
    """The rows of a list as HTML, from templates/jinja2/<template_name> (escaped by Jinja2)."""
    return mark_safe(render_to_string(template_name, context, using="jinja2"))  # noqa: S308 — autoescaped
