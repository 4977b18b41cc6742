"""Incoming documents in the browser pages: forms, inbox, register, and query-count guards."""

import datetime as dt

import pytest
from django.utils import timezone

from documents.models import IncomingDocument
from documents.services import routing
from documents.services.routing import RouteItem
from office.models import Unit

from .incoming_helpers import pdf, register


def _form(**overrides):
    values = {
        "sender": "Sở Nội vụ",
        "symbol": "45/SNV-TCBC",
        "issued_date": "2026-01-10",
        "doc_type": "",
        "summary": "V/v báo cáo số lượng cán bộ, công chức",
        "received_at": timezone.localtime().replace(hour=0, minute=10).strftime("%Y-%m-%dT%H:%M"),
        "urgency": "thuong",
        "confidentiality": "thuong",
    }
    values.update(overrides)
    return values


def test_clerk_registers_from_the_form_and_lands_on_the_document(hatinh, login):
    from documents.models import DocumentType

    client = login("ht.vanthu1")
    data = _form(doc_type=DocumentType.objects.get(code="cong_van").pk, files=[pdf()])
    response = client.post("/van-ban/den/vao-so/", data, follow=True)
    page = response.content.decode()
    assert "Đã vào sổ: số đến 1" in page and "45/SNV-TCBC" in page
    assert "Phân phối, chỉ đạo xử lý" not in page  # the clerk does not hold the distribution step


def test_registration_form_shows_vietnamese_errors_and_saves_nothing(hatinh, login):
    client = login("ht.vanthu1")
    response = client.post("/van-ban/den/vao-so/", _form(symbol="abc", summary=""))
    page = response.content.decode()
    assert "không phải số, ký hiệu văn bản hợp lệ" in page
    assert "This field is required" not in page
    assert not IncomingDocument.objects.exists()


def test_registration_form_is_for_clerks_only(hatinh, login):
    assert login("ht.tonghop.cv1").get("/van-ban/den/vao-so/").status_code == 403


def test_duplicate_warning_on_the_form_then_confirm(hatinh, login, person):
    from documents.models import DocumentType

    register(person("ht.vanthu1"), symbol="45/SNV-TCBC", issued_date=dt.date(2026, 1, 10), sender="Sở Nội vụ")
    client = login("ht.vanthu1")
    data = _form(doc_type=DocumentType.objects.get(code="cong_van").pk)
    page = client.post("/van-ban/den/vao-so/", data).content.decode()
    assert "Có thể trùng văn bản đã vào sổ" in page
    data["confirm_duplicate"] = "on"
    assert client.post("/van-ban/den/vao-so/", data).status_code == 302


def test_leader_distributes_from_the_document_page(hatinh, login, person):
    doc = register(person("ht.vanthu1"))
    client = login("ht.chanhvp")
    page = client.get(f"/van-ban/den/{doc.pk}/").content.decode()
    assert "Phân phối, chỉ đạo xử lý" in page
    response = client.post(
        f"/van-ban/den/{doc.pk}/chuyen/",
        {"lead_unit": Unit.objects.get(code="tonghop").pk, "deadline_days": 3, "instruction": "Xử lý theo quy định"},
    )
    assert response.status_code == 302
    assert doc.assignments.filter(role="lead", holder=person("ht.tonghop.truong")).exists()


def test_route_form_errors_are_shown_and_nothing_changes(hatinh, login, person):
    doc = register(person("ht.vanthu1"))
    kinhte = Unit.objects.get(code="kinhte").pk
    response = login("ht.chanhvp").post(
        f"/van-ban/den/{doc.pk}/chuyen/", {"deadline_days": 2, "coordinate_units": [kinhte]}
    )
    assert response.status_code == 400
    assert "Phải giao đúng một đơn vị hoặc người chủ trì" in response.content.decode()
    assert doc.assignments.count() == 1


