"""Recurring meetings, reports and programme steps  # lịch họp, báo cáo định kỳ, chương trình công tác.

Every date comes from the regulation profile (office/profiles/<code>.yaml, under `rules:`), never
from code. Two sources, merged by `code`:

1. The structured keys the profile already carries (rules.meetings.*, rules.reports.*,
   rules.programmes.*, rules.archive.*) are read by `_derive` below, e.g.
   001 §II.5 (L97) «thứ Sáu của tuần thứ hai và tuần thứ tư» is
   `meetings.office_giao_ban: {weekday: friday, weeks_of_month: [2, 4]}`.
2. `rules.schedules:` — a list of entries in the canonical form, to add a schedule or change a
   derived one (same `code`) without code; `enabled: false` switches one off:

       - code: bao_cao_thang
         kind: report                       # meeting | report | programme | archive | other
         title: Báo cáo tháng
         when: {day: 25}                    # or {day: last}, {day: [15, last]}, {months: [6], day: 15, before: true},
                                            #    {weekday: friday, nth: [2, 4]}, time: "12:00" (cut-off)
         assignees: [unit_heads]            # chanh_vp | office_leaders | unit_heads | registry_unit | unit:<code>
         remind_before_days: 1              # working days
         follow_up: {title: Thông báo kết luận, working_days: 3, assignees: [unit:hctc]}
         source: "002 Điều 12 (L885)"

Where the seeds are ambiguous the profile's `rules.deadline_conventions` decides (defaults in
`Conventions`), and the reading applied is written beside each due date (ScheduledItem.note).
A profile with a schedule that makes no sense (31 February, Thursday of the 5th week) is refused
at load time (validate_schedules, registered as a profile extension in workflow.apps).
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from office.models import Organisation, Position, Post, Staff
from office.services import calendar
from workflow.models import ItemState, ScheduledItem, ScheduleKind
from workflow.services import deadlines

WEEKDAYS = {"monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6}
WEEKDAY_VI = ["thứ Hai", "thứ Ba", "thứ Tư", "thứ Năm", "thứ Sáu", "thứ Bảy", "Chủ nhật"]
ASSIGNEE_TOKENS = {"chanh_vp", "office_leaders", "unit_heads", "registry_unit"}
NON_WORKING_POLICIES = {"previous_working_day", "next_working_day", "keep"}
NTH_READINGS = {"nth_weekday", "calendar_week"}
QUARTER_ENDS = (3, 6, 9, 12)
#: How far ahead items are generated, so reminders can fire before the first due date.
HORIZON_DAYS = 45


# --------------------------------------------------------------------------- conventions


@dataclass(frozen=True)
class Conventions:
    """Readings of ambiguous wording, a profile setting each (rules.deadline_conventions).

    - plain_day_is_calendar: «N ngày» without «làm việc» counts calendar days (the seeds write
      «ngày làm việc» where they mean it).
    - before_inclusive: «trước ngày 15» excludes the 15th: due at the end of the 14th.
    - nth_week: «thứ Sáu tuần thứ hai» is the second Friday of the month (`nth_weekday`), or the
      Friday of the second Monday–Sunday row of the month (`calendar_week`) — seed-001 §10 Q1.
    - non_working_fixed_date: a fixed date on a non-working day moves to the previous working day.
    - morning_cutoff: «sáng» (morning) ends at 12:00 (seed-001 §10 Q5).
    """

    plain_day_is_calendar: bool = True
    before_inclusive: bool = False
    nth_week: str = "nth_weekday"
    non_working_fixed_date: str = "previous_working_day"
    morning_cutoff: str = "12:00"


def conventions(rules: dict[str, Any] | None) -> Conventions:
    raw = (rules or {}).get("deadline_conventions") or {}
    known = Conventions.__dataclass_fields__
    return Conventions(**{k: v for k, v in raw.items() if k in known})


def conventions_summary(conv: Conventions) -> list[str]:
    """The readings in force, in Vietnamese, for the page that lists due dates."""
    return [
        "«N ngày» (không ghi «làm việc») tính theo ngày lịch."
        if conv.plain_day_is_calendar
        else "«N ngày» tính theo ngày làm việc.",
        "«Trước ngày X» gồm cả ngày X." if conv.before_inclusive else "«Trước ngày X»: hạn là hết ngày liền trước X.",
        "«Thứ … tuần thứ hai» là thứ đó lần thứ hai trong tháng."
        if conv.nth_week == "nth_weekday"
        else "«Thứ … tuần thứ hai» là thứ đó của hàng tuần (thứ Hai–Chủ nhật) thứ hai của tháng.",
        {
            "previous_working_day": "Ngày cố định rơi vào ngày nghỉ thì lùi về ngày làm việc liền trước.",
            "next_working_day": "Ngày cố định rơi vào ngày nghỉ thì chuyển sang ngày làm việc liền sau.",
            "keep": "Ngày cố định rơi vào ngày nghỉ vẫn giữ nguyên.",
        }[conv.non_working_fixed_date],
        f"Buổi sáng tính đến {conv.morning_cutoff}.",
    ]


# --------------------------------------------------------------------------- the canonical form


@dataclass(frozen=True)
class Schedule:
    code: str
    kind: str
    title: str
    months: tuple[int, ...]
    days: tuple[int | str, ...] = ()  # fixed days of the month (int or "last")
    weekday: int | None = None
    nth: tuple[int, ...] = ()
    before: bool = False
    inclusive: bool | None = None  # per-entry override of conventions.before_inclusive
    time: dt.time | None = None
    assignees: tuple[str, ...] = ("unit_heads",)
    remind_before_days: int = 1
    follow_up: dict | None = None
    source: str = ""
    non_working: str | None = None  # per-entry override of conventions.non_working_fixed_date
    escalate_to: str | None = None
    extra: dict = field(default_factory=dict, compare=False)


def _months(value: Any) -> list[int]:
    if value in (None, "*", "all"):
        return list(range(1, 13))
    return list(value) if isinstance(value, list | tuple) else [value]


def _mmdd(value: str) -> tuple[int, int]:
    month, day = str(value).split("-")
    return int(month), int(day)


# --------------------------------------------------------------------------- derived from profile keys


def _meeting(code: str, title: str, when: dict, source: str, **extra) -> dict:
    return {"code": code, "kind": "meeting", "title": title, "when": when, "assignees": ["chanh_vp"],
            "source": source, **extra}  # fmt: skip


def _frequency_when(freq: Any) -> dict | None:
    """Meetings given only a frequency: due by the end of the period (the date is the chair's choice).

    «hằng tuần» (weekly): by the Friday of each week, the last working day (inferred, as for the others).
    """
    return {
        "weekly": {"weekday": "friday", "nth": "every"},
        "monthly": {"day": "last"},
        "half_monthly": {"day": [15, "last"]},
        "every_3_months": {"months": list(QUARTER_ENDS), "day": "last"},
        "quarterly": {"months": list(QUARTER_ENDS), "day": "last"},
        "every_6_months": {"months": [6, 12], "day": "last"},
        "yearly": {"months": [12], "day": "last"},
    }.get(freq)


def _derive(rules: dict[str, Any]) -> list[dict]:
    """Schedules implied by the structured keys the profiles already carry."""
    out: list[dict] = []
    meetings = rules.get("meetings") or {}
    reports = rules.get("reports") or {}
    programmes = rules.get("programmes") or {}
    archive = rules.get("archive") or {}

    giao_ban = meetings.get("office_giao_ban")
    if isinstance(giao_ban, dict) and giao_ban.get("weekday"):
        # 001 §II.5 (L97–L98): Friday of the 2nd and 4th week; conclusions within 3 working days by HC-TC.
        entry = _meeting(
            "giao_ban_van_phong",
            "Giao ban Văn phòng",
            {"weekday": giao_ban["weekday"], "nth": giao_ban.get("weeks_of_month") or []},
            "Giao ban Văn phòng (001 Mục B.II.5.1, L97)",
        )
        notice = giao_ban.get("conclusion_notice")
        if isinstance(notice, dict):
            entry["follow_up"] = {
                "title": "Thông báo kết luận giao ban",
                "working_days": notice.get("working_days"),
                "assignees": [f"unit:{notice['unit']}"] if notice.get("unit") else ["registry_unit"],
                "source": "Thông báo kết luận giao ban trong 3 ngày làm việc (001 Mục B.II.5.1, L98)",
            }
        out.append(entry)
    elif isinstance(giao_ban, dict) and _frequency_when(giao_ban.get("frequency")):
        out.append(_meeting("giao_ban_van_phong", "Giao ban Văn phòng", _frequency_when(giao_ban["frequency"]),
                            "Giao ban cơ quan hằng tháng (002 Điều 11.1, L814)"))  # fmt: skip

    hoi_y = meetings.get("ldvp_hoi_y")
    freq = hoi_y.get("frequency") if isinstance(hoi_y, dict) else None
    if _frequency_when(freq):
        out.append(_meeting("hoi_y_lanh_dao", "Hội ý Lãnh đạo Văn phòng", _frequency_when(freq),
                            "Hội ý lãnh đạo Văn phòng định kỳ (001 L99; 002 Điều 11.1, L810)"))  # fmt: skip
    if _frequency_when(meetings.get("ldvp_giao_ban")):
        out.append(_meeting("giao_ban_lanh_dao", "Giao ban Lãnh đạo Văn phòng",
                            _frequency_when(meetings["ldvp_giao_ban"]),
                            "Chánh, Phó Chánh Văn phòng giao ban 1 lần/tháng (000 Điều 5.6, L79)"))  # fmt: skip

    district = meetings.get("district_offices_giao_ban")
    if isinstance(district, dict) and district.get("months"):
        out.append(_meeting("giao_ban_van_phong_huyen", "Giao ban với Văn phòng các sở, huyện",
                            {"months": district["months"], "day": "last"},
                            "Giao ban 2 lần/năm vào tháng 5 và tháng 11 (001 L100)"))  # fmt: skip
    elif _frequency_when(district):
        out.append(_meeting("giao_ban_van_phong_huyen", "Giao ban với Văn phòng HĐND và UBND cấp huyện",
                            _frequency_when(district),
                            "Định kỳ 3 tháng giao ban với Văn phòng cấp huyện (000 Điều 18.3.b, L246)"))  # fmt: skip

    # 004 Điều 14 (L362–L364): «Giao ban lãnh đạo đơn vị hằng tuần; hội nghị sơ kết quý, 6 tháng, tổng kết
    # năm» — each unit's own meetings, convened and chaired by its head (004 L90–L91). No day is given:
    # by the end of the period (inferred). The 6-month and annual conferences take the place of the
    # 2nd and 4th quarter's review (inferred), so quarterly reviews fall in March and September.
    unit_giao_ban = _frequency_when(meetings.get("unit_giao_ban"))
    if unit_giao_ban:
        out.append({**_meeting("giao_ban_don_vi", "Giao ban lãnh đạo đơn vị", unit_giao_ban,
                               "Giao ban lãnh đạo đơn vị hằng tuần (004 Điều 14, L363); ngày họp: (suy luận) "
                               "trong tuần, do trưởng đơn vị chọn"),
                    "assignees": ["unit_heads"]})  # fmt: skip
    reviews = meetings.get("unit_reviews") or []
    for period, code, title, months in (
        ("quarterly", "so_ket_quy_don_vi", "Hội nghị sơ kết quý của đơn vị", [3, 9]),
        ("half_yearly", "so_ket_6_thang_don_vi", "Hội nghị sơ kết 6 tháng của đơn vị", [6]),
        ("yearly", "tong_ket_nam_don_vi", "Hội nghị tổng kết năm của đơn vị", [12]),
    ):
        if isinstance(reviews, list) and period in reviews:
            out.append({**_meeting(code, title, {"months": months, "day": "last"},
                                   "Hội nghị sơ kết quý, 6 tháng, tổng kết năm (004 Điều 14, L363); ngày họp: "
                                   "(suy luận) trước cuối kỳ"),
                        "assignees": ["unit_heads"]})  # fmt: skip

    half_monthly = reports.get("half_monthly")
    if isinstance(half_monthly, dict) and half_monthly.get("weekday"):
        when = {"weekday": half_monthly["weekday"], "nth": half_monthly.get("weeks_of_month") or []}
        if half_monthly.get("cutoff") == "morning":
            when["time"] = "morning"
        out.append({"code": "bao_cao_nua_thang", "kind": "report", "title": "Báo cáo nửa tháng", "when": when,
                    "source": "Sáng thứ Năm tuần thứ hai và thứ tư (001 Mục B.II.7.2, L106)"})  # fmt: skip
    monthly = reports.get("monthly")
    if isinstance(monthly, dict) and monthly.get("due_day"):
        out.append({"code": "bao_cao_thang", "kind": "report", "title": "Báo cáo tháng",
                    "when": {"day": monthly["due_day"]},
                    "source": "Ngày 25 hằng tháng gửi báo cáo tháng (002 Điều 12, L885)"})  # fmt: skip
    for key, code, title, src in (
        ("half_yearly", "bao_cao_6_thang", "Báo cáo sơ kết 6 tháng", "Báo cáo 6 tháng (001 L106; 002 Điều 12, L887)"),
        ("yearly", "bao_cao_nam", "Báo cáo tổng kết năm", "Báo cáo năm (001 L106; 002 Điều 12, L889)"),
    ):
        spec = reports.get(key)
        if isinstance(spec, dict) and spec.get("due"):
            month, day = _mmdd(spec["due"])
            when = {"months": [month], "day": day}
            if spec.get("inclusive") is False:
                when["before"] = True  # «trước ngày …»
            out.append({"code": code, "kind": "report", "title": title, "when": when, "source": src})
    secrecy = reports.get("secrecy_report")
    if secrecy:
        periods = secrecy if isinstance(secrecy, list) else [secrecy]
        src = "Báo cáo bảo vệ bí mật nhà nước định kỳ 3 tháng, năm (000 Điều 31.3, L357); ngày nộp: (suy luận) cuối kỳ"
        if "quarterly" in periods:
            out.append({"code": "bao_cao_bao_mat_quy", "kind": "report", "title": "Báo cáo bảo vệ bí mật nhà nước quý",
                        "when": {"months": list(QUARTER_ENDS), "day": "last"}, "source": src})  # fmt: skip
        if "yearly" in periods:
            out.append({"code": "bao_cao_bao_mat_nam", "kind": "report", "title": "Báo cáo bảo vệ bí mật nhà nước năm",
                        "when": {"months": [12], "day": "last"}, "source": src})  # fmt: skip

    drafts = programmes.get("quarterly_unit_drafts")
    if isinstance(drafts, dict) and drafts.get("due_day_of_last_month_of_quarter"):
        when = {"months": list(QUARTER_ENDS), "day": drafts["due_day_of_last_month_of_quarter"]}
        if drafts.get("inclusive") is False:
            when["before"] = True
        out.append({"code": "du_thao_chuong_trinh_quy", "kind": "programme",
                    "title": "Gửi dự thảo chương trình công tác quý sau", "when": when,
                    "source": "Chậm nhất ngày 15 tháng cuối quý (001 Mục B.II.1.2, L73)"})  # fmt: skip
    changes = programmes.get("monthly_change_proposals")
    if isinstance(changes, dict) and changes.get("before_day_of_month"):
        when = {"day": changes["before_day_of_month"]}
        if changes.get("inclusive") is False:
            when["before"] = True
        out.append({"code": "dieu_chinh_chuong_trinh_thang", "kind": "programme",
                    "title": "Đề xuất điều chỉnh chương trình công tác", "when": when,
                    "source": "Trước ngày 25 hằng tháng (001 Mục B.II.1.2, L74)"})  # fmt: skip
    annual = programmes.get("office_service_programme")
    if isinstance(annual, dict) and annual.get("before"):
        month, day = _mmdd(annual["before"])
        drafter = annual.get("drafted_by")
        out.append({"code": "chuong_trinh_nam", "kind": "programme",
                    "title": "Ban hành chương trình công tác năm sau của Văn phòng",
                    "when": {"months": [month], "day": day, "before": True},
                    "assignees": [f"unit:{drafter}"] if drafter else ["chanh_vp"],
                    "source": "Trước ngày 25 tháng 12 hằng năm (001 Mục B.II.1.1, L70)"})  # fmt: skip

    if archive.get("unit_list_registration_before"):
        month, day = _mmdd(archive["unit_list_registration_before"])
        out.append({"code": "dang_ky_danh_muc_ho_so", "kind": "archive",
                    "title": "Đăng ký bổ sung danh mục hồ sơ nộp lưu",
                    "when": {"months": [month], "day": day, "before": True},
                    "source": "Trước 15/12 hằng năm (000 Điều 30.1, L349)"})  # fmt: skip
    if archive.get("office_list_signed_before"):
        month, day = _mmdd(archive["office_list_signed_before"])
        out.append({"code": "ban_hanh_danh_muc_ho_so", "kind": "archive",
                    "title": "Trình ban hành danh mục hồ sơ của Văn phòng",
                    "when": {"months": [month], "day": day, "before": True}, "assignees": ["registry_unit"],
                    "source": "Trình Chánh Văn phòng ký ban hành trước 31/12 (000 Điều 30.2, L350)"})  # fmt: skip
    return out


PERIOD_VI = {
    "weekly": "hằng tuần", "monthly": "hằng tháng", "quarterly": "hằng quý", "half_yearly": "6 tháng",
    "nine_monthly": "9 tháng", "yearly": "hằng năm", "periodic": "định kỳ (kỳ chưa quy định)",
}  # fmt: skip
#: Reports the profiles name with a frequency but no due day: (rules.reports key, title, source).
UNDATED_REPORTS = (
    ("quarterly", "Báo cáo quý", "001 Mục B.II.7.2 (L106): báo cáo quý, không ghi ngày"),
    ("to_ubnd", "Báo cáo tình hình công tác của Văn phòng gửi UBND tỉnh", "003 Điều 6.2 (L585–L589)"),
    ("to_vpcp", "Báo cáo công tác gửi Văn phòng Chính phủ", "003 Điều 6.1.a (L570–L574)"),
    ("procedural_problems_to_vpcp", "Báo cáo vướng mắc về thẩm quyền, thủ tục gửi Văn phòng Chính phủ",
     "003 L264–L272"),
    ("document_follow_up_to_chu_tich", "Rà soát, báo cáo Chủ tịch việc thực hiện văn bản", "003 L256–L262"),
    ("staffing_plan", "Kế hoạch biên chế, vị trí việc làm", "003 Điều 4.2 (L483–L491)"),
    ("unit_results", "Báo cáo kết quả công tác của đơn vị", "004 L87–L89"),
    ("cipher_reports", "Báo cáo công tác cơ yếu gửi Cục Cơ yếu Đảng - Chính quyền", "004 L305–L309"),
)  # fmt: skip


def undated_obligations(rules: dict[str, Any] | None) -> list[dict]:
    """Periodic obligations the regulation names without a due day  # hạn nộp chưa quy định.

    seed-003 §4 (L283) and §10.4: the Bình Dương regulation has frequencies only; the software must
    keep them as periodic obligations with an unset due day and show «chưa quy định», never a day
    borrowed from another office. The same holds for the Party-office guidance (seed-004 §4: T4–T9,
    T13). Nothing is generated for them (no deadline, no reminder) until the profile gives a day,
    e.g. by adding an entry to `rules.schedules` with the same code.
    """
    rules = rules or {}
    reports = rules.get("reports") or {}
    programmes = rules.get("programmes") or {}
    scheduled = {e["code"] for e in schedule_entries(rules)}
    out: list[dict] = []

    def periods_of(spec: Any, key: str = "") -> list[str]:
        if isinstance(spec, str):
            return [spec]
        if isinstance(spec, list):
            return [str(p) for p in spec]
        if isinstance(spec, dict) and spec.get("due") is None:
            raw = spec.get("periods") or [key if key in PERIOD_VI else "periodic"]
            return [str(p) for p in raw]
        return []

    for key, title, source in UNDATED_REPORTS:
        periods = periods_of(reports.get(key), key)
        if periods and f"bao_cao_{key}" not in scheduled:
            out.append({"code": f"bao_cao_{key}", "kind": "report", "title": title, "source": source,
                        "periods": [PERIOD_VI.get(p, p) for p in periods]})  # fmt: skip
    execution = periods_of(programmes.get("execution_report_to_chanh"))
    if execution and "bao_cao_thuc_hien_chuong_trinh" not in scheduled:
        out.append({"code": "bao_cao_thuc_hien_chuong_trinh", "kind": "report",
                    "title": "Báo cáo Chánh Văn phòng tình hình thực hiện chương trình công tác",
                    "source": "Trưởng phòng HC-TD báo cáo hằng tháng, quý (002 Điều 9.5, L761–L767; 004 L198–L201)",
                    "periods": [PERIOD_VI.get(p, p) for p in execution]})  # fmt: skip
    return out


def schedule_entries(rules: dict[str, Any] | None) -> list[dict]:
    """Derived entries, then the profile's explicit `schedules:` list (same code replaces)."""
    rules = rules or {}
    merged: dict[str, dict] = {}
    for entry in _derive(rules):
        merged[entry["code"]] = entry
    explicit = rules.get("schedules") or []
    if isinstance(explicit, list):
        for entry in explicit:
            if isinstance(entry, dict) and entry.get("code"):
                if entry.get("enabled") is False:
                    merged.pop(entry["code"], None)
                else:
                    merged[entry["code"]] = entry
    return list(merged.values())


# --------------------------------------------------------------------------- validation


_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


def _check_entry(entry: Any, units: set[str] | None, where: str) -> list[str]:
    if not isinstance(entry, dict):
        return [f"{where}: mỗi lịch phải là một bảng (mapping)."]
    problems: list[str] = []
    code = entry.get("code")
    label = f"{where} «{code or '?'}»"
    if not code or not re.fullmatch(r"[a-z0-9_-]+", str(code)):
        problems.append(f"{label}: thiếu mã (code) hoặc mã có ký tự không hợp lệ.")
    if entry.get("kind", "other") not in ScheduleKind.values:
        problems.append(f"{label}: loại «{entry.get('kind')}» không hợp lệ ({', '.join(ScheduleKind.values)}).")
    if not entry.get("title"):
        problems.append(f"{label}: thiếu tên (title).")
    when = entry.get("when")
    if not isinstance(when, dict):
        return [*problems, f"{label}: thiếu thời điểm (when)."]
    try:
        months = _months(when.get("months"))
    except TypeError:
        months = []
    if not months or any(not isinstance(m, int) or not 1 <= m <= 12 for m in months):
        problems.append(f"{label}: tháng phải là số từ 1 đến 12.")
        months = [m for m in months if isinstance(m, int) and 1 <= m <= 12]
    has_day, has_weekday = "day" in when, "weekday" in when
    if has_day == has_weekday:
        problems.append(f"{label}: phải có đúng một trong hai: ngày trong tháng (day) hoặc thứ trong tuần (weekday).")
    if has_day:
        days = when["day"] if isinstance(when["day"], list) else [when["day"]]
        for day in days:
            if day == "last":
                continue
            if not isinstance(day, int) or not 1 <= day <= 31:
                problems.append(f"{label}: ngày «{day}» không hợp lệ (1–31 hoặc «last»).")
                continue
            for month in months:
                longest = 29 if month == 2 else pycal.monthrange(2025, month)[1]
                if day > longest or (month == 2 and day == 29):
                    problems.append(
                        f"{label}: không có ngày {day} tháng {month} (hoặc không phải năm nào cũng có); "
                        "dùng «last» cho ngày cuối tháng."
                    )
                    break
    if has_weekday:
        if when["weekday"] not in WEEKDAYS:
            problems.append(f"{label}: thứ «{when['weekday']}» không hợp lệ ({', '.join(WEEKDAYS)}).")
        nth = when.get("nth")
        nth = nth if isinstance(nth, list) else [nth]
        if nth == ["every"]:
            nth = [1]  # every week of the month
        if not nth or any(not isinstance(n, int) or not 1 <= n <= 4 for n in nth):
            problems.append(
                f"{label}: tuần thứ «{when.get('nth')}» không hợp lệ: chỉ dùng tuần 1 đến 4 "
                "(không phải tháng nào cũng có tuần thứ 5), hoặc «every» cho hằng tuần."
            )
    time = when.get("time")
    if time is not None and time != "morning" and not (isinstance(time, str) and _TIME.match(time)):
        problems.append(f"{label}: giờ «{time}» không hợp lệ (HH:MM hoặc «morning»).")
    if when.get("non_working") is not None and when["non_working"] not in NON_WORKING_POLICIES:
        problems.append(f"{label}: cách xử lý ngày nghỉ «{when['non_working']}» không hợp lệ.")
    problems += _check_assignees(entry.get("assignees", ["unit_heads"]), units, label)
    remind = entry.get("remind_before_days", 1)
    if not isinstance(remind, int) or remind < 0:
        problems.append(f"{label}: số ngày nhắc trước phải là số nguyên không âm.")
    follow = entry.get("follow_up")
    if follow is not None:
        if not isinstance(follow, dict) or not follow.get("title"):
            problems.append(f"{label}: việc tiếp theo (follow_up) phải có tên.")
        elif not isinstance(follow.get("working_days"), int) or follow["working_days"] < 1:
            problems.append(f"{label}: việc tiếp theo phải có số ngày làm việc (working_days) dương.")
        else:
            problems += _check_assignees(follow.get("assignees", ["registry_unit"]), units, label)
    return problems


def _check_assignees(assignees: Any, units: set[str] | None, label: str) -> list[str]:
    if not isinstance(assignees, list) or not assignees:
        return [f"{label}: danh sách người thực hiện (assignees) phải là một danh sách không rỗng."]
    problems = []
    for token in assignees:
        if isinstance(token, str) and token.startswith("unit:"):
            if units is not None and token[5:] not in units:
                problems.append(f"{label}: không có đơn vị «{token[5:]}» trong hồ sơ.")
        elif token not in ASSIGNEE_TOKENS:
            problems.append(f"{label}: người thực hiện «{token}» không hợp lệ.")
    return problems


def validate_schedules(rules: dict[str, Any] | None, units: set[str] | None = None) -> list[str]:
    """Every problem with the profile's schedules and conventions, in Vietnamese (empty when fine)."""
    rules = rules or {}
    problems: list[str] = []
    raw_conv = rules.get("deadline_conventions") or {}
    if not isinstance(raw_conv, dict):
        problems.append("Quy ước tính hạn (deadline_conventions) phải là một bảng.")
    else:
        unknown = set(raw_conv) - set(Conventions.__dataclass_fields__)
        if unknown:
            problems.append(f"Quy ước tính hạn: khóa không biết {sorted(unknown)}.")
        if raw_conv.get("nth_week", "nth_weekday") not in NTH_READINGS:
            problems.append(f"Quy ước tính hạn: nth_week phải là một trong {sorted(NTH_READINGS)}.")
        if raw_conv.get("non_working_fixed_date", "previous_working_day") not in NON_WORKING_POLICIES:
            allowed = sorted(NON_WORKING_POLICIES)
            problems.append(f"Quy ước tính hạn: non_working_fixed_date phải là một trong {allowed}.")
        if not _TIME.match(str(raw_conv.get("morning_cutoff", "12:00"))):
            problems.append("Quy ước tính hạn: morning_cutoff phải có dạng HH:MM.")
    explicit = rules.get("schedules")
    if explicit is not None and not isinstance(explicit, list):
        problems.append("Lịch định kỳ (schedules) phải là một danh sách.")
        explicit = []
    seen: set[str] = set()
    for entry in explicit or []:
        if isinstance(entry, dict) and entry.get("enabled") is False:
            continue
        code = entry.get("code") if isinstance(entry, dict) else None
        if code in seen:
            problems.append(f"Lịch định kỳ «{code}» bị khai báo hai lần.")
        seen.add(code)
        problems += _check_entry(entry, units, "Lịch định kỳ")
    try:
        derived = _derive(rules)
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        return [*problems, f"Lịch họp, báo cáo trong hồ sơ không đọc được: {exc}"]
    for entry in derived:
        if entry["code"] not in seen:
            problems += _check_entry(entry, units, "Lịch suy ra từ quy chế")
    return problems


def validate_profile_data(data: dict[str, Any]) -> list[str]:
    """Profile extension hook: the whole profile file as read from YAML."""
    units = {u.get("code") for u in data.get("units") or [] if isinstance(u, dict)}
    return validate_schedules(data.get("rules") or {}, units)


# --------------------------------------------------------------------------- parsing and occurrences


def parse(entry: dict, conv: Conventions) -> Schedule:
    when = entry["when"]
    time = when.get("time")
    if time == "morning":
        time = conv.morning_cutoff
    days = when.get("day")
    nth = when.get("nth")
    return Schedule(
        code=entry["code"],
        kind=entry.get("kind", "other"),
        title=entry["title"],
        months=tuple(_months(when.get("months"))),
        days=tuple(days if isinstance(days, list) else [days]) if days is not None else (),
        weekday=WEEKDAYS[when["weekday"]] if "weekday" in when else None,
        nth=tuple(nth if isinstance(nth, list) else [nth]) if nth is not None else (),
        before=bool(when.get("before", False)),
        inclusive=when.get("inclusive"),
        time=dt.time.fromisoformat(time) if time else None,
        assignees=tuple(entry.get("assignees") or ["unit_heads"]),
        remind_before_days=entry.get("remind_before_days", 1),
        follow_up=entry.get("follow_up"),
        source=entry.get("source", ""),
        non_working=when.get("non_working"),
        escalate_to=entry.get("escalate_to"),
    )


def schedules_for(org: Organisation) -> list[Schedule]:
    conv = conventions(org.rules)
    return [parse(entry, conv) for entry in schedule_entries(org.rules)]


def nth_weekday(year: int, month: int, weekday: int, n: int, reading: str = "nth_weekday") -> dt.date | None:
    """«thứ X tuần thứ n» of a month under the profile's reading (None when it falls outside the month)."""
    first = dt.date(year, month, 1)
    if reading == "calendar_week":
        monday = first - dt.timedelta(days=first.weekday())
        day = monday + dt.timedelta(weeks=n - 1, days=weekday)
    else:
        offset = (weekday - first.weekday()) % 7
        day = first + dt.timedelta(days=offset, weeks=n - 1)
    return day if day.month == month else None


@dataclass(frozen=True)
class Occurrence:
    nominal: dt.date
    due_at: dt.datetime
    note: str


def _shift(day: dt.date, policy: str) -> dt.date:
    step = {"previous_working_day": -1, "next_working_day": 1}.get(policy)
    if step is None:
        return day
    while not calendar.is_working_day(day):
        day += dt.timedelta(days=step)
    return day


def occurrence(schedule: Schedule, conv: Conventions, nominal: dt.date) -> Occurrence:
    """The due instant of one nominal date, with the reading applied written out."""
    notes: list[str] = []
    day = nominal
    inclusive = conv.before_inclusive if schedule.inclusive is None else schedule.inclusive
    if schedule.before and not inclusive:
        day = nominal - dt.timedelta(days=1)
        notes.append(f"«trước ngày {nominal:%d/%m}»: hạn là hết ngày {day:%d/%m}")
    policy = schedule.non_working or conv.non_working_fixed_date
    if not calendar.is_working_day(day):
        moved = _shift(day, policy)
        if moved != day:
            notes.append(f"ngày {day:%d/%m} là ngày nghỉ, chuyển sang {WEEKDAY_VI[moved.weekday()]} {moved:%d/%m}")
        else:
            notes.append(f"ngày {day:%d/%m} là ngày nghỉ (giữ nguyên theo hồ sơ quy chế)")
        day = moved
    if schedule.weekday is not None and schedule.nth == ("every",):
        notes.insert(0, f"{WEEKDAY_VI[schedule.weekday]} hằng tuần")
    elif schedule.weekday is not None:
        reading = "lần thứ" if conv.nth_week == "nth_weekday" else "hàng tuần thứ"
        notes.insert(0, f"{WEEKDAY_VI[schedule.weekday]} {reading} {'/'.join(map(str, schedule.nth))} của tháng")
    if schedule.time is not None:
        due = timezone.make_aware(dt.datetime.combine(day, schedule.time))
        notes.append(f"trước {schedule.time:%H:%M}")
    else:
        due = calendar.end_of_day(day)
    return Occurrence(nominal=nominal, due_at=due, note="; ".join(notes))


def nominal_dates(schedule: Schedule, conv: Conventions, start: dt.date, end: dt.date) -> list[dt.date]:
    """Nominal dates of the schedule in [start, end]."""
    out: list[dt.date] = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        if month in schedule.months:
            last = pycal.monthrange(year, month)[1]
            if schedule.weekday is not None and schedule.nth == ("every",):
                first = dt.date(year, month, 1)
                day = first + dt.timedelta(days=(schedule.weekday - first.weekday()) % 7)
                weeks = [day + dt.timedelta(weeks=w) for w in range(5)]
                candidates = [d for d in weeks if d.month == month]
            elif schedule.weekday is not None:
                candidates = [nth_weekday(year, month, schedule.weekday, n, conv.nth_week) for n in schedule.nth]
            else:
                candidates = [dt.date(year, month, last if d == "last" else d) for d in schedule.days]
            out += [d for d in candidates if d is not None and start <= d <= end]
        month += 1
        if month == 13:
            year, month = year + 1, 1
    return sorted(set(out))


def occurrences(org: Organisation, code: str, start: dt.date, end: dt.date) -> list[Occurrence]:
    """Occurrences of one of the organisation's schedules, by nominal date in [start, end] (for pages and tests)."""
    conv = conventions(org.rules)
    schedule = next(s for s in schedules_for(org) if s.code == code)
    return [occurrence(schedule, conv, d) for d in nominal_dates(schedule, conv, start, end)]


# --------------------------------------------------------------------------- who acts


def _heads(org: Organisation) -> dict[int, Staff]:
    """The head of each unit (Trưởng, or the Phó when the unit has no Trưởng)."""
    posts = (
        Post.objects.filter(
            unit__organisation=org,
            position__in=[Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG],
            staff__is_active=True,
        )
        .select_related("staff", "unit")
        .order_by("unit__order", "unit_id", "-position")  # truong_phong sorts before pho_truong_phong
    )
    heads: dict[int, Staff] = {}
    for post in posts:
        if post.unit_id not in heads:
            post.staff._unit = post.unit
            heads[post.unit_id] = post.staff
    return heads


def resolve_assignees(org: Organisation, tokens: tuple[str, ...] | list[str]) -> list[Staff]:
    """Who must act, as (Staff with `_unit` set where the token is a unit)."""
    people: dict[int, Staff] = {}
    heads = None
    for token in tokens:
        if token in ("chanh_vp", "office_leaders"):
            positions = [Position.CHANH_VP] if token == "chanh_vp" else [Position.CHANH_VP, Position.PHO_CHANH_VP]
            for post in Post.objects.filter(
                staff__organisation=org, position__in=positions, staff__is_active=True
            ).select_related("staff"):
                post.staff._unit = None
                people.setdefault(post.staff_id, post.staff)
            continue
        heads = heads if heads is not None else _heads(org)
        if token == "unit_heads":
            for staff in heads.values():
                people.setdefault(staff.pk, staff)
        elif token == "registry_unit":
            unit_ids = set(
                Post.objects.filter(unit__organisation=org, position=Position.VAN_THU).values_list("unit_id", flat=True)
            )
            for unit_id in unit_ids:
                if unit_id in heads:
                    people.setdefault(heads[unit_id].pk, heads[unit_id])
        elif token.startswith("unit:"):
            for staff in heads.values():
                if staff._unit.code == token[5:]:
                    people.setdefault(staff.pk, staff)
    return list(people.values())


# --------------------------------------------------------------------------- generation


def _item_url(item: ScheduledItem) -> str:
    from django.urls import reverse

    return reverse("workflow:schedule_item", args=[item.pk])


def _open_item_deadlines(
    item: ScheduledItem, people: list[Staff], remind_before_days: int, escalate_to: Staff | None = None
) -> None:
    for person in people:
        deadlines.open_deadline(
            item,
            kind=f"schedule.{item.kind}",
            title=item.title,
            assignee=person,
            unit=getattr(person, "_unit", None),
            due_at=item.due_at,
            source=item.source,
            url=_item_url(item),
            remind_before_days=remind_before_days,
            escalate_to=escalate_to,
            note=item.note,
        )


def generate_items(org: Organisation, now: dt.datetime | None = None, horizon_days: int = HORIZON_DAYS) -> int:
    """Create the occurrences due in the coming period that do not exist yet; returns how many.

    Idempotent: (organisation, code, period) is unique, so a second run — or two workers — create
    nothing new. The window starts today, so a worker that was down catches up on its next run.
    """
    now = now or timezone.now()
    today = timezone.localtime(now).date()
    start, end = today, today + dt.timedelta(days=horizon_days)
    conv = conventions(org.rules)
    wanted: list[tuple[Schedule, Occurrence]] = []
    for schedule in schedules_for(org):
        for nominal in nominal_dates(schedule, conv, start - dt.timedelta(days=7), end):
            occ = occurrence(schedule, conv, nominal)
            if timezone.localtime(occ.due_at).date() >= today and occ.due_at.date() <= end:
                wanted.append((schedule, occ))
    if not wanted:
        return 0
    existing = set(
        ScheduledItem.objects.filter(
            organisation=org,
            code__in={s.code for s, _ in wanted},
            period__in={o.nominal.isoformat() for _, o in wanted},
        ).values_list("code", "period")
    )
    created = 0
    for schedule, occ in wanted:
        if (schedule.code, occ.nominal.isoformat()) in existing:
            continue
        try:
            with transaction.atomic():
                item = ScheduledItem.objects.create(
                    organisation=org,
                    code=schedule.code,
                    period=occ.nominal.isoformat(),
                    kind=schedule.kind,
                    title=f"{schedule.title} — {_period_label(schedule, occ.nominal)}",
                    nominal_date=occ.nominal,
                    due_at=occ.due_at,
                    note=occ.note,
                    source=schedule.source,
                )
                _open_item_deadlines(item, resolve_assignees(org, schedule.assignees), schedule.remind_before_days)
        except IntegrityError:
            continue  # another worker created it first
        created += 1
    return created


def _period_label(schedule: Schedule, nominal: dt.date) -> str:
    if schedule.weekday is not None and schedule.nth == ("every",):
        return f"tuần {nominal.isocalendar().week}/{nominal.isocalendar().year}"
    if schedule.weekday is not None or len(schedule.days) > 1:
        return f"{nominal:%d/%m/%Y}"
    if len(schedule.months) == 12:
        return f"tháng {nominal:%m/%Y}"
    if schedule.months == QUARTER_ENDS:
        return f"quý {(nominal.month - 1) // 3 + 1}/{nominal.year}"
    return f"năm {nominal.year}" if len(schedule.months) == 1 else f"tháng {nominal:%m/%Y}"


@transaction.atomic
def mark_done(item: ScheduledItem, staff: Staff, at: dt.datetime | None = None) -> ScheduledItem:
    """The person's part is done (report sent, meeting held). When every part is done the item closes;
    a meeting with a follow-up (001 §II.5, L98: conclusions within 3 working days) opens it."""
    from django.core.exceptions import PermissionDenied

    from config.api import Conflict

    item = ScheduledItem.objects.select_for_update().get(pk=item.pk)
    if item.state != ItemState.OPEN:
        raise Conflict("Việc này đã kết thúc.")
    at = at or timezone.now()
    mine = deadlines.deadlines_of(item).filter(assignee=staff)
    if not mine.exists():
        raise PermissionDenied("Bạn không phải người thực hiện việc này.")
    deadlines.complete_deadlines(item, assignee=staff, at=at)
    if not deadlines.deadlines_of(item).exists():
        item.state = ItemState.DONE
        item.done_at = at
        item.done_by = staff
        item.save(update_fields=["state", "done_at", "done_by"])
        _open_follow_up(item, at)
    return item


def _open_follow_up(item: ScheduledItem, held_at: dt.datetime) -> ScheduledItem | None:
    entry = next((e for e in schedule_entries(item.organisation.rules) if e["code"] == item.code), None)
    follow = (entry or {}).get("follow_up")
    if not follow:
        return None
    held_day = timezone.localtime(held_at).date()
    due = calendar.due_at(held_day, follow["working_days"])
    child = ScheduledItem.objects.create(
        organisation=item.organisation,
        code=f"{item.code}-sau",
        period=item.period,
        kind=ScheduleKind.FOLLOW_UP,
        title=f"{follow['title']} — {item.title}",
        nominal_date=due.date(),
        due_at=due,
        note=f"{follow['working_days']} ngày làm việc kể từ ngày họp {held_day:%d/%m/%Y}",
        source=follow.get("source", item.source),
        parent=item,
    )
    _open_item_deadlines(
        child, resolve_assignees(item.organisation, follow.get("assignees") or ["registry_unit"]), 1, item.done_by
    )
    return child


# --------------------------------------------------------------------------- event-driven programme steps


def can_record_programme(staff: Staff) -> bool:
    """Office leaders, and the staff of the unit that compiles the programmes (rules.programmes.compiler)."""
    compiler = staff.organisation.rule("programmes.compiler")
    return any(
        p.position in (Position.CHANH_VP, Position.PHO_CHANH_VP) or (compiler and p.unit and p.unit.code == compiler)
        for p in staff.posts.all()
    )


@transaction.atomic
def record_issued_programme(staff: Staff, *, title: str, issued_at: dt.datetime | None = None) -> ScheduledItem:
    """An issued work programme must be distributed within the profile's limit.

    002 Điều 9.3 (L745–L749): «trong thời hạn một ngày» after issue, to the office leaders and every
    unit (rules.programmes.distribute_within_days). «ngày» without «làm việc» is read by the
    profile's convention (default: calendar days).
    """
    from django.core.exceptions import PermissionDenied, ValidationError

    org = staff.organisation
    days = org.rule("programmes.distribute_within_days")
    if not days:
        message = "Quy chế của cơ quan không quy định thời hạn phát hành chương trình công tác."
        raise ValidationError({"title": [message]})
    if not can_record_programme(staff):
        raise PermissionDenied("Chỉ lãnh đạo Văn phòng hoặc đơn vị tổng hợp chương trình được ghi nhận việc này.")
    title = (title or "").strip()
    if not title:
        raise ValidationError({"title": ["Nhập tên chương trình công tác đã ban hành."]})
    issued_at = issued_at or timezone.now()
    start = timezone.localtime(issued_at).date()
    conv = conventions(org.rules)
    if conv.plain_day_is_calendar:
        due = calendar.end_of_day(start + dt.timedelta(days=days))
        note = f"{days} ngày (ngày lịch, theo quy ước của hồ sơ) kể từ ngày ban hành {start:%d/%m/%Y}"
    else:
        due = calendar.due_at(start, days)
        note = f"{days} ngày làm việc kể từ ngày ban hành {start:%d/%m/%Y}"
    compiler = org.rule("programmes.compiler")
    item = ScheduledItem.objects.create(
        organisation=org,
        code="phat_hanh_chuong_trinh",
        period=f"{timezone.localtime(issued_at):%Y%m%d%H%M%S}",
        kind=ScheduleKind.PROGRAMME,
        title=f"Phát hành chương trình: {title[:250]}",
        nominal_date=due.date(),
        due_at=due,
        note=note,
        source="Phát hành chương trình đã ban hành trong thời hạn một ngày (002 Điều 9.3, L745–L749)",
    )
    people = resolve_assignees(org, [f"unit:{compiler}"] if compiler else ["registry_unit"])
    _open_item_deadlines(item, people, 0, staff)
    return item
