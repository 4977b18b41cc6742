"""Recurring meetings, reports and programme steps generated from each profile's rules, with their deadlines.

Every rule below is read from the profile (office/profiles/<code>.yaml); the conventions for ambiguous
wording are profile settings too (rules.deadline_conventions) and are written beside each due date.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from office.models import Organisation
from office.services.profiles import PROFILES_DIR, ProfileError, available_profiles, load_profile, read_profile
from workflow.models import Deadline, ItemState, Notification, ScheduledItem, ScheduleKind
from workflow.services import schedules
from workflow.services.scan import run_deadline_scan

PASSWORD = "matkhau-demo-2026"
Y2026 = (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def at(day: str, hour: int = 9) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(dt.date.fromisoformat(day), dt.time(hour)))


def dues(org: Organisation, code: str, start=Y2026[0], end=Y2026[1]) -> list[str]:
    """Due instants of one schedule, local time, as "YYYY-MM-DD HH:MM"."""
    return [f"{timezone.localtime(o.due_at):%Y-%m-%d %H:%M}" for o in schedules.occurrences(org, code, start, end)]


def load(name: str) -> Organisation:
    if name not in available_profiles():
        pytest.skip(f"profile {name} not present")
    return load_profile(name, demo_users=True, password=PASSWORD).organisation


@pytest.fixture
def daklak(db) -> Organisation:
    return load("daklak-ubnd")


# --------------------------------------------------------------------------- 001 (Đắk Lắk)


def test_giao_ban_on_the_second_and_fourth_friday(daklak):
    # 001 §II.5 (L97), seed-001 A04: January 2026 → 9 and 23; the 5th Friday (30/1) gets none.
    assert dues(daklak, "giao_ban_van_phong", dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == [
        "2026-01-09 23:59", "2026-01-23 23:59",
    ]  # fmt: skip


def test_giao_ban_under_the_calendar_week_reading(daklak):
    # seed-001 §10 Q1 reading (b): Feb 2026 → 06/02 and 20/02; 20/02 is Tết, so it moves to the previous working day.
    daklak.rules["deadline_conventions"] = {"nth_week": "calendar_week"}
    daklak.save()
    occ = schedules.occurrences(daklak, "giao_ban_van_phong", dt.date(2026, 2, 1), dt.date(2026, 2, 28))
    assert [o.nominal for o in occ] == [dt.date(2026, 2, 6), dt.date(2026, 2, 20)]
    assert timezone.localtime(occ[1].due_at).date() == dt.date(2026, 2, 13)
    assert "ngày 20/02 là ngày nghỉ, chuyển sang thứ Sáu 13/02" in occ[1].note


def test_half_monthly_report_due_thursday_morning(daklak):
    # 001 §II.7.2 (L106), seed-001 A09: «chậm nhất vào sáng ngày thứ 5 tuần thứ hai»: 08/01/2026 at 12:00
    # (the profile's morning cut-off).
    occ = schedules.occurrences(daklak, "bao_cao_nua_thang", dt.date(2026, 1, 1), dt.date(2026, 1, 31))
    assert [f"{timezone.localtime(o.due_at):%Y-%m-%d %H:%M}" for o in occ] == ["2026-01-08 12:00", "2026-01-22 12:00"]
    assert "trước 12:00" in occ[0].note


def test_six_month_and_annual_reports_before_the_date(daklak):
    # 001 L106: «trước ngày 15/6», «trước ngày 30/11»: due the day before; 14/6/2026 and 29/11/2026 are Sundays,
    # so the profile's default moves them to the previous working day (Friday).
    assert dues(daklak, "bao_cao_6_thang") == ["2026-06-12 23:59"]
    assert dues(daklak, "bao_cao_nam") == ["2026-11-27 23:59"]
    note = schedules.occurrences(daklak, "bao_cao_6_thang", *Y2026)[0].note
    assert "«trước ngày 15/06»: hạn là hết ngày 14/06" in note


def test_before_inclusive_is_a_profile_setting(daklak):
    daklak.rules["deadline_conventions"] = {"before_inclusive": True, "non_working_fixed_date": "keep"}
    daklak.save()
    assert dues(daklak, "bao_cao_6_thang") == ["2026-06-15 23:59"]
    assert dues(daklak, "bao_cao_nam") == ["2026-11-30 23:59"]


def test_programme_drafts_by_the_fifteenth_of_the_last_month_of_the_quarter(daklak):
    # 001 L73 «chậm nhất vào ngày 15 của tháng cuối quý» (inclusive); 15/3/2026 is a Sunday → Friday 13/3.
    assert dues(daklak, "du_thao_chuong_trinh_quy") == [
        "2026-03-13 23:59", "2026-06-15 23:59", "2026-09-15 23:59", "2026-12-15 23:59",
    ]  # fmt: skip


def test_programme_changes_before_the_25th_and_annual_programme_before_25_december(daklak):
    # 001 L74 «trước ngày 25 hàng tháng»; L70 «trước ngày 25 tháng 12 hằng năm» (signed on or before 24/12).
    assert dues(daklak, "dieu_chinh_chuong_trinh_thang", dt.date(2026, 6, 1), dt.date(2026, 6, 30)) == [
        "2026-06-24 23:59"
    ]
    assert dues(daklak, "chuong_trinh_nam") == ["2026-12-24 23:59"]


def test_district_giao_ban_in_may_and_november_and_monthly_hoi_y(daklak):
    # 001 L100 (May and November), L99 (hội ý once a month; the date is the Chánh's choice: by the month's end).
    assert dues(daklak, "giao_ban_van_phong_huyen") == ["2026-05-29 23:59", "2026-11-30 23:59"]
    assert len(dues(daklak, "hoi_y_lanh_dao")) == 12


def test_giao_ban_conclusions_within_three_working_days_across_holidays(daklak, person):
    # 001 L98, seed-001 A06–A08: held 9/1 → 14/1; held 24/4 → 4/5; held 13/2 → 25/2 (Tết).
    schedules.generate_items(daklak, at("2026-01-02"))
    item = ScheduledItem.objects.get(code="giao_ban_van_phong", period="2026-01-09")
    chair = person("dl.chanhvp") if _has("dl.chanhvp") else Deadline.objects.filter(target_id=item.pk).first().assignee
    schedules.mark_done(item, chair, at=at("2026-01-09", 10))
    follow = ScheduledItem.objects.get(parent=item)
    assert follow.kind == ScheduleKind.FOLLOW_UP
    assert timezone.localtime(follow.due_at).date() == dt.date(2026, 1, 14)
    assert {d.unit.code for d in Deadline.objects.filter(target_id=follow.pk, kind="schedule.follow_up")} == {"hctc"}
    for held, due in (("2026-04-24", dt.date(2026, 5, 4)), ("2026-02-13", dt.date(2026, 2, 25))):
        schedules.generate_items(daklak, at(held) - dt.timedelta(days=10))
        item = ScheduledItem.objects.get(code="giao_ban_van_phong", period=held)
        schedules.mark_done(item, chair, at=at(held, 10))
        assert timezone.localtime(ScheduledItem.objects.get(parent=item).due_at).date() == due


def _has(username: str) -> bool:
    from office.models import Staff

    return Staff.objects.filter(user__username=username).exists()


# --------------------------------------------------------------------------- 000 (Hà Tĩnh)


def test_hatinh_leaders_giao_ban_monthly_and_district_giao_ban_every_three_months(hatinh):
    # 000 Điều 5.6 (L79): once a month; 000 Điều 18.3.b (L246): every 3 months. 30/4/2026 is a holiday → 29/4.
    assert len(dues(hatinh, "giao_ban_lanh_dao")) == 12
    assert "2026-04-29 23:59" in dues(hatinh, "giao_ban_lanh_dao")
    assert dues(hatinh, "giao_ban_van_phong_huyen") == [
        "2026-03-31 23:59", "2026-06-30 23:59", "2026-09-30 23:59", "2026-12-31 23:59",
    ]  # fmt: skip


def test_hatinh_secrecy_reports_every_three_months_and_yearly(hatinh):
    # 000 Điều 31.3 (L357): «Định kỳ 3 tháng, năm»; the seed gives no day: the end of the period (inferred).
    assert len(dues(hatinh, "bao_cao_bao_mat_quy")) == 4
    assert dues(hatinh, "bao_cao_bao_mat_nam") == ["2026-12-31 23:59"]


def test_hatinh_records_list_registered_before_15_and_issued_before_31_december(hatinh):
    # 000 Điều 30.1–30.2 (L349–L350).
    assert dues(hatinh, "dang_ky_danh_muc_ho_so") == ["2026-12-14 23:59"]
    assert dues(hatinh, "ban_hanh_danh_muc_ho_so") == ["2026-12-30 23:59"]


def test_hatinh_has_no_rule_it_does_not_state(hatinh):
    codes = {s.code for s in schedules.schedules_for(hatinh)}
    assert "bao_cao_nua_thang" not in codes and "giao_ban_van_phong" not in codes


# --------------------------------------------------------------------------- 002 (Bình Thuận)


def test_binhthuan_reports_on_the_25th_15_june_and_15_december(binhthuan):
    # 002 Điều 12 (L885–L889): monthly on the 25th; 6-month on 15/6; annual on 15/12 («ngày», not «trước»).
    assert dues(binhthuan, "bao_cao_thang", dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == ["2026-03-25 23:59"]
    assert dues(binhthuan, "bao_cao_thang", dt.date(2026, 1, 1), dt.date(2026, 1, 31)) == ["2026-01-23 23:59"]
    assert dues(binhthuan, "bao_cao_6_thang") == ["2026-06-15 23:59"]
    assert dues(binhthuan, "bao_cao_nam") == ["2026-12-15 23:59"]


def test_binhthuan_leaders_consult_half_monthly(binhthuan):
    # 002 Điều 11.1 (L810): «định kỳ nửa tháng một lần».
    assert len(dues(binhthuan, "hoi_y_lanh_dao")) == 24


# --------------------------------------------------------------------------- 003 (Bình Dương)


@pytest.fixture
def binhduong(db) -> Organisation:
    return load("binhduong-ubnd")


@pytest.fixture
def tinhuy(db) -> Organisation:
    return load("tinhuy-vptw")


def test_binhduong_reports_keep_their_frequency_with_the_due_day_not_regulated(binhduong):
    # seed-003 §4 (L283): no time limit and no date in the regulation; «hàng tháng, quý, 6 tháng, năm»
    # (003 Điều 6.2, L585–L589) is kept as an obligation with an unset due day, never a borrowed one.
    assert schedules.schedules_for(binhduong) == []
    undated = {o["code"]: o for o in schedules.undated_obligations(binhduong.rules)}
    assert undated["bao_cao_to_ubnd"]["periods"] == ["hằng tháng", "hằng quý", "6 tháng", "hằng năm"]
    assert {"bao_cao_to_vpcp", "bao_cao_procedural_problems_to_vpcp", "bao_cao_staffing_plan"} <= set(undated)
    assert schedules.generate_items(binhduong, at("2026-03-01")) == 0
    assert not Deadline.objects.filter(organisation=binhduong).exists()


def test_binhduong_schedule_page_says_not_regulated_instead_of_a_date(binhduong, login):
    page = login("bd.chanhvp").get("/cong-viec/dinh-ky/").content.decode()
    assert "Báo cáo tình hình công tác của Văn phòng gửi UBND tỉnh" in page
    assert "hạn nộp: chưa quy định" in page and "Quy chế không có lịch định kỳ" not in page


def test_a_day_given_later_in_the_profile_replaces_the_not_regulated_obligation(binhduong):
    binhduong.rules["schedules"] = [{"code": "bao_cao_to_ubnd", "kind": "report", "title": "Báo cáo tháng",
                                     "when": {"day": 20}, "source": "thử"}]  # fmt: skip
    binhduong.save()
    assert "bao_cao_to_ubnd" not in {o["code"] for o in schedules.undated_obligations(binhduong.rules)}
    assert dues(binhduong, "bao_cao_to_ubnd", dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == ["2026-05-20 23:59"]


# --------------------------------------------------------------------------- 004 (Hướng dẫn 21-HD/VPTW)


def test_party_office_units_hold_a_leaders_giao_ban_every_week(tinhuy):
    # 004 Điều 14 (L363), seed-004 B27: «Giao ban lãnh đạo đơn vị hằng tuần», chaired by the unit head;
    # no day is given: by the Friday of each week (inferred). 1/5/2026 (Friday) is a holiday → Thursday 30/4.
    assert dues(tinhuy, "giao_ban_don_vi", dt.date(2026, 4, 20), dt.date(2026, 5, 10)) == [
        "2026-04-24 23:59", "2026-04-29 23:59", "2026-05-08 23:59",
    ]  # fmt: skip
    assert len(dues(tinhuy, "giao_ban_don_vi")) == 52
    schedules.generate_items(tinhuy, at("2026-03-02"))
    item = ScheduledItem.objects.get(organisation=tinhuy, code="giao_ban_don_vi", period="2026-03-06")
    heads = Deadline.objects.filter(target_id=item.pk, kind="schedule.meeting")
    assert heads.count() == tinhuy.units.count()
    assert {d.assignee.main_post.position for d in heads} <= {"truong_phong", "pho_truong_phong"}
    assert "thứ Sáu hằng tuần" in item.note


def test_party_office_units_hold_quarterly_six_month_and_annual_reviews(tinhuy):
    # 004 L363: «hội nghị sơ kết quý, 6 tháng, tổng kết năm»; by the end of the period (inferred).
    assert dues(tinhuy, "so_ket_quy_don_vi") == ["2026-03-31 23:59", "2026-09-30 23:59"]
    assert dues(tinhuy, "so_ket_6_thang_don_vi") == ["2026-06-30 23:59"]
    assert dues(tinhuy, "tong_ket_nam_don_vi") == ["2026-12-31 23:59"]


def test_party_office_reports_without_a_day_are_not_regulated(tinhuy):
    # seed-004 §4 (T4–T9, T13): frequencies only; no due date is invented.
    undated = {o["code"]: o for o in schedules.undated_obligations(tinhuy.rules)}
    assert undated["bao_cao_cipher_reports"]["periods"] == ["6 tháng", "hằng năm"]
    assert undated["bao_cao_unit_results"]["periods"] == ["hằng tháng", "6 tháng", "hằng năm"]
    assert undated["bao_cao_thuc_hien_chuong_trinh"]["periods"] == ["hằng tháng", "hằng quý"]
    assert not {s.code for s in schedules.schedules_for(tinhuy)} & set(undated)


def test_daklak_quarterly_report_has_no_date_in_the_regulation(daklak):
    # 001 L106 names a quarterly report without a date (profile: reports.quarterly.due: null).
    undated = {o["code"]: o for o in schedules.undated_obligations(daklak.rules)}
    assert undated["bao_cao_quarterly"]["periods"] == ["hằng quý"]


def test_a_weekly_schedule_is_accepted_and_a_bad_nth_still_refused():
    ok = {"schedules": [{"code": "x", "kind": "meeting", "title": "X", "when": {"weekday": "monday", "nth": "every"}}]}
    assert schedules.validate_schedules(ok) == []
    bad = {"schedules": [{"code": "x", "kind": "meeting", "title": "X", "when": {"weekday": "monday", "nth": "hay"}}]}
    assert any("không hợp lệ" in p for p in schedules.validate_schedules(bad))


# --------------------------------------------------------------------------- every profile


@pytest.mark.parametrize("name", available_profiles())
def test_every_profile_schedule_is_valid(name):
    data = read_profile(name)
    assert schedules.validate_profile_data(data) == []


def test_an_explicit_schedule_adds_or_changes_one_without_code(hatinh):
    hatinh.rules["schedules"] = [
        {"code": "bao_cao_thang", "kind": "report", "title": "Báo cáo tháng", "when": {"day": 20},
         "assignees": ["unit_heads"], "source": "thử"},
        {"code": "bao_cao_bao_mat_nam", "enabled": False},
    ]  # fmt: skip
    hatinh.save()
    codes = {s.code for s in schedules.schedules_for(hatinh)}
    assert "bao_cao_thang" in codes and "bao_cao_bao_mat_nam" not in codes
    assert dues(hatinh, "bao_cao_thang", dt.date(2026, 5, 1), dt.date(2026, 5, 31)) == ["2026-05-20 23:59"]


# --------------------------------------------------------------------------- bad profiles


@pytest.mark.parametrize(
    ("when", "message"),
    [
        ({"months": [2], "day": 31}, "không có ngày 31 tháng 2"),
        ({"months": [2], "day": 30}, "không có ngày 30 tháng 2"),
        ({"day": 31}, "không có ngày 31 tháng 2"),
        ({"weekday": "thursday", "nth": [5]}, "tuần thứ «[5]» không hợp lệ"),
        ({"weekday": "thursday", "nth": [0]}, "tuần thứ «[0]» không hợp lệ"),
        ({"weekday": "funday", "nth": [1]}, "thứ «funday» không hợp lệ"),
        ({"months": [13], "day": 1}, "tháng phải là số từ 1 đến 12"),
        ({"day": 5, "weekday": "friday", "nth": [1]}, "phải có đúng một"),
        ({"day": 5, "time": "25:00"}, "giờ «25:00» không hợp lệ"),
    ],
)
def test_a_schedule_that_makes_no_sense_is_refused(when, message):
    rules = {"schedules": [{"code": "x", "kind": "report", "title": "X", "when": when}]}
    problems = schedules.validate_schedules(rules)
    assert any(message in p for p in problems), problems


def test_unknown_units_and_assignees_are_refused():
    rules = {"schedules": [{"code": "x", "title": "X", "when": {"day": 1}, "assignees": ["unit:khong", "ai"]}]}
    problems = schedules.validate_schedules(rules, units={"hctc"})
    assert any("không có đơn vị «khong»" in p for p in problems)
    assert any("người thực hiện «ai» không hợp lệ" in p for p in problems)


def test_a_broken_profile_is_refused_at_load_time_and_nothing_changes(hatinh, tmp_path: Path):
    data = yaml.safe_load((PROFILES_DIR / "hatinh-ubnd.yaml").read_text(encoding="utf-8"))
    data["name"] = "Tên mới không được lưu"
    meeting = {"code": "hop", "kind": "meeting", "title": "Họp", "when": {"months": [2], "day": 31}}
    data["rules"]["schedules"] = [meeting]
    data["rules"]["deadline_conventions"] = {"nth_week": "tuan_bat_ky"}
    path = tmp_path / "hatinh-ubnd.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(ProfileError) as exc:
        load_profile(str(path))
    text = " ".join(exc.value.messages)
    assert "không có ngày 31 tháng 2" in text and "nth_week" in text
    hatinh.refresh_from_db()
    assert hatinh.name == "Văn phòng UBND tỉnh Hà Tĩnh"


# --------------------------------------------------------------------------- generation, reminders, done


def test_generation_creates_each_occurrence_once_with_a_deadline_per_unit_head(binhthuan):
    first = schedules.generate_items(binhthuan, at("2026-03-01"))
    again = schedules.generate_items(binhthuan, at("2026-03-01", 15))
    assert first > 0 and again == 0
    item = ScheduledItem.objects.get(code="bao_cao_thang", period="2026-03-25")
    heads = Deadline.objects.filter(target_id=item.pk, kind="schedule.report")
    units = binhthuan.units.count()
    assert heads.count() == units
    assert all(d.note == item.note and d.source == item.source for d in heads)


def test_the_scan_generates_the_coming_period_and_reminds_one_working_day_before(binhthuan):
    run_deadline_scan(at("2026-03-01"))
    item = ScheduledItem.objects.get(code="bao_cao_thang", period="2026-03-25")
    assert run_deadline_scan(at("2026-03-23")).reminded == 0
    summary = run_deadline_scan(at("2026-03-24", 7))
    assert summary.reminded >= binhthuan.units.count()
    assert Notification.objects.filter(kind="reminder", url__endswith=f"/{item.pk}/").count() == binhthuan.units.count()
    assert run_deadline_scan(at("2026-03-24", 7)).notifications == 0


def test_a_missed_week_is_caught_up(binhthuan):
    """Nothing ran between 1 and 26 March: the March report is flagged overdue once, April's is generated."""
    run_deadline_scan(at("2026-03-01"))
    summary = run_deadline_scan(at("2026-03-26", 8))
    assert summary.overdue >= binhthuan.units.count()
    assert ScheduledItem.objects.filter(code="bao_cao_thang", period="2026-04-25").exists()


