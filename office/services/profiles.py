"""Regulation profiles  # hồ sơ quy chế: one YAML data file per seed office.

A profile carries the office (kind, abbreviation, symbol style), its sectors, units,
leadership posts, the supervision map and the rule parameters later capabilities read
(Organisation.rules). Loading is validated as a whole first, then written in one
transaction, and is idempotent: loading the same file twice changes nothing.

The file format is documented in office/profiles/README.md.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.db import transaction

from office.models import (
    Organisation,
    OrganisationKind,
    Position,
    Post,
    Principal,
    Sector,
    Staff,
    Supervision,
    SymbolStyle,
    Unit,
    UnitKind,
    WorkingMode,
)

PROFILES_DIR = Path(__file__).resolve().parent.parent / "profiles"

# Deterministic Vietnamese names for demo users (with diacritics, as staff write them).
_SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô"]
_MIDDLE = ["Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc", "Đức", "Ngọc", "Xuân", "Thu"]
_GIVEN = [
    "An", "Bình", "Cường", "Dũng", "Đạt", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hòa", "Hùng",
    "Hương", "Khánh", "Lan", "Linh", "Long", "Mai", "Nam", "Nga", "Nhung", "Phong", "Phúc",
    "Quang", "Quyên", "Sơn", "Tâm", "Thắng", "Thảo", "Thủy", "Trang", "Trung", "Tuấn", "Vân",
    "Việt", "Yến",
]  # fmt: skip


def demo_full_name(index: int) -> str:
    return (
        f"{_SURNAMES[index % len(_SURNAMES)]} {_MIDDLE[(index // 3) % len(_MIDDLE)]} "
        f"{_GIVEN[(index * 7) % len(_GIVEN)]}"
    )


@dataclass(frozen=True)
class ProfileExtension:
    """A section of the profile owned by another app (e.g. documents: rules.signing_matrix).

    `validate(data) -> [problems]` runs with the core checks; `load(org, data, result)` runs in
    the same transaction after the core rows. Apps register in AppConfig.ready()."""

    name: str
    validate: Callable[[dict[str, Any]], list[str]]
    load: Callable[[Organisation, dict[str, Any], Any], None]


PROFILE_EXTENSIONS: dict[str, ProfileExtension] = {}


def register_extension(extension: ProfileExtension) -> None:
    PROFILE_EXTENSIONS[extension.name] = extension


class ProfileError(ValidationError):
    """A profile file that cannot be loaded; the messages name each problem in Vietnamese."""


def available_profiles() -> list[str]:
    return sorted(p.stem for p in PROFILES_DIR.glob("*.yaml"))


def read_profile(name: str) -> dict[str, Any]:
    path = Path(name) if name.endswith((".yaml", ".yml")) else PROFILES_DIR / f"{name}.yaml"
    if not path.exists():
        known = ", ".join(available_profiles())
        raise ProfileError(f"Không tìm thấy hồ sơ quy chế «{name}». Các hồ sơ có sẵn: {known}.")
    with path.open(encoding="utf-8") as fh:
        try:
            data = yaml.safe_load(fh)
        except yaml.YAMLError as exc:
            raise ProfileError(f"Tệp hồ sơ {path.name} không đúng cú pháp YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ProfileError(f"Tệp hồ sơ {path.name} phải là một bảng (mapping) YAML.")
    return data


# --------------------------------------------------------------------------- validation


def validate_profile(data: dict[str, Any]) -> None:
    """Check the whole profile and raise one ProfileError listing every problem found."""
    problems: list[str] = []

    def need(key: str, where: dict, label: str) -> Any:
        if not where.get(key):
            problems.append(f"Thiếu trường «{key}» ({label}).")
        return where.get(key)

    for key in ("code", "name", "kind", "abbreviation", "symbol_style", "demo_prefix"):
        need(key, data, "hồ sơ")
    if data.get("kind") and data["kind"] not in OrganisationKind.values:
        problems.append(f"Loại cơ quan «{data['kind']}» không hợp lệ (chọn: {', '.join(OrganisationKind.values)}).")
    if data.get("symbol_style") and data["symbol_style"] not in SymbolStyle.values:
        problems.append(f"Kiểu ký hiệu «{data['symbol_style']}» không hợp lệ (chọn: state, party).")

    sector_codes: set[str] = set()
    for i, sector in enumerate(data.get("sectors") or []):
        code = need("code", sector, f"lĩnh vực thứ {i + 1}")
        need("name", sector, f"lĩnh vực thứ {i + 1}")
        if code in sector_codes:
            problems.append(f"Mã lĩnh vực «{code}» bị lặp.")
        sector_codes.add(code)

    unit_codes: set[str] = set()
    units = data.get("units") or []
    if not units:
        problems.append("Hồ sơ phải có ít nhất một đơn vị (units).")
    for i, unit in enumerate(units):
        label = f"đơn vị thứ {i + 1}"
        code = need("code", unit, label)
        need("name", unit, label)
        if code in unit_codes:
            problems.append(f"Mã đơn vị «{code}» bị lặp.")
        unit_codes.add(code)
        if unit.get("kind") not in UnitKind.values:
            problems.append(f"Đơn vị «{code}»: loại «{unit.get('kind')}» không hợp lệ.")
        if unit.get("working_mode") not in WorkingMode.values:
            problems.append(f"Đơn vị «{code}»: chế độ làm việc «{unit.get('working_mode')}» không hợp lệ.")
        for s in unit.get("sectors") or []:
            if s not in sector_codes:
                problems.append(f"Đơn vị «{code}» theo dõi lĩnh vực «{s}» không có trong danh sách lĩnh vực.")
    if not any(u.get("registry") for u in units):
        problems.append("Phải có một đơn vị có bộ phận văn thư (registry: true).")

    leaders = data.get("leadership") or []
    leader_positions: dict[str, str] = {}
    for i, post in enumerate(leaders):
        key = need("key", post, f"lãnh đạo thứ {i + 1}")
        if post.get("position") not in (Position.CHANH_VP, Position.PHO_CHANH_VP):
            problems.append(f"Lãnh đạo «{key}»: chức vụ phải là chanh_vp hoặc pho_chanh_vp.")
        if key in leader_positions:
            problems.append(f"Khóa lãnh đạo «{key}» bị lặp.")
        leader_positions[key] = post.get("position")
        for extra in post.get("also") or []:
            if extra.get("unit") not in unit_codes:
                problems.append(f"Lãnh đạo «{key}» kiêm nhiệm tại đơn vị «{extra.get('unit')}» không tồn tại.")
            if extra.get("position") not in Position.values:
                problems.append(f"Lãnh đạo «{key}» kiêm nhiệm chức vụ «{extra.get('position')}» không hợp lệ.")
    if list(leader_positions.values()).count(Position.CHANH_VP) != 1:
        problems.append("Phải có đúng một Chánh Văn phòng (position: chanh_vp) trong leadership.")

    for i, entry in enumerate(data.get("supervision") or []):
        who = entry.get("supervisor")
        if who not in leader_positions:
            problems.append(f"Phân công phụ trách thứ {i + 1}: không có lãnh đạo «{who}».")
        elif leader_positions[who] != Position.PHO_CHANH_VP:
            problems.append(
                f"Phân công phụ trách thứ {i + 1}: «{who}» không phải Phó Chánh Văn phòng; "
                "chỉ Phó Chánh Văn phòng được phân công phụ trách đơn vị, lĩnh vực."
            )
        if not (entry.get("units") or entry.get("sectors")):
            problems.append(f"Phân công phụ trách thứ {i + 1}: phải nêu đơn vị hoặc lĩnh vực.")
        for u in entry.get("units") or []:
            if u not in unit_codes:
                problems.append(f"Phân công phụ trách của «{who}»: đơn vị «{u}» không tồn tại.")
        for s in entry.get("sectors") or []:
            if s not in sector_codes:
                problems.append(f"Phân công phụ trách của «{who}»: lĩnh vực «{s}» không tồn tại.")

    principal_keys: set[str] = set()
    for i, entry in enumerate(data.get("principals") or []):
        key = need("key", entry, f"lãnh đạo cấp trên thứ {i + 1}")
        need("title", entry, f"lãnh đạo cấp trên thứ {i + 1}")
        if key in principal_keys or key in leader_positions:
            problems.append(f"Khóa lãnh đạo cấp trên «{key}» bị lặp.")
        principal_keys.add(key)
        for s in entry.get("sectors") or []:
            if s not in sector_codes:
                problems.append(f"Lãnh đạo cấp trên «{key}»: lĩnh vực «{s}» không tồn tại.")

    for i, req in enumerate((data.get("rules") or {}).get("absence", {}).get("require_acting") or []):
        for pos in [req.get("position"), *(req.get("deputy_positions") or [])]:
            if pos not in Position.values:
                problems.append(f"Quy tắc vắng mặt thứ {i + 1}: chức vụ «{pos}» không hợp lệ.")
    for pos, chain in ((data.get("rules") or {}).get("absence", {}).get("fallback") or {}).items():
        for p in [pos, *chain]:
            if p not in Position.values:
                problems.append(f"Quy tắc người làm thay mặc định: chức vụ «{p}» không hợp lệ.")

    for extension in PROFILE_EXTENSIONS.values():
        problems.extend(extension.validate(data))

    if problems:
        raise ProfileError(problems)


# --------------------------------------------------------------------------- loading


@dataclass
class LoadResult:
    organisation: Organisation
    created: int = 0
    updated: int = 0
    demo_users: list[tuple[str, str, str]] = field(default_factory=list)  # (username, full name, post)


def _upsert(model, lookup: dict, values: dict, result: LoadResult):
    obj = model.objects.filter(**lookup).first()
    if obj is None:
        obj = model.objects.create(**lookup, **values)
        result.created += 1
        return obj
    changed = [k for k, v in values.items() if getattr(obj, k) != v]
    if changed:
        for k in changed:
            setattr(obj, k, values[k])
        obj.save(update_fields=changed)
        result.updated += 1
    return obj


def _set_m2m(manager, wanted: list, result: LoadResult) -> None:
    if {o.pk for o in manager.all()} != {o.pk for o in wanted}:
        manager.set(wanted)
        result.updated += 1


@transaction.atomic
def load_profile(name: str, *, demo_users: bool = False, password: str | None = None) -> LoadResult:
    data = read_profile(name)
    validate_profile(data)
    if demo_users and password is None and not settings.DEBUG:
        raise ProfileError(
            "Cần --password khi tạo tài khoản demo ở chế độ vận hành (DEBUG=False); "
            "mật khẩu demo mặc định chỉ dùng khi DEBUG bật."
        )

    result = LoadResult(organisation=None)  # type: ignore[arg-type]
    org = _upsert(
        Organisation,
        {"profile": data["code"]},
        {
            "name": data["name"],
            "kind": data["kind"],
            "abbreviation": data["abbreviation"],
            "province": data.get("province", ""),
            "place_name": data.get("place_name", data.get("province", "")),
            "symbol_style": data["symbol_style"],
            "source": data.get("source", ""),
            "rules": data.get("rules") or {},
        },
        result,
    )
    result.organisation = org

    sectors = {
        s["code"]: _upsert(Sector, {"organisation": org, "code": s["code"]}, {"name": s["name"]}, result)
        for s in data.get("sectors") or []
    }
    units: dict[str, Unit] = {}
    for order, u in enumerate(data["units"]):
        unit = _upsert(
            Unit,
            {"organisation": org, "code": u["code"]},
            {
                "name": u["name"],
                "abbreviation": u.get("abbreviation", ""),
                "kind": u["kind"],
                "working_mode": u["working_mode"],
                "head_title": u.get("head_title", "Trưởng phòng"),
                "deputy_title": u.get("deputy_title", "Phó Trưởng phòng"),
                "order": order,
                "source": str(u.get("source", "")),
            },
            result,
        )
        _set_m2m(unit.sectors, [sectors[s] for s in u.get("sectors") or []], result)
        units[u["code"]] = unit

    for rank, entry in enumerate(data.get("principals") or []):
        principal = _upsert(
            Principal,
            {"organisation": org, "key": entry["key"]},
            {"title": entry["title"], "rank": rank, "source": str(entry.get("source", ""))},
            result,
        )
        _set_m2m(principal.sectors, [sectors[s] for s in entry.get("sectors") or []], result)

    if demo_users:
        _load_demo_users(data, org, units, sectors, password or settings.DEMO_PASSWORD, result)
    for extension in PROFILE_EXTENSIONS.values():
        extension.load(org, data, result)
    return result


def _load_demo_users(
    data: dict[str, Any],
    org: Organisation,
    units: dict[str, Unit],
    sectors: dict[str, Sector],
    password: str,
    result: LoadResult,
) -> None:
    """One login per post: the Chánh, every Phó Chánh, văn thư, and a head, a deputy
    and two specialists in each unit. Usernames are predictable: <prefix>.<post>."""
    prefix = data["demo_prefix"]
    counter = iter(range(10_000))
    user_model = get_user_model()
    # Demo accounts share one password: hash it once, not once per account (PBKDF2 is slow on purpose).
    hashes: dict[str, str] = {}

    def shared_hash() -> str:
        if "shared" not in hashes:
            hashes["shared"] = make_password(password)
        return hashes["shared"]

    def person(key: str, posts: list[tuple[str, Unit | None, str]], sector_codes: list[str], title: str = "") -> Staff:
        username = f"{prefix}.{key}"
        idx = next(counter)
        user = user_model.objects.filter(username=username).first()
        if user is None:
            user = user_model(username=username, password=shared_hash())
            user.save()
            result.created += 1
        elif user.password != hashes.get("shared"):
            if user.check_password(password):
                hashes.setdefault("shared", user.password)
            else:
                user.password = shared_hash()
                user.save(update_fields=["password"])
                result.updated += 1
        staff = _upsert(
            Staff,
            {"user": user},
            {"organisation": org, "full_name": demo_full_name(idx + len(prefix))},
            result,
        )
        for i, (position, unit, title) in enumerate(posts):
            _upsert(
                Post,
                {"staff": staff, "position": position, "unit": unit},
                {"title": title, "is_primary": i == 0},
                result,
            )
        _set_m2m(staff.sectors, [sectors[s] for s in sector_codes], result)
        result.demo_users.append((username, staff.full_name, title or " kiêm ".join(t for _, _, t in posts)))
        return staff

    leaders: dict[str, Staff] = {}
    supervised: dict[str, list[str]] = {}
    for entry in data.get("supervision") or []:
        supervised.setdefault(entry["supervisor"], []).extend(entry.get("sectors") or [])
    for post in data["leadership"]:
        title = post.get("title") or str(Position(post["position"]).label)
        posts = [(post["position"], None, title)]
        for extra in post.get("also") or []:
            unit = units[extra["unit"]]
            default = (
                unit.head_title if extra["position"] == Position.TRUONG_PHONG else Position(extra["position"]).label
            )
            posts.append((extra["position"], unit, _title_with_unit(str(extra.get("title") or default), unit.name)))
        leaders[post["key"]] = person(post["key"], posts, supervised.get(post["key"], []))

    # A unit headed by a leader concurrently (Phó Chánh kiêm Trưởng Ban) gets no second head.
    headed_by_leader = {
        extra["unit"]
        for post in data["leadership"]
        for extra in post.get("also") or []
        if extra.get("position") == Position.TRUONG_PHONG
    }
    for u in data["units"]:
        unit = units[u["code"]]
        key = u.get("demo_key", u["code"])
        unit_sectors = u.get("sectors") or []
        if u["code"] not in headed_by_leader:
            person(
                f"{key}.truong",
                [(Position.TRUONG_PHONG, unit, _title_with_unit(unit.head_title, unit.name))],
                unit_sectors,
            )
        person(
            f"{key}.pho",
            [(Position.PHO_TRUONG_PHONG, unit, _title_with_unit(unit.deputy_title, unit.name))],
            unit_sectors,
        )
        for n in (1, 2):
            person(f"{key}.cv{n}", [(Position.CHUYEN_VIEN, unit, f"Chuyên viên {unit.name}")], unit_sectors)
        if u.get("registry"):
            for n in range(1, int(u.get("clerks", 2)) + 1):
                person(f"vanthu{n}", [(Position.VAN_THU, unit, f"Văn thư {unit.name}")], [])
        if u.get("accountant"):
            person("ketoan", [(Position.KE_TOAN_TRUONG, unit, "Kế toán trưởng")], [])

    # Principals outside the office get a login to decide the phiếu trình sent up to them; no post in the office.
    for principal in Principal.objects.filter(organisation=org).prefetch_related("sectors"):
        staff = person(principal.key, [], [s.code for s in principal.sectors.all()], title=principal.title)
        if principal.staff_id != staff.pk:
            principal.staff = staff
            principal.save(update_fields=["staff"])
            result.updated += 1

    # A setup account for Django admin (calendar overrides, document types, signing rules); not a post.
    admin_name = f"{prefix}.admin"
    admin = user_model.objects.filter(username=admin_name).first()
    if admin is None:
        user_model(username=admin_name, password=shared_hash(), is_staff=True, is_superuser=True).save()
        result.created += 1
    elif admin.password != hashes.get("shared") and not admin.check_password(password):
        admin.password = shared_hash()
        admin.save(update_fields=["password"])
        result.updated += 1
    result.demo_users.append((admin_name, "Quản trị hệ thống", "Quản trị (trang /quan-tri/)"))

    wanted: set[tuple[int, int | None, int | None]] = set()
    for entry in data.get("supervision") or []:
        supervisor = leaders[entry["supervisor"]]
        for code in entry.get("units") or []:
            wanted.add((supervisor.pk, units[code].pk, None))
        for code in entry.get("sectors") or []:
            wanted.add((supervisor.pk, None, sectors[code].pk))
    existing = {(s.supervisor_id, s.unit_id, s.sector_id): s for s in Supervision.objects.filter(organisation=org)}
    for key in wanted - existing.keys():
        Supervision.objects.create(organisation=org, supervisor_id=key[0], unit_id=key[1], sector_id=key[2])
        result.created += 1
    for key in existing.keys() - wanted:
        existing[key].delete()
        result.updated += 1


def _title_with_unit(title: str, unit_name: str) -> str:
    """«Trưởng Ban» + «Ban Tiếp công dân» → «Trưởng Ban Tiếp công dân», not «Trưởng Ban Ban …»."""
    last, first = title.split()[-1:], unit_name.split()[:1]
    if last and first and last[0].lower() == first[0].lower():
        return f"{title} {unit_name.split(' ', 1)[1]}" if " " in unit_name else title
    return f"{title} {unit_name}"


def random_password() -> str:
    return secrets.token_urlsafe(12)
