"""API of the organisation and calendar (../shared/spec/api.md)."""

import pytest

from office.models import Delegation

ENDPOINTS = [
    "/api/v1/me/",
    "/api/v1/units/",
    "/api/v1/staff/",
    "/api/v1/delegations/",
    "/api/v1/acting-for/?staff=ht.chanhvp",
    "/api/v1/calendar/add-working-days/?start=2026-02-13&days=2",
    "/api/v1/calendar/working-days/?start=2026-02-13&end=2026-02-24",
]


@pytest.mark.parametrize("url", ENDPOINTS)
def test_anonymous_gets_401_and_no_data(hatinh, api, url):
    response = api().get(url)
    assert response.status_code == 401
    assert set(response.json()) == {"detail"}


def test_token_login_with_a_wrong_password_is_400(hatinh, api):
    response = api().post("/api/v1/auth/token/", {"username": "ht.chanhvp", "password": "sai"}, format="json")
    assert response.status_code == 400
    assert "detail" in response.json() and "errors" in response.json()


def test_me_names_post_unit_and_whom_i_act_for(hatinh, api, person):
    import datetime as dt

    from django.utils import timezone

    from office.services.delegation import create_delegation

    today = timezone.localdate()
    create_delegation(
        principal=person("ht.hctc.truong"), deputy=person("ht.hctc.pho"), scope="all", start=today,
        end=today + dt.timedelta(days=1),
    )  # fmt: skip
    data = api("ht.hctc.pho").get("/api/v1/me/").json()
    assert data["username"] == "ht.hctc.pho"
    assert data["unit"] == "hctc" and data["position"] == "pho_truong_phong"
    assert data["acting_for"] == ["ht.hctc.truong"]
    assert data["full_name"] == person("ht.hctc.pho").full_name


def test_units_list_codes_names_and_kinds(hatinh, api):
    data = api("ht.vanthu1").get("/api/v1/units/").json()
    units = {u["code"]: u for u in data["results"]}
    assert units["hctc"]["name"] == "Phòng Hành chính - Tổ chức"
    assert units["cbth"]["kind"] == "su_nghiep"
    assert data["count"] == 7


def test_staff_filters_by_position_and_shows_supervised_units(hatinh, api):
    data = api("ht.vanthu1").get("/api/v1/staff/?position=pho_chanh_vp").json()
    names = [s["full_name"] for s in data["results"]]
    assert names == sorted(names)
    by_name = {s["username"]: s for s in data["results"]}
    assert set(by_name) == {"ht.pcvp1", "ht.pcvp2", "ht.pcvp3"}
    assert by_name["ht.pcvp1"]["supervises"] == ["kinhte", "tonghop"]
    assert by_name["ht.pcvp1"]["position"] == "pho_chanh_vp"
    unit = api("ht.vanthu1").get("/api/v1/staff/?unit=tonghop").json()
    assert {s["username"] for s in unit["results"]} == {
        "ht.tonghop.truong", "ht.tonghop.pho", "ht.tonghop.cv1", "ht.tonghop.cv2",
    }  # fmt: skip


def test_create_delegation_and_ask_who_acts(hatinh, api):
    client = api("ht.chanhvp")
    response = client.post(
        "/api/v1/delegations/",
        {"principal": "ht.chanhvp", "deputy": "ht.pcvp2", "scope": "all", "start": "2026-03-09", "end": "2026-03-11"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["deputy"] == "ht.pcvp2"
    acting = client.get("/api/v1/acting-for/?staff=ht.chanhvp&date=2026-03-10").json()
    assert acting == {"staff": "ht.chanhvp", "date": "2026-03-10", "acting": "ht.pcvp2"}
    present = client.get("/api/v1/acting-for/?staff=ht.chanhvp&date=2026-03-12").json()
    assert present["acting"] == "ht.chanhvp"


def test_bad_delegation_is_400_with_vietnamese_errors_and_nothing_saved(hatinh, api):
    client = api("ht.chanhvp")
    response = client.post(
        "/api/v1/delegations/",
        {"principal": "ht.chanhvp", "deputy": "ht.chanhvp", "scope": "all", "start": "2026-03-09", "end": "2026-03-11"},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["errors"]["deputy"] == ["Không thể ủy quyền cho chính mình."]
    assert body["detail"] == "Không thể ủy quyền cho chính mình."
    response = client.post(
        "/api/v1/delegations/",
        {"principal": "ht.chanhvp", "deputy": "nguoi-la", "start": "2026-03-09", "end": "2026-03-11"},
        format="json",
    )
    assert response.status_code == 400
    assert "nguoi-la" in response.json()["errors"]["deputy"][0]
    assert not Delegation.objects.exists()


def test_a_specialist_cannot_arrange_a_delegation_for_a_colleague(hatinh, api):
    response = api("ht.tonghop.cv2").post(
        "/api/v1/delegations/",
        {"principal": "ht.tonghop.cv1", "deputy": "ht.tonghop.cv2", "start": "2026-03-09", "end": "2026-03-11"},
        format="json",
    )
    assert response.status_code == 403
    assert not Delegation.objects.exists()


def test_acting_for_unknown_staff_is_404(hatinh, api):
    assert api("ht.vanthu1").get("/api/v1/acting-for/?staff=khong-co").status_code == 404


def test_calendar_endpoints(hatinh, api):
    client = api("ht.vanthu1")
    assert client.get("/api/v1/calendar/add-working-days/?start=2026-02-13&days=2").json() == {
        "start": "2026-02-13", "days": 2, "due": "2026-02-24",
    }  # fmt: skip
    assert client.get("/api/v1/calendar/working-days/?start=2026-02-13&end=2026-02-24").json()["count"] == 3
    bad = client.get("/api/v1/calendar/add-working-days/?start=13/02/2026&days=-1")
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"start", "days"}


def test_openapi_schema_is_served(hatinh, api):
    response = api("ht.vanthu1").get("/api/schema/")
    assert response.status_code == 200
    assert b"/api/v1/acting-for/" in response.content
