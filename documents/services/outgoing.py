"""Outgoing documents  # văn bản đi: draft → approved → signed → numbered and issued.

NĐ 30/2020 (vn-standards.md §1.3, §1.6): the number is given after the signature (Điều
15.2), from 01 on 1 January in one yearly series per register, classified documents in
their own series; the printed number has a leading zero below 10 (PL I II.3.c); the
symbol joins the type's abbreviation and the office's (`15/QĐ-VP`), a công văn carries
the drafting unit's abbreviation (`12/VP-TH`); Party offices write `60-QĐ/VPTU` and
`125-CV/VPTU` (Hướng dẫn 36-HD/VPTW). The type is stored apart from its abbreviation
(Party «QĐ» is both Quyết định and Quy định: rules.document_types.abbreviations).
"""

from __future__ import annotations

import io

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from config.api import Conflict
from documents.models import (
    Attachment,
    Confidentiality,
    Direction,
    DocumentType,
    IncomingDocument,
    IncomingResult,
    IncomingStatus,
    OutgoingDocument,
    OutgoingStatus,
    SigningCapacity,
)
from documents.services import files as file_checks
from documents.services import numbering
from documents.services.signing import check_signature
from office.models import Organisation, Position, Sector, Staff, SymbolStyle, Unit


def type_abbreviation(org: Organisation, doc_type: DocumentType) -> str:
    return org.rule(f"document_types.abbreviations.{doc_type.code}", doc_type.abbreviation)


def build_symbol(org: Organisation, doc_type: DocumentType, unit: Unit, number: int) -> str:
    """`15/QĐ-VP`, `05/QĐ-VP`, `12/VP-TH` (state) or `60-QĐ/VPTU`, `125-CV/VPTU` (Party)."""
    n = f"{number:02d}"
    abbr = type_abbreviation(org, doc_type)
    if org.symbol_style == SymbolStyle.PARTY:
        return f"{n}-{abbr or 'CV'}/{org.abbreviation}"
    if not abbr:  # công văn: office + drafting unit (NĐ 30 PL I II.3.b)
        return f"{n}/{org.abbreviation}-{unit.abbreviation or unit.code.upper()}"
    return f"{n}/{abbr}-{org.abbreviation}"


@transaction.atomic
def create_draft(
    drafter: Staff,
    *,
    doc_type: DocumentType,
    summary: str,
    drafting_unit: Unit | None = None,
    sector: Sector | None = None,
    urgency: str = "thuong",
    confidentiality: str = Confidentiality.THUONG,
    answers: IncomingDocument | None = None,
    draft: UploadedFile | None = None,
) -> OutgoingDocument:
    unit = drafting_unit or next((p.unit for p in drafter.posts.all() if p.unit_id), None)
    errors: dict[str, list[str]] = {}
    if not summary.strip():
        errors["summary"] = ["Nhập trích yếu của văn bản."]
    if unit is None:
        errors["drafting_unit"] = ["Chọn đơn vị soạn thảo."]
    elif unit.organisation_id != drafter.organisation_id:
        errors["drafting_unit"] = ["Đơn vị soạn thảo không thuộc cơ quan."]
    if answers is not None and answers.organisation_id != drafter.organisation_id:
        errors["incoming"] = ["Văn bản đến được trả lời không thuộc cơ quan."]
    checked = None
    if draft is not None:
        try:
            checked = file_checks.check_upload(draft)
        except ValidationError as exc:
            errors["draft"] = exc.messages
    if errors:
        raise ValidationError(errors)
    doc = OutgoingDocument.objects.create(
        organisation_id=drafter.organisation_id, doc_type=doc_type, summary=summary.strip(), drafting_unit=unit,
        drafter=drafter, sector=sector, urgency=urgency, confidentiality=confidentiality, answers=answers,
    )  # fmt: skip
    if draft is not None and checked is not None:
        add_version(doc, draft, drafter, checked=checked)
    return doc


def add_version(
    doc: OutgoingDocument, upload: UploadedFile, by: Staff, *, checked: tuple[str, str, int] | None = None
) -> Attachment:
    """A new version of the draft; earlier versions stay stored and readable."""
    from django.core.files.base import ContentFile

    content_type, sha256, size = checked or file_checks.check_upload(upload)
    current = doc.files.filter(superseded_by__isnull=True).first()
    upload.seek(0)
    attachment = Attachment(
        outgoing=doc, original_name=upload.name[:255], content_type=content_type, sha256=sha256, size=size,
        uploaded_by=by,
    )  # fmt: skip
    attachment.file.save(sha256, ContentFile(upload.read()), save=False)
    attachment.save()
    if current is not None:
        current.superseded_by = attachment
        current.save(update_fields=["superseded_by"])
    return attachment


def approve(doc: OutgoingDocument) -> None:
    """The approval sheet's last step approved the draft: it may now be signed."""
    if doc.status != OutgoingStatus.DRAFT:
        raise Conflict("Văn bản không ở trạng thái dự thảo.")
    doc.status = OutgoingStatus.APPROVED
    doc.save(update_fields=["status"])


