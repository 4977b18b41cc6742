"""Phiếu trình and văn bản đi in a Party office: binhthuan-tinhuy (seed 002, Quy chế 60-QĐ/VPTU)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from documents.models import DocumentType
from documents.services import outgoing, signing, submissions
from documents.services.submissions import StepKind
from office.services.delegation import create_delegation

from .incoming_helpers import docx
from .outgoing_helpers import approved


def test_party_symbols_number_with_a_dash_and_keep_qd_for_quy_dinh(binhthuan, person):
    """002 L28, L38 and Hướng dẫn 36-HD/VPTW: «60-QĐ/VPTU», «1363-QĐ/TU» for a Quy định, «…-CV/…»."""
    clerk, chanh = person("bt.vanthu1"), person("bt.chanhvp")

    def issue(type_code):
        doc = approved(person("bt.tonghop.cv1"), type_code=type_code, unit="tonghop")
        outgoing.sign(doc, chanh, "")
        return outgoing.issue(doc, clerk, ["Các ban đảng Tỉnh ủy"])

    assert issue("quyet_dinh").symbol == "01-QĐ/VPTU"
    quy_dinh = issue("quy_dinh")
    assert quy_dinh.symbol == "02-QĐ/VPTU" and quy_dinh.doc_type.name == "Quy định"  # type kept apart
    assert issue("cong_van").symbol == "03-CV/VPTU"
    assert quy_dinh.retention == "Lưu Văn phòng Tỉnh ủy."


def test_pho_chanh_signs_kt_only_invitations_and_notices_of_their_field(binhthuan, person):
    """002 Điều 4.7 (L507–L515): K/T invitations to BTV/TTTU meetings and notices, in the assigned field."""
    letter = approved(person("bt.tonghop.cv1"), type_code="giay_moi", unit="tonghop")
    outgoing.sign(letter, person("bt.pcvp1"), "KT")
    letter.refresh_from_db()
    assert outgoing.signature_block(letter)[0] == "K/T CHÁNH VĂN PHÒNG"
    other_field = approved(person("bt.tonghop.cv1"), type_code="giay_moi", unit="tonghop")
    assert "ngoài phạm vi" in signing.check_signature(person("bt.pcvp2"), other_field, "KT").reason
    decision = approved(person("bt.tonghop.cv1"), type_code="quyet_dinh", unit="tonghop")
    with pytest.raises(PermissionDenied, match="ủy quyền"):
        outgoing.sign(decision, person("bt.pcvp1"), "KT")


def test_pho_chanh_signs_other_documents_when_the_chanh_authorises_it(binhthuan, person):
    """002 L515–L517: «một số văn bản khác khi được Chánh Văn phòng ủy quyền»."""
    today = timezone.localdate()
    create_delegation(principal=person("bt.chanhvp"), deputy=person("bt.pcvp3"), scope="sign", start=today, end=today)
    doc = approved(person("bt.tonghop.cv1"), type_code="quyet_dinh", unit="tonghop")
    outgoing.sign(doc, person("bt.pcvp3"), "KT")


def test_head_of_hctd_signs_tl_only_while_authorised(binhthuan, person):
    """002 Điều 7.4 (L683–L685): «thừa lệnh Chánh Văn phòng ký … theo sự ủy quyền»."""
    head = person("bt.hctd.truong")
    paper = approved(person("bt.hctd.cv1"), type_code="giay_gioi_thieu", unit="hctd")
    assert not signing.check_signature(head, paper, "TL").allowed
    signing.grant_standing_authorisation(head, DocumentType.objects.get(code="giay_gioi_thieu"))
    paper = outgoing.sign(paper, head, "TL")
    assert outgoing.signature_block(paper)[0] == "T/L CHÁNH VĂN PHÒNG"


def test_sheet_goes_head_then_supervising_pho_chanh_then_chanh(binhthuan, person):
    sub = submissions.submit(
        person("bt.tonghop.cv1"), title="Dự thảo giấy mời họp Ban Thường vụ", summary="Trình ký",
        doc_type=DocumentType.objects.get(code="giay_moi"), draft=docx(),
    )  # fmt: skip
    kinds = [(s.kind, s.opinions.get().holder.user.username) for s in sub.steps.all()]
    assert kinds == [
        (StepKind.UNIT_HEAD, "bt.tonghop.truong"),
        (StepKind.OFFICE_LEADER, "bt.pcvp1"),
        (StepKind.CHANH, "bt.chanhvp"),
    ]


def test_party_pdf_carries_the_party_header(binhthuan, person):
    from pypdf import PdfReader

    doc = approved(
        person("bt.tonghop.cv1"), type_code="quyet_dinh", unit="tonghop", summary="Về việc kiện toàn Tổ giúp việc"
    )
    outgoing.sign(doc, person("bt.chanhvp"), "")
    doc = outgoing.issue(doc, person("bt.vanthu1"), ["Các đồng chí Thường trực Tỉnh ủy"])
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(outgoing.render_pdf(doc))).pages)
    for words in ["ĐẢNG CỘNG SẢN VIỆT NAM", "TỈNH ỦY BÌNH THUẬN", "Số: 01-QĐ/VPTU", "Về việc kiện toàn Tổ giúp việc"]:
        assert words in text, words


def test_chanh_signs_invitations_tl_for_the_ban_thuong_vu_and_nothing_else_that_way(binhthuan, person):
    """002 Điều 3.8 (L326–L332): «Thừa lệnh Ban Thường vụ Tỉnh ủy ký giấy mời họp …, thông báo kết luận»."""
    invitation = approved(person("bt.tonghop.cv1"), type_code="giay_moi", unit="tonghop")
    invitation = outgoing.sign(invitation, person("bt.chanhvp"), "TL")
    assert outgoing.signature_block(invitation)[:2] == ["T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG"]
    from pypdf import PdfReader

    pdf = PdfReader(io.BytesIO(outgoing.render_pdf(invitation)))
    assert "T/L BAN THƯỜNG VỤ" in " ".join(" ".join(p.extract_text().split()) for p in pdf.pages)
    letter = approved(person("bt.tonghop.cv1"), type_code="cong_van", unit="tonghop")
    with pytest.raises(PermissionDenied, match="thẩm quyền ký «T"):
        outgoing.sign(letter, person("bt.chanhvp"), "TL")
