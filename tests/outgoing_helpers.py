"""Helpers for outgoing-document tests."""

from __future__ import annotations

from documents.models import DocumentType, OutgoingDocument
from documents.services import outgoing
from office.models import Sector, Unit


def draft(
    drafter, type_code: str = "quyet_dinh", unit: str | None = None, sector: str | None = None, **kw
) -> OutgoingDocument:
    return outgoing.create_draft(
        drafter,
        doc_type=DocumentType.objects.get(code=type_code),
        summary=kw.pop("summary", "Quyết định về việc phân công nhiệm vụ"),
        drafting_unit=Unit.objects.get(code=unit) if unit else None,
        sector=Sector.objects.get(code=sector) if sector else None,
        **kw,
    )


def approved(drafter, **kw) -> OutgoingDocument:
    doc = draft(drafter, **kw)
    outgoing.approve(doc)
    return doc
