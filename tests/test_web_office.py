"""The browser pages of the Foundation: home by role, organisation, absences, calendar, health."""

import datetime as dt
import os
import subprocess
import sys

import pytest
from django.utils import timezone

from office.models import Absence, Delegation


def test_anonymous_is_sent_to_login(hatinh, client):
    for url in ["/", "/to-chuc/", "/vang-mat/", "/lich/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/"), url


def test_login_page_is_vietnamese_and_wrong_password_says_so(hatinh, client):
    response = client.get("/dang-nhap/")
    assert "Đăng nhập" in response.content.decode()
    response = client.post("/dang-nhap/", {"username": "ht.chanhvp", "password": "sai-mat-khau"})
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in response.content.decode()


def test_repeated_failed_logins_lock_the_account(hatinh, client):
    for _ in range(5):
        client.post("/dang-nhap/", {"username": "ht.chanhvp", "password": "sai"})
    from .conftest import PASSWORD

    response = client.post("/dang-nhap/", {"username": "ht.chanhvp", "password": PASSWORD})
    assert response.status_code == 429


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("ht.chanhvp", "Chánh Văn phòng"),
        ("ht.pcvp1", "Phòng Tổng hợp"),  # supervised unit listed
        ("ht.hctc.truong", "Trưởng phòng Hành chính - Tổ chức"),
        ("ht.vanthu1", "Văn thư Phòng Hành chính - Tổ chức"),
        ("ht.kinhte.cv1", "Chuyên viên Phòng Kinh tế ngành"),
    ],
)
def test_home_shows_the_users_post_and_unit(hatinh, login, username, expected):
    page = login(username).get("/").content.decode()
    assert expected in page
    assert "Ai làm thay ai hôm nay" in page


def test_home_shows_who_acts_for_whom_today(hatinh, login, person):
    today = timezone.localdate()
    Delegation.objects.create(
        organisation=hatinh, principal=person("ht.hctc.truong"), deputy=person("ht.hctc.pho"), scope="all",
        start=today, end=today,
    )  # fmt: skip
    page = login("ht.hctc.pho").get("/").content.decode()
    assert person("ht.hctc.truong").full_name in page.split("Bạn đang làm thay")[1]


def test_organisation_page_lists_units_leaders_and_supervision(hatinh, login, person):
    page = login("ht.tonghop.cv1").get("/to-chuc/").content.decode()
    for text in ["Phòng Tổng hợp", "Trung tâm Công báo - Tin học", "Lãnh đạo Văn phòng", person("ht.pcvp3").full_name]:
        assert text in page


def test_absence_form_refuses_chanh_without_a_pho_chanh_and_keeps_nothing(hatinh, login, person):
    chanh = person("ht.chanhvp")
    response = login("ht.chanhvp").post(
        "/vang-mat/",
        {"form": "absence", "staff": chanh.pk, "kind": "trip", "start": "2026-03-09", "end": "2026-03-11",
         "acting_scope": "all"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "phải phân công một người (Phó Chánh Văn phòng) làm thay" in response.content.decode()
    assert not Absence.objects.exists()


def test_absence_form_records_the_absence_and_the_delegation(hatinh, login, person):
    chanh, pcvp2 = person("ht.chanhvp"), person("ht.pcvp2")
    response = login("ht.chanhvp").post(
        "/vang-mat/",
        {"form": "absence", "staff": chanh.pk, "kind": "trip", "start": "2026-03-09", "end": "2026-03-11",
         "acting": pcvp2.pk, "acting_scope": "all", "note": "Công tác Hà Nội"},
        follow=True,
    )  # fmt: skip
    assert "Đã ghi nhận lịch vắng mặt." in response.content.decode()
    assert Delegation.objects.get().deputy == pcvp2


def test_a_specialist_cannot_record_an_absence_for_a_colleague(hatinh, login, person):
    response = login("ht.tonghop.cv2").post(
        "/vang-mat/",
        {"form": "absence", "staff": person("ht.tonghop.cv1").pk, "kind": "leave", "start": "2026-03-09",
         "end": "2026-03-09", "acting_scope": "all"},
    )  # fmt: skip
    assert response.status_code == 200
    assert not Absence.objects.exists()


def test_cancel_absence_of_another_unit_is_refused(hatinh, login, person):
    from office.services.delegation import record_absence

    absence = record_absence(
        staff=person("ht.kinhte.cv1"), kind="leave", start=dt.date(2026, 3, 9), end=dt.date(2026, 3, 9)
    )
    assert login("ht.tonghop.truong").post(f"/vang-mat/{absence.pk}/huy/").status_code == 403
    absence.refresh_from_db()
    assert not absence.is_cancelled


def test_calendar_page_marks_tet_and_computes_a_due_date_with_htmx(hatinh, login):
    client = login("ht.vanthu1")
    page = client.get("/lich/?thang=2026-2").content.decode()
    assert "Tết Nguyên Đán" in page
    partial = client.get("/lich/?start=2026-02-13&days=2", HTTP_HX_REQUEST="true").content.decode()
    assert "24/02/2026" in partial and "<html" not in partial


def test_pages_send_a_content_security_policy_without_inline_scripts(hatinh, login):
    response = login("ht.vanthu1").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "<script>" not in response.content.decode()


def test_healthz_checks_database_broker_and_worker(db, client):
    data = client.get("/healthz").json()
    assert data["checks"]["database"] == "ok"
    assert "broker" in data["checks"] and "worker" in data["checks"]


def test_vietnamese_is_the_default_even_for_an_english_browser(hatinh, login):
    page = login("ht.vanthu1").get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Trang chủ" in page and 'lang="vi"' in page


def test_english_is_chosen_with_the_language_selector(hatinh, login):
    client = login("ht.vanthu1")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Home" in client.get("/").content.decode()


def test_api_messages_follow_accept_language(hatinh, api):
    response = api().get("/api/v1/me/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401 and "credentials" in response.json()["detail"]
    response = api().get("/api/v1/me/")
    assert "credentials" not in response.json()["detail"]


def test_production_settings_pass_check_deploy():
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},  # set by the browser tests
        "DEBUG": "False",
        "SECRET_KEY": "x" * 64 + "-production-secret-for-check",
        "ALLOWED_HOSTS": "eoffice.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_browser_icon_is_served_from_static_not_a_404(hatinh, client, login):
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"].endswith(".svg")
    from django.contrib.staticfiles import finders

    assert finders.find("img/favicon.svg")
    assert 'rel="icon"' in login("ht.vanthu1").get("/").content.decode()
