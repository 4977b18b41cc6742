"""The phiếu trình as a printable PDF (WeasyPrint): proposal, every round's opinions, the
office leaders' box (000 Điều 6.3: an empty box is printed as agreement with the specialist)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from documents.models import Submission


def render(sub: Submission) -> bytes:
    from weasyprint import HTML

    steps = list(sub.steps.all())
    html = render_to_string(
        "documents/submission_print.html",
        {
            "sub": sub,
            "org": sub.organisation,
            "steps": steps,
            "printed": timezone.localtime(),
        },
    )
    return HTML(string=html).write_pdf()
