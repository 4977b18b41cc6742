"""The year's Sổ đăng ký văn bản đến as printed (PDF, A4 landscape) and as a spreadsheet.

Columns (1)–(10) of NĐ 30/2020 Phụ lục IV, Mục VI (vn-standards.md §1.5): ngày đến, số đến,
tác giả, số ký hiệu, ngày tháng, tên loại và trích yếu, đơn vị hoặc người nhận, ngày chuyển,
ký nhận, ghi chú. PDF by WeasyPrint with a serif font that carries Vietnamese diacritics.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.utils import timezone

from documents.models import Assignment, AssignmentKind, AssignmentState, IncomingDocument
from documents.services import visibility
from office.models import Organisation, Staff

COLUMNS = [
    "Ngày đến",
    "Số đến",
    "Tác giả",
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Đơn vị hoặc người nhận",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]


@dataclass
class RegisterRow:
    doc: IncomingDocument
    recipients: str
    handed_over: str
    receipt: str
    note: str

    def cells(self) -> list[str]:
        d = self.doc
        return [
            timezone.localtime(d.received_at).strftime("%H:%M %d/%m/%Y"),
            f"{d.number:02d}",
            d.sender,
            d.symbol,
            d.issued_date.strftime("%d/%m/%Y"),
            f"{d.doc_type.name}: {d.summary}",
            self.recipients,
            self.handed_over,
            self.receipt,
            self.note,
        ]


def register_rows(staff: Staff, year: int) -> list[RegisterRow]:
    docs = (
        visibility.visible_incoming(staff)
        .filter(register__year=year, register__confidential=False)
        .select_related("doc_type")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.exclude(kind=AssignmentKind.DISTRIBUTE).select_related(
                    "holder", "unit", "parent"
                ),
            )
        )
        .order_by("number")
    )
    rows = []
    for doc in docs:
        # Column (7): the units or people the leader handed the document to (the first level of the route).
        first_level = [
            s
            for s in doc.assignments.all()
            if s.kind in (AssignmentKind.UNIT, AssignmentKind.HANDLE)
            and (s.parent is None or s.parent.kind == "distribute")
        ]
        names = []
        for s in first_level:
            name = s.unit.name if s.kind == AssignmentKind.UNIT and s.unit_id else s.holder.full_name
            if name not in names:
                names.append(name)
        handed = min((s.created_at for s in first_level), default=None)
        received = [s for s in first_level if s.state == AssignmentState.DONE]
        rows.append(
            RegisterRow(
                doc=doc,
                recipients="; ".join(names),
                handed_over=timezone.localtime(handed).strftime("%d/%m/%Y") if handed else "",
                receipt="Đã nhận trên hệ thống" if received or doc.status == "done" else "",
                note="; ".join(
                    x for x in [doc.get_urgency_display() if doc.urgency != "thuong" else "", doc.notes] if x
                ),
            )
        )
    return rows


def register_pdf(organisation: Organisation, year: int, rows: list[RegisterRow]) -> bytes:
    from weasyprint import HTML

    html = render_to_string(
        "documents/register_print.html",
        {"org": organisation, "year": year, "columns": COLUMNS, "rows": [r.cells() for r in rows]},
    )
    return HTML(string=html).write_pdf()


def register_xlsx(organisation: Organisation, year: int, rows: list[RegisterRow]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    wb = Workbook()
    ws = wb.active
    ws.title = f"So den {year}"
    ws.append([organisation.name.upper()])
    ws.append([f"SỔ ĐĂNG KÝ VĂN BẢN ĐẾN NĂM {year}"])
    ws.append(COLUMNS)
    ws.append([f"({i})" for i in range(1, len(COLUMNS) + 1)])
    for row in rows:
        ws.append(row.cells())
    for cell in ws[3]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    ws["A1"].font = ws["A2"].font = Font(bold=True)
    for letter, width in zip("ABCDEFGHIJ", [16, 8, 28, 18, 12, 60, 30, 12, 18, 20], strict=True):
        ws.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()