def test_each_unit_marks_its_own_report_done(binhthuan):
    schedules.generate_items(binhthuan, at("2026-03-01"))
    item = ScheduledItem.objects.get(code="bao_cao_thang", period="2026-03-25")
    holders = [d.assignee for d in Deadline.objects.filter(target_id=item.pk, kind="schedule.report")]
    schedules.mark_done(item, holders[0])
    item.refresh_from_db()
    assert item.state == ItemState.OPEN
    for person in holders[1:]:
        schedules.mark_done(item, person)
    item.refresh_from_db()
    assert item.state == ItemState.DONE


def test_schedule_pages_show_the_due_date_with_its_reading(binhthuan, login):
    schedules.generate_items(binhthuan, timezone.now())
    from office.models import Staff

    username = Staff.objects.filter(organisation=binhthuan).values_list("user__username", flat=True).first()
    page = login(username).get("/cong-viec/dinh-ky/").content.decode()
    assert "Quy ước tính hạn" in page and "«Trước ngày X»: hạn là hết ngày liền trước X." in page
    item = ScheduledItem.objects.filter(organisation=binhthuan).first()
    assert login(username).get(f"/cong-viec/dinh-ky/{item.pk}/").status_code == 200


def test_another_offices_item_is_404(binhthuan, hatinh, login):
    schedules.generate_items(binhthuan, timezone.now())
    item = ScheduledItem.objects.filter(organisation=binhthuan).first()
    assert login("ht.chanhvp").get(f"/cong-viec/dinh-ky/{item.pk}/").status_code == 404


