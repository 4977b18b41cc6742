"""Registering incoming documents: numbering, registers, symbols, files, duplicates (issue 3 §1–2)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from documents.models import Attachment, IncomingDocument, Register
from documents.services.registration import clean_symbol

from .incoming_helpers import data, docx, pdf, register


def test_so_den_runs_from_one_in_the_order_received(hatinh, person):
    clerk = person("ht.vanthu1")
    numbers = [register(clerk).number for _ in range(3)]
    assert numbers == [1, 2, 3]


def test_so_den_restarts_at_one_on_first_january(hatinh, person):
    """NĐ 30 Điều 22.2: numbering by year; the document of 31/12 ends the year's series."""
    clerk = person("ht.vanthu1")
    tz = timezone.get_current_timezone()
    last = register(clerk, received_at=dt.datetime(2025, 12, 31, 16, 0, tzinfo=tz), issued_date=dt.date(2025, 12, 30))
    register(clerk, received_at=dt.datetime(2025, 12, 31, 17, 0, tzinfo=tz), issued_date=dt.date(2025, 12, 30))
    first = register(clerk, received_at=dt.datetime(2026, 1, 1, 8, 0, tzinfo=tz), issued_date=dt.date(2025, 12, 31))
    assert (last.register.year, last.number) == (2025, 1)
    assert (first.register.year, first.number) == (2026, 1)


def test_confidential_documents_have_their_own_register_and_numbers(hatinh, person):
    """NĐ 30 Điều 15.2, 22.4: văn bản mật are registered in a separate series."""
    clerk = person("ht.vanthu1")
    register(clerk)
    secret = register(clerk, confidentiality="mat")
    register(clerk)
    assert secret.register.confidential and secret.number == 1
    assert IncomingDocument.objects.filter(register__confidential=False).count() == 2
    assert Register.objects.filter(confidential=True).get().name.startswith("Sổ đăng ký văn bản đến mật")


@pytest.mark.parametrize(
    "symbol",
    ["125/UBND-TH", "30/2020/NĐ-CP", "15/QĐ-VP", "12/QyĐ-UBND", "60-QĐ/VPTU", "125-CV/TU", "Số: 05/BNV-VP"],
)
def test_both_state_and_party_symbols_are_accepted(symbol):
    assert clean_symbol(symbol) == symbol.replace("Số: ", "")


@pytest.mark.parametrize("symbol", ["", "abc", "125", "UBND-TH", "125/", "/UBND", "12 34/UBND"])
def test_a_symbol_that_is_not_a_symbol_is_refused(symbol):
    with pytest.raises(ValidationError) as exc:
        clean_symbol(symbol)
    assert "không phải số, ký hiệu văn bản hợp lệ" in exc.value.message_dict["symbol"][0]


def test_a_refused_registration_consumes_no_number_and_saves_nothing(hatinh, person):
    clerk = person("ht.vanthu1")
    register(clerk)
    with pytest.raises(ValidationError):
        register(clerk, symbol="khong hop le", files=[pdf()])
    with pytest.raises(ValidationError):
        register(clerk, files=[pdf(body=b"not a pdf at all")])
    assert register(clerk).number == 2
    assert IncomingDocument.objects.count() == 2 and Attachment.objects.count() == 0


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"received_at": timezone.now() + dt.timedelta(days=1)}, "received_at", "tương lai"),
        ({"sender_deadline": timezone.localdate() - dt.timedelta(days=3)}, "sender_deadline", "trước ngày đến"),
        ({"issued_date": timezone.localdate() + dt.timedelta(days=2)}, "issued_date", "sau ngày đến"),
        ({"sender": " "}, "sender", "cơ quan ban hành"),
        ({"summary": ""}, "summary", "trích yếu"),
    ],
)
def test_bad_dates_and_missing_fields_are_refused_in_vietnamese(hatinh, person, overrides, field, message):
    with pytest.raises(ValidationError) as exc:
        register(person("ht.vanthu1"), **overrides)
    assert message in exc.value.message_dict[field][0]