def test_inbox_shows_overdue_in_red_and_days_left(hatinh, login, person):
    doc = register(
        person("ht.vanthu1"),
        received_at=timezone.localtime() - dt.timedelta(days=20),
        issued_date=timezone.localdate() - dt.timedelta(days=21),
    )
    routing.route(
        doc,
        person("ht.chanhvp"),
        [RouteItem(role="lead", staff=person("ht.tonghop.cv1"), deadline=timezone.localdate() - dt.timedelta(days=7))],
    )
    page = login("ht.tonghop.cv1").get("/van-ban/cho-xu-ly/").content.decode()
    assert 'class="overdue' in page and "Quá hạn" in page


def test_specialist_completes_from_the_page(hatinh, login, person):
    doc = register(person("ht.vanthu1"))
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.tonghop.cv1"))])
    client = login("ht.tonghop.cv1")
    response = client.post(f"/van-ban/den/{doc.pk}/hoan-thanh/", {"result": "filed", "note": "Lưu hồ sơ"}, follow=True)
    assert "Đã kết thúc xử lý văn bản." in response.content.decode()


def test_register_search_by_htmx_returns_rows_only(hatinh, login, person):
    register(person("ht.vanthu1"), summary="Tờ trình về việc thành lập Hội đồng thẩm định")
    response = login("ht.vanthu1").get("/van-ban/den/?q=hoi dong tham dinh", HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert "thành lập Hội đồng thẩm định" in page and "<html" not in page


def test_inbox_and_register_rows_escape_what_the_sender_wrote(hatinh, login, person):
    """The rows are rendered by Jinja2 (office/fragments.py): markup in a trích yếu or a sender's
    name is shown as text, never run, on the register and in the specialist's inbox."""
    doc = register(person("ht.vanthu1"), summary='V/v <script>alert("x")</script> & <b>đậm</b>', sender="Sở <i>X</i>")
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.tonghop.cv1"))])
    for username, url in [("ht.vanthu1", "/van-ban/den/"), ("ht.tonghop.cv1", "/van-ban/cho-xu-ly/")]:
        page = login(username).get(url).content.decode()
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; &lt;b&gt;đậm&lt;/b&gt;" in page, url
        assert "Sở &lt;i&gt;X&lt;/i&gt;" in page and "<script>alert" not in page, url


def _many(person, n):
    clerk, chanh, cv = person("ht.vanthu1"), person("ht.chanhvp"), person("ht.tonghop.cv1")
    for _ in range(n):
        doc = register(clerk, files=[pdf()])
        routing.route(
            doc,
            chanh,
            [
                RouteItem(role="lead", staff=cv, deadline_days=2),
                RouteItem(role="coordinate", unit=Unit.objects.get(code="kinhte")),
            ],
        )


@pytest.mark.parametrize(
    "url", ["/van-ban/cho-xu-ly/", "/van-ban/den/", "/api/v1/incoming/", "/api/v1/incoming/inbox/"]
)
def test_list_query_count_does_not_grow_with_rows(hatinh, login, person, django_assert_max_num_queries, url):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("ht.tonghop.cv1")
    _many(person, 3)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _many(person, 30)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200


def test_detail_query_count_does_not_grow_with_route_length(hatinh, login, person, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    doc = register(person("ht.vanthu1"), files=[pdf()])
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", unit=Unit.objects.get(code="tonghop"))])
    client = login("ht.chanhvp")
    with CaptureQueriesContext(connection) as small:
        client.get(f"/van-ban/den/{doc.pk}/")
    big = register(person("ht.vanthu1"), files=[pdf(), pdf("b.pdf", body=b"%PDF-1.5 b")])
    items = [RouteItem(role="lead", unit=Unit.objects.get(code="tonghop"))] + [
        RouteItem(role="coordinate", unit=u) for u in Unit.objects.exclude(code="tonghop")
    ]
    routing.route(big, person("ht.chanhvp"), items)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert client.get(f"/van-ban/den/{big.pk}/").status_code == 200
