"""Registering an incoming document  # vào sổ văn bản đến.

NĐ 30/2020 Điều 22 (vn-standards.md §1.4–1.5): the văn thư enters the document in the
Sổ đăng ký văn bản đến; the số đến runs from 1 on 1 January in the order received, with
no gap and no duplicate (Điều 22.2); classified documents have their own register and
series (Điều 15.2, 22.4). A probable duplicate (same sender, số ký hiệu and date) is
flagged before saving (PL VI III.1.h). Registration is one transaction: a rejected
registration writes nothing and consumes no number.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from documents.models import (
    URGENCY_RANK,
    Attachment,
    Confidentiality,
    Direction,
    DocumentType,
    IncomingDocument,
    Urgency,
)
from documents.services import files as file_checks
from documents.services import numbering, routing, search, visibility
from office.models import Position, Sector, Staff

# State style «125/UBND-TH», «30/2020/NĐ-CP», «15/QĐ-VP», «12/QyĐ-UBND» (NĐ 30 PL I II.3);
# Party style «60-QĐ/VPTU», «125-CV/TU», «05-TB/BTGTU» (Hướng dẫn 36-HD/VPTW).
_ABBR = r"[A-ZĐ][A-Za-zĐđ0-9]*"
STATE_SYMBOL = re.compile(rf"^\d+(/\d{{4}})?/{_ABBR}(-{_ABBR})*$")
PARTY_SYMBOL = re.compile(rf"^\d+-{_ABBR}(-{_ABBR})*(/{_ABBR}(-{_ABBR})*)+$")


def clean_symbol(raw: str) -> str:
    """Strip a leading «Số:» and spaces; raise if it is not a document symbol of either style."""
    symbol = re.sub(r"^\s*(số|so)\s*:?\s*", "", raw or "", flags=re.IGNORECASE)
    symbol = re.sub(r"\s*([/-])\s*", r"\1", symbol).strip()  # «125 / UBND - TH» → «125/UBND-TH»
    if not (STATE_SYMBOL.match(symbol) or PARTY_SYMBOL.match(symbol)):
        raise ValidationError(
            {
                "symbol": [
                    f"«{raw}» không phải số, ký hiệu văn bản hợp lệ. Ví dụ: 125/UBND-TH (cơ quan nhà nước) "
                    "hoặc 60-QĐ/VPTU (cơ quan Đảng)."
                ]
            }
        )
    return symbol


@dataclass
class IncomingData:
    """What the văn thư enters (the fields of the Sổ đăng ký văn bản đến)."""

    sender: str
    symbol: str
    issued_date: dt.date
    doc_type: DocumentType
    summary: str
    received_at: dt.datetime
    urgency: str = Urgency.THUONG
    confidentiality: str = Confidentiality.THUONG
    pages: int | None = None
    sender_deadline: dt.date | None = None
    sector: Sector | None = None
    notes: str = ""
    handled_before_registration: bool = False
    late_registration_reason: str = ""
    files: list[UploadedFile] = field(default_factory=list)


def probable_duplicates(organisation_id: int, sender: str, symbol: str, issued_date: dt.date):
    """Documents already registered with the same sender, số ký hiệu and date (PL VI III.1.h)."""
    return IncomingDocument.objects.filter(
        organisation_id=organisation_id,
        sender__iexact=sender.strip(),
        symbol__iexact=symbol,
        issued_date=issued_date,
    ).select_related("register")


def _validate(clerk: Staff, data: IncomingData) -> list[tuple[str, str, str, int]]:
    errors: dict[str, list[str]] = {}

    def err(key: str, msg: str) -> None:
        errors.setdefault(key, []).append(msg)

    if not clerk.holds(Position.VAN_THU):
        raise ValidationError({"non_field_errors": ["Chỉ văn thư được vào sổ văn bản đến."]})
    if not (data.sender or "").strip():
        err("sender", "Nhập cơ quan ban hành.")
    if not (data.summary or "").strip():
        err("summary", "Nhập trích yếu nội dung.")
    try:
        data.symbol = clean_symbol(data.symbol)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    now = timezone.now()
    if data.received_at > now + dt.timedelta(minutes=5):
        err("received_at", "Ngày, giờ đến không được ở tương lai.")
    received_day = timezone.localtime(data.received_at).date()
    if data.issued_date and data.issued_date > received_day:
        err("issued_date", "Ngày văn bản không được sau ngày đến.")
    if data.sender_deadline and data.sender_deadline < received_day:
        err("sender_deadline", "Hạn xử lý không được trước ngày đến.")
    if data.urgency not in Urgency.values:
        err("urgency", "Độ khẩn không hợp lệ.")
    if data.confidentiality not in Confidentiality.values:
        err("confidentiality", "Độ mật không hợp lệ.")
    if data.pages is not None and data.pages < 1:
        err("pages", "Số trang phải từ 1 trở lên.")
    if data.sector is not None and data.sector.organisation_id != clerk.organisation_id:
        err("sector", "Lĩnh vực không thuộc cơ quan.")
    if data.handled_before_registration and not data.late_registration_reason.strip():
        err(
            "late_registration_reason",
            "Văn bản đã xử lý trước khi vào sổ phải ghi rõ lý do và lãnh đạo chỉ đạo (Quy chế, Điều 11 khoản 9).",
        )
    checked: list[tuple[str, str, str, int]] = []
    for upload in data.files:
        try:
            content_type, sha256, size = file_checks.check_upload(upload)
            checked.append((upload.name, content_type, sha256, size))
        except ValidationError as exc:
            err("files", exc.messages[0])
    if errors:
        raise ValidationError(errors)
    return checked


@transaction.atomic
def register_incoming(clerk: Staff, data: IncomingData, *, confirm_duplicate: bool = False) -> IncomingDocument:
    """Enter a document in the register, store its files, and present it to the distributing leader."""
    checked = _validate(clerk, data)
    if not confirm_duplicate:
        dup = probable_duplicates(clerk.organisation_id, data.sender, data.symbol, data.issued_date).first()
        if dup is not None:
            raise ValidationError(
                {
                    "duplicate": [
                        f"Có thể trùng văn bản đã vào sổ: số đến {dup.number} ({dup.register.name}), cùng cơ quan "
                        f"ban hành, số ký hiệu {dup.symbol} và ngày {dup.issued_date:%d/%m/%Y}. "
                        "Kiểm tra lại; nếu đúng là văn bản khác, xác nhận để vào sổ."
                    ]
                }
            )
    year = timezone.localtime(data.received_at).year
    register, number = numbering.take_number(
        clerk.organisation_id, Direction.INCOMING, year, data.confidentiality != Confidentiality.THUONG
    )
    doc = IncomingDocument(
        organisation_id=clerk.organisation_id,
        register=register,
        number=number,
        received_at=data.received_at,
        sender=data.sender.strip(),
        symbol=data.symbol,
        issued_date=data.issued_date,
        doc_type=data.doc_type,
        summary=data.summary.strip(),
        urgency=data.urgency,
        urgency_rank=URGENCY_RANK[data.urgency],
        confidentiality=data.confidentiality,
        pages=data.pages,
        sender_deadline=data.sender_deadline,
        sector=data.sector,
        notes=data.notes,
        handled_before_registration=data.handled_before_registration,
        late_registration_reason=data.late_registration_reason.strip(),
        registered_by=clerk,
    )
    doc.search_text = search.incoming_search_text(doc)
    doc.save()
    for upload, (name, content_type, sha256, size) in zip(data.files, checked, strict=True):
        store_file(doc, upload, name=name, content_type=content_type, sha256=sha256, size=size, by=clerk)
    visibility.grant(doc, clerk)
    text = f"Vào sổ: số đến {doc.number}, {register.name}."
    if doc.handled_before_registration:
        text += f" Đã xử lý trước khi vào sổ: {doc.late_registration_reason}"
    routing.log(doc, clerk, "register", text)
    routing.present_to_distributor(doc, by=clerk)
    return doc


def store_file(
    doc: IncomingDocument,
    upload: UploadedFile,
    *,
    name: str,
    content_type: str,
    sha256: str,
    size: int,
    by: Staff,
    supersedes: Attachment | None = None,
) -> Attachment:
    upload.seek(0)
    attachment = Attachment(
        incoming=doc, original_name=name[:255], content_type=content_type, sha256=sha256, size=size, uploaded_by=by
    )
    attachment.file.save(sha256, ContentFile(upload.read()), save=False)
    attachment.save()
    if supersedes is not None:
        supersedes.superseded_by = attachment
        supersedes.save(update_fields=["superseded_by"])
    return attachment


@transaction.atomic
def add_file_version(
    doc: IncomingDocument, upload: UploadedFile, by: Staff, supersedes: Attachment | None
) -> Attachment:
    """Add a file, or a new version of one; the old version stays stored and readable."""
    try:
        content_type, sha256, size = file_checks.check_upload(upload)
    except ValidationError as exc:
        raise ValidationError({"files": exc.messages}) from exc
    if supersedes is not None and (supersedes.incoming_id != doc.pk or supersedes.superseded_by_id):
        raise ValidationError({"files": ["Chỉ thay được phiên bản hiện hành của tệp thuộc văn bản này."]})
    attachment = store_file(
        doc, upload, name=upload.name, content_type=content_type, sha256=sha256, size=size, by=by, supersedes=supersedes
    )
    routing.log(doc, by, "file", f"Thêm tệp «{attachment.original_name}»" + (" (phiên bản mới)" if supersedes else ""))
    return attachment
