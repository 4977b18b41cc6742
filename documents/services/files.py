"""Uploaded files: checked by content (not by name), size-limited, SHA-256 stored, never deleted.

Only PDF and DOCX are accepted for documents (issue 3 §2). Files are stored under
MEDIA_ROOT by their hash and served only through permission-checked views.
"""

from __future__ import annotations

import hashlib
import io
import zipfile

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile

PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def sniff_content_type(head: bytes, data_file) -> str | None:
    """What the bytes really are: PDF by its header, DOCX by the OOXML parts inside the zip."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"PK\x03\x04"):
        try:
            data_file.seek(0)
            with zipfile.ZipFile(data_file) as archive:
                names = set(archive.namelist())
        except (zipfile.BadZipFile, OSError):
            return None
        if "[Content_Types].xml" in names and "word/document.xml" in names:
            return DOCX
    return None


def check_upload(upload: UploadedFile) -> tuple[str, str, int]:
    """Validate an upload; returns (content type, sha256, size) or raises a Vietnamese ValidationError."""
    limit = settings.UPLOAD_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            f"Tệp «{upload.name}» có dung lượng {upload.size / 1048576:.1f} MB, vượt giới hạn {limit / 1048576:.0f} MB."
        )
    if upload.size == 0:
        raise ValidationError(f"Tệp «{upload.name}» rỗng.")
    upload.seek(0)
    data = upload.read()
    content_type = sniff_content_type(data[:8], io.BytesIO(data))
    if content_type is None:
        raise ValidationError(
            f"Tệp «{upload.name}» không phải là tệp PDF hoặc DOCX hợp lệ (kiểm tra theo nội dung tệp)."
        )
    upload.seek(0)
    return content_type, hashlib.sha256(data).hexdigest(), len(data)
