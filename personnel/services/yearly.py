"""Yearly lists  # danh sách hằng năm: salary steps, retirement, emulation registration.

- 000 Điều 44 (seed 000_9dcdc65ad8a32fbc.txt L440): each year the Trưởng phòng HC-TC lists the staff
  due for a regular salary step increase (nâng lương định kỳ). Step intervals follow the national
  rule (Nghị định 204/2004/NĐ-CP, Điều 7; Thông tư 08/2013/TT-BNV): 3 years for grades of college
  level and above, 2 years below — stored per person (PersonnelRecord.step_interval_years).
- 000 Điều 45 (L442): each year HC-TC lists the staff reaching retirement age. The age is national
  law: Bộ luật Lao động 2019, Điều 169, and Nghị định 135/2020/NĐ-CP, Điều 4 (men 60 years 3 months
  in 2021, +3 months a year up to 62; women 55 years 4 months in 2021, +4 months a year up to 60).
- 000 Điều 46.1 (L447): «không đăng ký thi đua từ đầu năm sẽ không được xem xét, công nhận các danh
  hiệu thi đua trong năm». The registration window is rules.emulation.registration_until ("MM-DD").
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from office.models import Organisation, Staff
from office.services import delegation
from personnel.models import EmulationProposal, EmulationRegistration, Gender, PersonnelRecord
from personnel.services import common

SRC_46 = "Quy chế 282/QĐ-VP, Điều 46 khoản 1"


def add_months(day: dt.date, months: int) -> dt.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    import calendar as pycal

    return day.replace(year=year, month=month, day=min(day.day, pycal.monthrange(year, month)[1]))


def retirement_age_months(gender: str, year: int) -> int:
    """Retirement age (in months) for someone reaching it in `year` (BLLĐ 2019 Điều 169; NĐ 135/2020 Điều 4)."""
    if gender == Gender.FEMALE:
        return 55 * 12 if year <= 2020 else min(55 * 12 + 4 * (year - 2020), 60 * 12)
    return 60 * 12 if year <= 2020 else min(60 * 12 + 3 * (year - 2020), 62 * 12)


def retirement_date(date_of_birth: dt.date, gender: str) -> dt.date:
    """The day the person reaches their retirement age."""
    for year in range(date_of_birth.year + 55, date_of_birth.year + 63):
        reached = add_months(date_of_birth, retirement_age_months(gender, year))
        if reached.year <= year:
            return reached
    return add_months(date_of_birth, retirement_age_months(gender, date_of_birth.year + 62))  # pragma: no cover


@dataclass
class ListRow:
    staff: Staff
    record: PersonnelRecord
    on: dt.date
    note: str = ""


def salary_step_list(organisation: Organisation, year: int) -> list[ListRow]:
    """Staff whose next regular step falls due in `year` (or earlier and not yet given)."""
    rows = []
    records = PersonnelRecord.objects.filter(
        staff__organisation=organisation, staff__is_active=True, last_step_on__isnull=False
    ).select_related("staff")
    for rec in records:
        if rec.step is not None and rec.max_step is not None and rec.step >= rec.max_step:
            continue
        due = add_months(rec.last_step_on, 12 * rec.step_interval_years)
        if due <= dt.date(year, 12, 31):
            nxt = f"bậc {rec.step + 1}" if rec.step else "bậc kế tiếp"
            rows.append(ListRow(rec.staff, rec, due, f"{rec.grade} — lên {nxt}".strip(" —")))
    return sorted(rows, key=lambda r: (r.on, r.staff.full_name))


def retirement_list(organisation: Organisation, year: int) -> list[ListRow]:
    """Staff reaching retirement age from 1 January of `year` to the end of the profile's horizon."""
    horizon = int(organisation.rule("personnel.retirement_horizon_years", 1))
    last = dt.date(year + horizon, 12, 31)
    rows = []
    records = (
        PersonnelRecord.objects.filter(
            staff__organisation=organisation, staff__is_active=True, date_of_birth__isnull=False
        )
        .exclude(gender="")
        .select_related("staff")
    )
    for rec in records:
        on = retirement_date(rec.date_of_birth, rec.gender)
        if dt.date(year, 1, 1) <= on <= last:
            rows.append(ListRow(rec.staff, rec, on))
    return sorted(rows, key=lambda r: (r.on, r.staff.full_name))


def registration_deadline(organisation: Organisation, year: int) -> dt.date:
    month, day = (int(x) for x in str(organisation.rule("emulation.registration_until", "01-31")).split("-"))
    return dt.date(year, month, day)


@transaction.atomic
def register_emulation(*, staff: Staff, year: int, title: str, today: dt.date) -> EmulationRegistration:
    """000 Điều 46.1 (L447): register at the start of the year."""
    if not (title or "").strip():
        raise ValidationError({"title": ["Phải ghi danh hiệu thi đua đăng ký."]})
    until = registration_deadline(staff.organisation, year)
    if today > until:
        raise ValidationError(
            {"year": [f"Đã hết hạn đăng ký thi đua năm {year} (đến hết ngày {common.fmt(until)}; {SRC_46})."]}
        )
    try:
        with transaction.atomic():
            return EmulationRegistration.objects.create(
                organisation=staff.organisation, staff=staff, year=year, title=title.strip(), registered_on=today
            )
    except IntegrityError:
        raise ValidationError({"year": [f"{staff.full_name} đã đăng ký thi đua năm {year}."]}) from None


@transaction.atomic
def propose_title(*, staff: Staff, year: int, title: str, me: Staff) -> EmulationProposal:
    """000 Điều 46.1 (L447): only those who registered at the start of the year may be proposed."""
    if me.pk == staff.pk or not delegation.can_arrange_for(me, staff):
        raise PermissionDenied("Bạn không có quyền đề nghị danh hiệu thi đua cho cán bộ này.")
    if not (title or "").strip():
        raise ValidationError({"title": ["Phải ghi danh hiệu đề nghị."]})
    if not EmulationRegistration.objects.filter(staff=staff, year=year).exists():
        raise ValidationError(
            {
                "staff": [
                    f"{staff.full_name} không đăng ký thi đua từ đầu năm {year} nên không được xem xét, công nhận "
                    f"danh hiệu thi đua trong năm ({SRC_46})."
                ]
            }
        )
    proposal, created = EmulationProposal.objects.get_or_create(
        staff=staff, year=year, title=title.strip(), defaults={"organisation": staff.organisation, "proposed_by": me}
    )
    if not created:
        raise ValidationError({"title": ["Đã có đề nghị danh hiệu này."]})
    return proposal


def can_see_lists(me: Staff) -> bool:
    """The HC-TC head who keeps the lists (000 L440, L442), the office leaders, the HC-TC unit."""
    if common.is_office_leader(me):
        return True
    hr_unit = me.organisation.rule("personnel.hr_unit", "")
    return any(p.unit_id and p.unit.code == hr_unit for p in me.posts.all())
