"""Signing authority and issuing of outgoing documents (issue 4 §2–5; 000 Điều 29; NĐ 30 Điều 15)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from config.api import Conflict
from documents.models import DocumentType, OutgoingDocument
from documents.services import outgoing, signing
from office.services.delegation import create_delegation, record_absence

from .outgoing_helpers import approved, draft


def test_the_chanh_signs_in_their_own_name(hatinh, person):
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop")
    outgoing.sign(doc, person("ht.chanhvp"), "")
    doc.refresh_from_db()
    assert doc.status == "signed" and doc.signer == person("ht.chanhvp") and doc.signed_capacity == ""


def test_pho_chanh_signs_kt_within_their_own_field(hatinh, person):
    """000 Điều 29.2 (L343): a Phó Chánh signs the documents of the fields and units they supervise."""
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop")  # Phòng Tổng hợp is supervised by pcvp1
    outgoing.sign(doc, person("ht.pcvp1"), "KT")
    doc.refresh_from_db()
    assert doc.signed_for == person("ht.chanhvp")
    assert outgoing.signature_block(doc)[:2] == ["KT. CHÁNH VĂN PHÒNG", "PHÓ CHÁNH VĂN PHÒNG"]


def test_pho_chanh_outside_their_field_is_refused_with_the_reason(hatinh, person):
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop")
    with pytest.raises(PermissionDenied) as exc:
        outgoing.sign(doc, person("ht.pcvp2"), "KT")
    assert "ngoài phạm vi bạn được phân công phụ trách" in str(exc.value)
    doc.refresh_from_db()
    assert doc.status == "approved" and doc.signer is None


def test_pho_chanh_outside_their_field_signs_with_the_chanhs_authorisation(hatinh, person):
    today = timezone.localdate()
    create_delegation(principal=person("ht.chanhvp"), deputy=person("ht.pcvp2"), scope="sign", start=today, end=today)
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop")
    outgoing.sign(doc, person("ht.pcvp2"), "KT")


def test_when_the_chanh_is_away_the_designated_pho_chanh_signs_kt(hatinh, person):
    """000 L341: «Trong trường hợp Chánh Văn phòng đi vắng … thì Phó Chánh Văn phòng ký thay»."""
    today = timezone.localdate()
    record_absence(
        staff=person("ht.chanhvp"),
        kind="trip",
        start=today,
        end=today + dt.timedelta(days=4),
        acting=person("ht.pcvp3"),
    )
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop")
    assert not signing.check_signature(person("ht.pcvp2"), doc, "KT").allowed  # not the designated one
    outgoing.sign(doc, person("ht.pcvp3"), "KT")


def test_head_of_hctc_signs_tl_routine_papers_only_while_authorised(hatinh, person):
    """000 Điều 29.3 (L346): TL. Chánh Văn phòng, only when the Chánh authorises it."""
    head = person("ht.hctc.truong")
    doc = approved(person("ht.hctc.cv1"), type_code="giay_gioi_thieu", unit="hctc")
    decision = signing.check_signature(head, doc, "TL")
    assert not decision.allowed and "chưa có ủy quyền" in decision.reason
    signing.grant_standing_authorisation(head, DocumentType.objects.get(code="giay_gioi_thieu"))
    doc = outgoing.sign(doc, head, "TL")
    assert outgoing.signature_block(doc)[0] == "TL. CHÁNH VĂN PHÒNG"


def test_head_of_hctc_cannot_sign_tl_a_decision_even_when_authorised(hatinh, person):
    head = person("ht.hctc.truong")
    signing.grant_standing_authorisation(head, DocumentType.objects.get(code="giay_gioi_thieu"))
    doc = approved(person("ht.hctc.cv1"), type_code="quyet_dinh", unit="hctc")
    assert "không có thẩm quyền ký" in signing.check_signature(head, doc, "TL").reason


@pytest.mark.parametrize("username", ["ht.tonghop.truong", "ht.tonghop.cv1", "ht.vanthu1"])
def test_no_one_else_has_a_signing_right(hatinh, person, username):
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop")
    for capacity in ["", "KT", "TL", "TUQ", "Q"]:
        assert not signing.check_signature(person(username), doc, capacity).allowed


def test_an_unapproved_draft_cannot_be_signed(hatinh, person):
    doc = draft(person("ht.tonghop.cv1"), unit="tonghop")
    with pytest.raises(Conflict):
        outgoing.sign(doc, person("ht.chanhvp"), "")


def _signed(person, **kw):
    doc = approved(person("ht.tonghop.cv1"), unit="tonghop", **kw)
    outgoing.sign(doc, person("ht.chanhvp"), "")
    return doc


def test_issuing_numbers_from_one_with_a_leading_zero_and_the_state_symbol(hatinh, person):
    clerk = person("ht.vanthu1")
    first = outgoing.issue(_signed(person), clerk, ["Sở Tài chính"])
    assert (first.number, first.symbol) == (1, "01/QĐ-VP")
    letter = outgoing.issue(_signed(person, type_code="cong_van"), clerk, ["UBND huyện Kỳ Anh"])
    assert letter.symbol == "02/VP-TH"  # công văn: office + drafting unit (NĐ 30 PL I II.3.b)
    assert letter.retention == "Lưu: VT, TH."


def test_issuing_refuses_unsigned_documents_and_empty_recipients_without_taking_a_number(hatinh, person):
    clerk = person("ht.vanthu1")
    with pytest.raises(Conflict):
        outgoing.issue(approved(person("ht.tonghop.cv1"), unit="tonghop"), clerk, ["Sở Tài chính"])
    with pytest.raises(ValidationError, match="Nơi nhận"):
        outgoing.issue(_signed(person), clerk, [" "])
    with pytest.raises(PermissionDenied):
        outgoing.issue(_signed(person), person("ht.tonghop.cv1"), ["Sở Tài chính"])
    assert outgoing.issue(_signed(person), clerk, ["Sở Tài chính"]).number == 1
    assert OutgoingDocument.objects.filter(status="issued").count() == 1


def test_confidential_outgoing_documents_have_their_own_series(hatinh, person):
    clerk = person("ht.vanthu1")
    outgoing.issue(_signed(person), clerk, ["A"])
    secret = outgoing.issue(_signed(person, confidentiality="mat"), clerk, ["B"])
    assert secret.number == 1 and secret.register.confidential


def test_a_reply_closes_the_incoming_document_it_answers(hatinh, person):
    from documents.services import routing
    from documents.services.routing import RouteItem

    from .incoming_helpers import register

    incoming = register(person("ht.vanthu1"))
    routing.route(incoming, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.tonghop.cv1"))])
    reply = _signed(person, type_code="cong_van", answers=incoming)
    reply = outgoing.issue(reply, person("ht.vanthu1"), ["Sở Tài chính tỉnh Hà Tĩnh"])
    incoming.refresh_from_db()
    assert incoming.status == "done" and incoming.result == "answered" and incoming.answered_by_symbol == reply.symbol


def test_outgoing_pdf_renders_the_signature_block_in_vietnamese(hatinh, person):
    from pypdf import PdfReader

    doc = approved(person("ht.tonghop.cv1"), unit="tonghop", summary="Về việc tổ chức Hội nghị tổng kết năm 2026")
    outgoing.sign(doc, person("ht.pcvp1"), "KT")
    doc = outgoing.issue(doc, person("ht.vanthu1"), ["Các sở, ban, ngành", "UBND các huyện"])
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(outgoing.render_pdf(doc))).pages)
    for words in [
        "KT. CHÁNH VĂN PHÒNG",
        "PHÓ CHÁNH VĂN PHÒNG",
        "Số: 01/QĐ-VP",
        "Hà Tĩnh, ngày",
        "Về việc tổ chức Hội nghị tổng kết năm 2026",
        "Nơi nhận:",
        "Lưu: VT, TH.",
        person("ht.pcvp1").full_name,
    ]:
        assert words in text, words


def test_signing_matrix_loads_idempotently_and_bad_entries_are_refused(hatinh):
    from documents.models import SigningRule
    from office.services.profiles import load_profile

    count = SigningRule.objects.count()
    assert count == 5
    again = load_profile("hatinh-ubnd")
    assert (again.created, again.updated) == (0, 0) and SigningRule.objects.count() == count
    problems = signing.validate_signing_matrix([{"position": "giam_doc", "capacity": "XX", "doc_types": ["khong_co"]}])
    assert len(problems) == 4


@pytest.mark.django_db(transaction=True)
def test_concurrent_issuing_gives_gapless_distinct_numbers_on_postgresql():
    """NĐ 30 Điều 15.1: one series a year, no gap, no duplicate — also with two clerks at once."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs it on PostgreSQL)")
    from office.models import Staff
    from office.services.profiles import load_profile

    load_profile("hatinh-ubnd", demo_users=True, password="x-test-password")

    def staff(username):
        return Staff.objects.prefetch_related("posts__unit").get(user__username=username)

    docs = []
    for _ in range(12):
        doc = approved(staff("ht.tonghop.cv1"), unit="tonghop")
        docs.append(outgoing.sign(doc, staff("ht.chanhvp"), ""))
    barrier = threading.Barrier(4)
    errors = []

    def work(i):
        try:
            barrier.wait()
            clerk = staff("ht.vanthu1" if i % 2 else "ht.vanthu2")
            for doc in docs[i::4]:
                outgoing.issue(doc, clerk, ["Sở Nội vụ"])
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert sorted(OutgoingDocument.objects.values_list("number", flat=True)) == list(range(1, 13))