def test_only_a_clerk_registers(hatinh, person):
    with pytest.raises(ValidationError, match="Chỉ văn thư"):
        register(person("ht.tonghop.cv1"))


def test_files_are_checked_by_content_not_by_name(hatinh, person):
    clerk = person("ht.vanthu1")
    with pytest.raises(ValidationError, match="không phải là tệp PDF hoặc DOCX"):
        register(clerk, files=[pdf("that-ra-la-anh.pdf", body=b"\x89PNG\r\n\x1a\n....")])
    doc = register(clerk, files=[pdf(), docx()])
    kinds = sorted(f.content_type for f in doc.files.all())
    assert kinds[0] == "application/pdf" and kinds[1].endswith("wordprocessingml.document")


def test_file_sha256_is_stored_and_the_bytes_kept(hatinh, person):
    import hashlib

    from .incoming_helpers import PDF_BYTES

    doc = register(person("ht.vanthu1"), files=[pdf()])
    stored = doc.files.get()
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    with stored.file.open("rb") as fh:
        assert fh.read() == PDF_BYTES


@override_settings(UPLOAD_MAX_BYTES=20)
def test_a_file_over_the_size_limit_is_refused(hatinh, person):
    with pytest.raises(ValidationError, match="vượt giới hạn"):
        register(person("ht.vanthu1"), files=[pdf()])


def test_a_new_file_version_supersedes_but_never_deletes_the_old(hatinh, person):
    from documents.services.registration import add_file_version

    clerk = person("ht.vanthu1")
    doc = register(clerk, files=[pdf("ban-1.pdf")])
    old = doc.files.get()
    new = add_file_version(doc, pdf("ban-2.pdf", body=b"%PDF-1.7 second version"), clerk, supersedes=old)
    old.refresh_from_db()
    assert old.superseded_by == new and old.file.storage.exists(old.file.name)
    assert doc.files.count() == 2


def test_probable_duplicate_is_flagged_before_saving_and_can_be_confirmed(hatinh, person):
    """NĐ 30 PL VI III.1.h: same sender, số ký hiệu and date → warn the clerk."""
    clerk = person("ht.vanthu1")
    first = register(clerk, symbol="125/UBND-TH", issued_date=dt.date(2026, 1, 5))
    with pytest.raises(ValidationError) as exc:
        register(clerk, symbol="125/UBND-TH", issued_date=dt.date(2026, 1, 5))
    assert f"số đến {first.number}" in exc.value.message_dict["duplicate"][0]
    from documents.services.registration import register_incoming

    again = register_incoming(
        clerk, data(symbol="125/UBND-TH", issued_date=dt.date(2026, 1, 5)), confirm_duplicate=True
    )
    assert again.number == first.number + 1


def test_document_handled_before_registration_needs_the_reason(hatinh, person):
    """000 Điều 11.9 (L168): received directly, handled first at a leader's instruction, registered afterwards."""
    clerk = person("ht.vanthu1")
    with pytest.raises(ValidationError, match="lý do"):
        register(clerk, handled_before_registration=True)
    doc = register(
        clerk, handled_before_registration=True, late_registration_reason="Chánh Văn phòng chỉ đạo xử lý ngay"
    )
    assert "Đã xử lý trước khi vào sổ" in doc.events.first().text


@pytest.mark.django_db(transaction=True)
def test_concurrent_registration_gives_distinct_gapless_numbers_on_postgresql():
    """AC-NUM-1: several clerks at the same moment → 1..N, no gap, no duplicate (real PostgreSQL)."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs it on PostgreSQL)")
    from office.models import Staff
    from office.services.profiles import load_profile

    load_profile("hatinh-ubnd", demo_users=True, password="x-test-password")
    clerks = [Staff.objects.get(user__username=u) for u in ("ht.vanthu1", "ht.vanthu2")]
    barrier = threading.Barrier(8)
    errors: list[Exception] = []

    def work(i: int) -> None:
        from django.db import connections

        try:
            barrier.wait()
            for _ in range(5):
                register(Staff.objects.prefetch_related("posts").get(pk=clerks[i % 2].pk))
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    numbers = sorted(IncomingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, 41))
