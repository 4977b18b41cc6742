"""Overtime (000 Điều 21) and the yearly lists: salary steps, retirement, emulation (000 Điều 44–46)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from personnel.models import EmulationProposal, Overtime, PersonnelRecord
from personnel.services import common, overtime, yearly

D = dt.date


# --------------------------------------------------------------------------- 000 Điều 21 overtime


def test_overtime_is_confirmed_by_a_unit_leader(hatinh, person):
    """000 Điều 21.1 (L261): «Việc làm thêm ngoài giờ phải được Lãnh đạo đơn vị xác nhận»."""
    entry = overtime.record(staff=person("ht.hctc.cv1"), date=D(2026, 3, 9), hours="2.5", description="Trực văn thư",
                            today=D(2026, 3, 10))  # fmt: skip
    assert entry.state == "claimed"
    for outsider in ("ht.hctc.cv1", "ht.hctc.cv2", "ht.kinhte.truong"):
        with pytest.raises(PermissionDenied):
            overtime.confirm(entry, me=person(outsider))
    overtime.confirm(entry, me=person("ht.hctc.pho"))
    entry.refresh_from_db()
    assert entry.state == "confirmed" and entry.confirmed_by == person("ht.hctc.pho")
    with pytest.raises(common.StateConflict):
        overtime.confirm(entry, me=person("ht.hctc.truong"))


def test_a_unit_heads_overtime_is_confirmed_by_the_deputy_and_an_office_leaders_by_the_chanh(hatinh, person):
    head = overtime.record(staff=person("ht.hctc.truong"), date=D(2026, 3, 9), hours=1, description="Họp",
                           today=D(2026, 3, 9))  # fmt: skip
    assert not overtime.can_confirm(person("ht.hctc.truong"), head)
    assert overtime.can_confirm(person("ht.hctc.pho"), head)
    pcvp = overtime.record(staff=person("ht.pcvp1"), date=D(2026, 3, 9), hours=1, description="Họp",
                           today=D(2026, 3, 9))  # fmt: skip
    assert overtime.confirmers(pcvp.staff) == [person("ht.chanhvp")]


@pytest.mark.parametrize(
    ("hours", "day", "field"),
    [
        (0, D(2026, 3, 9), "hours"),
        (-1, D(2026, 3, 9), "hours"),
        (25, D(2026, 3, 9), "hours"),
        (2, D(2026, 3, 11), "date"),
    ],
)
def test_bad_overtime_is_refused(hatinh, person, hours, day, field):
    with pytest.raises(ValidationError) as exc:
        overtime.record(staff=person("ht.hctc.cv1"), date=day, hours=hours, description="x", today=D(2026, 3, 10))
    assert field in exc.value.message_dict
    assert not Overtime.objects.exists()


# --------------------------------------------------------------------------- 000 Điều 44–45 yearly lists


@pytest.mark.parametrize(
    ("born", "gender", "expected"),
    [
        (D(1961, 5, 15), "male", D(2021, 8, 15)),  # 60 years 3 months in 2021
        (D(1964, 1, 10), "male", D(2025, 4, 10)),  # 61 years in 2024 is not reached that year → 61y3m in 2025
        (D(1966, 12, 1), "male", D(2028, 12, 1)),  # 62 years from 2028
        (D(1966, 1, 20), "female", D(2021, 5, 20)),  # 55 years 4 months in 2021
        (D(1970, 3, 5), "female", D(2027, 7, 5)),  # 57 years 4 months in 2027
    ],
)
def test_retirement_age_follows_the_labour_code_roadmap(born, gender, expected):
    """Bộ luật Lao động 2019 Điều 169; Nghị định 135/2020/NĐ-CP Điều 4: the age of the year it is reached."""
    assert yearly.retirement_date(born, gender) == expected


def _record(person, username, **kw):
    return PersonnelRecord.objects.create(staff=person(username), **kw)


def test_retirement_list_names_those_reaching_the_age_this_year_and_next(hatinh, person):
    """000 Điều 45 (L442): HC-TC lists «các cán bộ, công chức sắp đến tuổi nghỉ hưu» each year."""
    _record(person, "ht.kinhte.truong", date_of_birth=D(1965, 6, 1), gender="male")  # 61y6m → 2026-12-01
    _record(person, "ht.kinhte.cv1", date_of_birth=D(1990, 1, 1), gender="female")
    _record(person, "ht.vhxh.truong", date_of_birth=D(1969, 7, 1), gender="female")  # 57y → 2026-07-01
    names = [r.staff.user.username for r in yearly.retirement_list(hatinh, 2026)]
    assert names == ["ht.vhxh.truong", "ht.kinhte.truong"]


def test_salary_step_list_names_those_due_this_year(hatinh, person):
    """000 Điều 44 (L440): the yearly list of staff due for a regular step increase."""
    _record(person, "ht.kinhte.cv1", grade="Chuyên viên", step=3, max_step=9, step_interval_years=3,
            last_step_on=D(2023, 7, 1))  # fmt: skip
    _record(person, "ht.kinhte.cv2", grade="Chuyên viên", step=4, max_step=9, step_interval_years=3,
            last_step_on=D(2024, 1, 1))  # fmt: skip
    _record(person, "ht.qttv.cv1", grade="Nhân viên", step=12, max_step=12, step_interval_years=2,
            last_step_on=D(2020, 1, 1))  # fmt: skip
    rows = yearly.salary_step_list(hatinh, 2026)
    assert [(r.staff.user.username, r.on) for r in rows] == [("ht.kinhte.cv1", D(2026, 7, 1))]


def test_yearly_lists_are_shown_to_hr_and_office_leaders_only(hatinh, person, login):
    _record(person, "ht.vhxh.truong", date_of_birth=D(1969, 7, 1), gender="female")
    name = person("ht.vhxh.truong").full_name
    assert yearly.can_see_lists(person("ht.hctc.truong")) and yearly.can_see_lists(person("ht.pcvp2"))
    assert not yearly.can_see_lists(person("ht.kinhte.cv1"))
    assert name in login("ht.hctc.truong").get("/nhan-su/danh-sach-nam/?nam=2026").content.decode()
    assert (
        "Sắp đến tuổi nghỉ hưu" not in login("ht.kinhte.cv1").get("/nhan-su/danh-sach-nam/?nam=2026").content.decode()
    )


# --------------------------------------------------------------------------- 000 Điều 46.1 emulation


def test_emulation_registration_is_at_the_start_of_the_year(hatinh, person):
    """000 Điều 46.1 (L447): register «từ đầu năm» (the window is the profile's registration_until)."""
    yearly.register_emulation(
        staff=person("ht.kinhte.cv1"), year=2026, title="Lao động tiên tiến", today=D(2026, 1, 31)
    )
    with pytest.raises(ValidationError, match="hết hạn đăng ký"):
        yearly.register_emulation(staff=person("ht.kinhte.cv2"), year=2026, title="Lao động tiên tiến",
                                  today=D(2026, 2, 1))  # fmt: skip
    with pytest.raises(ValidationError, match="đã đăng ký"):
        yearly.register_emulation(staff=person("ht.kinhte.cv1"), year=2026, title="CSTĐ", today=D(2026, 1, 31))


def test_who_did_not_register_cannot_be_proposed_for_a_title(hatinh, person):
    """000 Điều 46.1 (L447): «không đăng ký thi đua từ đầu năm sẽ không được xem xét, công nhận các danh hiệu»."""
    head = person("ht.kinhte.truong")
    yearly.register_emulation(staff=person("ht.kinhte.cv1"), year=2026, title="Lao động tiên tiến", today=D(2026, 1, 5))
    yearly.propose_title(staff=person("ht.kinhte.cv1"), year=2026, title="Lao động tiên tiến", me=head)
    with pytest.raises(ValidationError, match="không đăng ký thi đua từ đầu năm"):
        yearly.propose_title(staff=person("ht.kinhte.cv2"), year=2026, title="Lao động tiên tiến", me=head)
    with pytest.raises(PermissionDenied):
        yearly.propose_title(
            staff=person("ht.kinhte.cv1"), year=2026, title="Chiến sĩ thi đua", me=person("ht.vhxh.truong")
        )
    assert EmulationProposal.objects.count() == 1