# ----------------------------------------------------------------- signing for a principal outside the office


def test_daklak_chanh_signs_tl_for_the_chairman_on_coordinating_letters(db, person):
    """001 Mục B.I.1.5 (L17): «Thừa lệnh Chủ tịch UBND tỉnh ký các văn bản … điều hòa, phối hợp, đôn đốc»."""
    from office.services.profiles import load_profile

    load_profile("daklak-ubnd", demo_users=True, password="x-demo-pass-2026")
    letter = approved(person("dl.tonghop.cv1"), type_code="cong_van", unit="tonghop")
    letter = outgoing.sign(letter, person("dl.chanhvp"), "TL")
    assert letter.signed_for_title == "CHỦ TỊCH" and letter.signed_for is None
    assert outgoing.signature_block(letter)[:2] == ["TL. CHỦ TỊCH", "CHÁNH VĂN PHÒNG"]
    decision = approved(person("dl.tonghop.cv1"), type_code="quyet_dinh", unit="tonghop")
    refused = signing.check_signature(person("dl.chanhvp"), decision, "TL")
    assert not refused.allowed and "thẩm quyền ký «Thừa lệnh" in refused.reason


def test_the_sign_form_offers_tl_for_the_chairman_and_signs_it(db, person, login):
    from documents.services import submissions
    from office.services.profiles import load_profile
    from tests.incoming_helpers import docx

    load_profile("daklak-ubnd", demo_users=True, password="x-demo-pass-2026")
    sheet = submissions.submit(
        person("dl.tonghop.cv1"), title="Công văn đôn đốc các sở báo cáo", summary="Trình ký",
        doc_type=DocumentType.objects.get(code="cong_van"), draft=docx(),
    )  # fmt: skip
    while sheet.status == "in_progress":
        holder = submissions.current_step(sheet).opinions.first().holder
        sheet = submissions.decide(sheet, holder, "approve")
    letter = sheet.outgoing
    client = login("dl.chanhvp")
    page = client.get(f"/van-ban/di/{letter.pk}/").content.decode()
    assert "Thừa lệnh (TL.) CHỦ TỊCH" in page
    client.post(f"/van-ban/di/{letter.pk}/ky/", {"capacity": "TL"})
    letter.refresh_from_db()
    assert letter.status == "signed" and letter.signed_for_title == "CHỦ TỊCH"
    assert "TL. CHỦ TỊCH" in client.get(f"/van-ban/di/{letter.pk}/").content.decode()


def test_a_broken_signing_for_principal_entry_is_refused_at_load_time(db):
    problems = signing.validate_signing_for_principal(
        [{"position": "chanh_vp", "capacity": "", "principal": ""}, {"documents": "thông báo"}]
    )
    assert len(problems) == 3, problems
