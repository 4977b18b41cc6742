"""Helpers to register incoming documents in tests."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from itertools import count

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import DocumentType, IncomingDocument
from documents.services import registration

_seq = count(1)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "van-ban.pdf", body: bytes = PDF_BYTES) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def docx(name: str = "du-thao.docx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/octet-stream")


def received(days_ago: int = 0) -> dt.datetime:
    """A moment already past: today's first minutes, or a day some days ago at 09:00."""
    if days_ago == 0:
        return timezone.localtime().replace(hour=0, minute=1, second=0, microsecond=0)
    day = timezone.localdate() - dt.timedelta(days=days_ago)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 0)))


def data(**overrides) -> registration.IncomingData:
    n = next(_seq)
    values = {
        "sender": "Sở Tài chính tỉnh Hà Tĩnh",
        "symbol": f"{n}/STC-NS",
        "issued_date": timezone.localdate() - dt.timedelta(days=1),
        "doc_type": DocumentType.objects.get(code="cong_van"),
        "summary": f"V/v đề nghị bổ sung dự toán ngân sách năm 2026 (lần {n})",
        "received_at": received(),
    }
    values.update(overrides)
    return registration.IncomingData(**values)


def register(clerk, **overrides) -> IncomingDocument:
    return registration.register_incoming(clerk, data(**overrides))