@transaction.atomic
def sign(doc: OutgoingDocument, signer: Staff, capacity: str = "") -> OutgoingDocument:
    """Sign in a capacity; refused (with the reason) when the signer lacks the right."""
    doc = OutgoingDocument.objects.select_for_update().get(pk=doc.pk)
    if capacity not in SigningCapacity.values:
        raise ValidationError({"capacity": ["Thẩm quyền ký không hợp lệ (trống, KT, TL, TUQ, Q)."]})
    if doc.status != OutgoingStatus.APPROVED:
        raise Conflict(
            "Văn bản chưa được duyệt qua phiếu trình, không thể ký."
            if doc.status == OutgoingStatus.DRAFT
            else "Văn bản đã được ký."
        )
    decision = check_signature(signer, doc, capacity)
    if not decision.allowed:
        raise PermissionDenied(decision.reason)
    doc.signer = signer
    doc.signed_capacity = capacity
    doc.signed_for = decision.signed_for if capacity else None
    doc.signed_for_title = decision.rule.principal_title if capacity and decision.rule else ""
    doc.signed_at = timezone.now()
    doc.status = OutgoingStatus.SIGNED
    doc.save(update_fields=["signer", "signed_capacity", "signed_for", "signed_for_title", "signed_at", "status"])
    return doc


@transaction.atomic
def issue(doc: OutgoingDocument, clerk: Staff, recipients: list[str], retention: str = "") -> OutgoingDocument:
    """Phát hành: the clerk checks, numbers and issues a signed document (NĐ 30 Điều 15–18)."""
    doc = (
        OutgoingDocument.objects.select_for_update()
        .select_related("organisation", "doc_type", "drafting_unit")
        .get(pk=doc.pk)
    )
    if not clerk.holds(Position.VAN_THU):
        raise PermissionDenied("Chỉ văn thư được cấp số và phát hành văn bản.")
    if doc.status == OutgoingStatus.ISSUED:
        raise Conflict("Văn bản đã được phát hành.")
    if doc.status != OutgoingStatus.SIGNED:
        raise Conflict("Văn bản chưa được ký, không thể cấp số và phát hành.")
    recipients = [r.strip() for r in recipients if r and r.strip()]
    if not recipients:
        raise ValidationError({"recipients": ["Nơi nhận không được để trống."]})
    register, number = numbering.take_number(
        doc.organisation_id,
        Direction.OUTGOING,
        timezone.localdate().year,
        doc.confidentiality != Confidentiality.THUONG,
    )
    doc.register = register
    doc.number = number
    doc.symbol = build_symbol(doc.organisation, doc.doc_type, doc.drafting_unit, number)
    doc.recipients = recipients
    unit_abbr = doc.drafting_unit.abbreviation or doc.drafting_unit.code.upper()
    doc.retention = retention.strip() or doc.organisation.rule("retention_line", "") or f"Lưu: VT, {unit_abbr}."
    doc.issued_at = timezone.now()
    doc.issued_by = clerk
    doc.status = OutgoingStatus.ISSUED
    doc.save()
    if doc.answers_id:
        _answer(doc, clerk)
    return doc


def _answer(doc: OutgoingDocument, clerk: Staff) -> None:
    """An outgoing reply closes the incoming document it answers, or records itself on a closed one."""
    from documents.services import routing

    incoming = IncomingDocument.objects.select_for_update().get(pk=doc.answers_id)
    incoming.answered_by_symbol = doc.symbol
    if incoming.status != IncomingStatus.DONE:
        for step in incoming.assignments.filter(state="open"):
            routing._close_step(step, clerk)
        incoming.status = IncomingStatus.DONE
        incoming.result = IncomingResult.ANSWERED
        incoming.closed_at = timezone.now()
    incoming.save(update_fields=["answered_by_symbol", "status", "result", "closed_at"])
    routing.log(incoming, clerk, "answered", f"Đã trả lời bằng văn bản số {doc.symbol}.")


def signature_block(doc: OutgoingDocument) -> list[str]:
    """«KT. CHÁNH VĂN PHÒNG / PHÓ CHÁNH VĂN PHÒNG / name» by capacity (NĐ 30 PL I, vn-standards §1.9)."""
    if doc.signer is None:
        return []
    labels = doc.organisation.rule("capacity_labels", {}) or {}
    own_title = next(
        (p.display_title for p in doc.signer.posts.all() if p.position in (Position.CHANH_VP, Position.PHO_CHANH_VP)),
        doc.signer.main_post.display_title if doc.signer.main_post else "",
    )
    lines = []
    if doc.signed_capacity:
        principal_title = "CHÁNH VĂN PHÒNG"
        if doc.signed_for_title:  # «TL. CHỦ TỊCH», «T/L BAN THƯỜNG VỤ»: a principal outside the office
            principal_title = doc.signed_for_title
        elif doc.signed_for is not None and doc.signed_for.main_post:
            principal_title = doc.signed_for.main_post.display_title.upper()
        lines.append(f"{labels.get(doc.signed_capacity, doc.signed_capacity + '.')} {principal_title}")
    lines.append(own_title.upper())
    lines.append(doc.signer.full_name)
    return lines


def render_pdf(doc: OutgoingDocument) -> bytes:
    from weasyprint import HTML

    org = doc.organisation
    date = timezone.localtime(doc.issued_at or doc.signed_at or timezone.now())
    html = render_to_string(
        "documents/outgoing_print.html",
        {
            "doc": doc,
            "org": org,
            "is_party": org.symbol_style == SymbolStyle.PARTY,
            "header": org.rule("header", {}) or {},
            "place_date": f"{org.place_name or org.province}, ngày {date:%d} tháng {date:%m} năm {date.year}",
            "signature": signature_block(doc),
        },
    )
    buffer = io.BytesIO()
    HTML(string=html).write_pdf(buffer)
    return buffer.getvalue()
