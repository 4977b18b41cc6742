"""Regulation profiles: every seed office loads, reloads idempotently, and bad files are refused whole."""

from pathlib import Path

import pytest
import yaml
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.test import override_settings

from office.models import Organisation, Post, Staff, Supervision, Unit
from office.services.profiles import PROFILES_DIR, available_profiles, load_profile

from .conftest import PASSWORD

PROFILES = ["hatinh-ubnd", "daklak-ubnd", "binhthuan-tinhuy", "binhduong-ubnd", "tinhuy-vptw"]


def _snapshot() -> dict:
    from django.apps import apps

    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in ("office", "auth")}


def test_all_five_seed_profiles_ship():
    assert set(PROFILES) <= set(available_profiles())


@pytest.mark.parametrize("name", PROFILES)
def test_profile_loads_and_reloads_idempotently(db, name):
    first = load_profile(name, demo_users=True, password=PASSWORD)
    before = _snapshot()
    again = load_profile(name, demo_users=True, password=PASSWORD)
    assert (again.created, again.updated) == (0, 0)
    assert _snapshot() == before  # no new rows, no new history rows
    assert first.organisation.pk == again.organisation.pk


@pytest.mark.parametrize("name", PROFILES)
def test_demo_users_cover_every_post(db, name):
    org = load_profile(name, demo_users=True, password=PASSWORD).organisation
    posts = Post.objects.filter(staff__organisation=org)
    assert posts.filter(position="chanh_vp").count() == 1
    assert posts.filter(position="pho_chanh_vp").count() >= 1
    assert posts.filter(position="van_thu").exists()
    for unit in Unit.objects.filter(organisation=org):
        assert posts.filter(unit=unit, position="truong_phong").exists(), unit
        assert posts.filter(unit=unit, position="chuyen_vien").count() >= 2, unit
    for pcvp in Staff.objects.filter(organisation=org, posts__position="pho_chanh_vp"):
        assert Supervision.objects.filter(supervisor=pcvp).exists() or org.profile == "tinhuy-vptw"


@pytest.mark.parametrize("name", PROFILES)
def test_every_demo_user_can_log_in(client, db, name):
    result = load_profile(name, demo_users=True, password=PASSWORD)
    for username, _, _ in result.demo_users:
        response = client.post("/dang-nhap/", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, username
        assert client.get("/").status_code == 200
        client.post("/dang-xuat/")


def test_a_person_may_hold_two_posts(db):
    """001 §I.2: Phó Chánh Văn phòng kiêm Trưởng Ban Tiếp công dân."""
    org = load_profile("daklak-ubnd", demo_users=True, password=PASSWORD).organisation
    dual = [s for s in Staff.objects.filter(organisation=org).prefetch_related("posts") if s.posts.count() > 1]
    assert dual, "daklak-ubnd has a Phó Chánh who also heads a unit"
    positions = {p.position for p in dual[0].posts.all()}
    assert positions == {"pho_chanh_vp", "truong_phong"}


@override_settings(DEBUG=False)
def test_demo_users_need_an_explicit_password_when_debug_is_off(db):
    with pytest.raises(ValidationError, match="--password"):
        load_profile("hatinh-ubnd", demo_users=True)
    assert not Organisation.objects.exists()


def _broken(tmp_path: Path, mutate) -> str:
    data = yaml.safe_load((PROFILES_DIR / "hatinh-ubnd.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d["supervision"][0]["units"].append("khong_co"), "đơn vị «khong_co» không tồn tại"),
        (lambda d: d["supervision"].append({"supervisor": "chanhvp", "units": ["hctc"]}), "không phải Phó Chánh"),
        (lambda d: d["units"][4].pop("registry"), "văn thư"),
        (lambda d: d["units"].append(dict(d["units"][0])), "bị lặp"),
        (lambda d: d["leadership"].append({"key": "cvp2", "position": "chanh_vp"}), "đúng một Chánh"),
        (lambda d: d.pop("units"), "ít nhất một đơn vị"),
        (lambda d: d["units"][0].update(kind="khac"), "loại «khac» không hợp lệ"),
    ],
)
def test_broken_profiles_are_refused_with_a_vietnamese_message_and_nothing_written(db, tmp_path, mutate, message):
    path = _broken(tmp_path, mutate)
    with pytest.raises(ValidationError) as exc:
        load_profile(path, demo_users=True, password=PASSWORD)
    assert any(message in m for m in exc.value.messages), exc.value.messages
    assert not Organisation.objects.exists() and not Staff.objects.exists()


def test_load_profile_command_prints_demo_accounts(db, run_command):
    out = run_command("load_profile", "hatinh-ubnd", "--demo-users", "--password", PASSWORD)
    assert "ht.vanthu1" in out and "ht.chanhvp" in out and "Chánh Văn phòng" in out
    out = run_command("load_profile", "hatinh-ubnd", "--demo-users", "--password", PASSWORD)
    assert "0 mục mới, 0 mục cập nhật" in out


def test_load_profile_command_names_an_unknown_profile(db, run_command):
    with pytest.raises(CommandError, match="Không tìm thấy hồ sơ quy chế «khong-co»"):
        run_command("load_profile", "khong-co")