# --------------------------------------------------------------------------- 002 Điều 9.3


def test_an_issued_programme_is_distributed_within_one_day(binhthuan, person):
    # 002 Điều 9.3 (L745–L749): «trong thời hạn một ngày»; «ngày» read as a calendar day (profile convention).
    from office.models import Staff

    chanh = Staff.objects.get(organisation=binhthuan, posts__position="chanh_vp")
    item = schedules.record_issued_programme(chanh, title="Chương trình quý II", issued_at=at("2026-04-03", 16))
    assert timezone.localtime(item.due_at).date() == dt.date(2026, 4, 4)  # Saturday: calendar day
    holders = Deadline.objects.filter(target_id=item.pk, kind="schedule.programme")
    assert {d.unit.code for d in holders} == {"hctd"}
    binhthuan.rules["deadline_conventions"] = {"plain_day_is_calendar": False}
    binhthuan.save()
    chanh.organisation.refresh_from_db()
    item = schedules.record_issued_programme(chanh, title="Chương trình tháng 5", issued_at=at("2026-04-03", 17))
    assert timezone.localtime(item.due_at).date() == dt.date(2026, 4, 6)  # the next working day, Monday


def test_only_leaders_or_the_compiling_unit_record_an_issued_programme(binhthuan, hatinh, person):
    from django.core.exceptions import PermissionDenied, ValidationError

    from office.models import Staff

    outsider = (
        Staff.objects.filter(organisation=binhthuan, posts__position="chuyen_vien")
        .exclude(posts__unit__code="hctd")
        .first()
    )
    with pytest.raises(PermissionDenied):
        schedules.record_issued_programme(outsider, title="X")
    with pytest.raises(ValidationError, match="không quy định thời hạn phát hành"):
        schedules.record_issued_programme(person("ht.chanhvp"), title="X")  # 000 has no such rule
    assert not ScheduledItem.objects.exists()
