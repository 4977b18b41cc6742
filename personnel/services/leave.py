"""Leave  # nghỉ phép, nghỉ việc riêng, nghỉ ốm, thai sản: request → approvals → absence + acting-for.

Rules (profile hatinh-ubnd, rules.leave; seed 000_9dcdc65ad8a32fbc.txt):
- 000 Điều 23.2.b (L277): «từ 02 ngày trở lên» → written request (đơn xin phép), the unit leader's
  agreement and the office leaders' (Lãnh đạo Văn phòng) approval.
- 000 Điều 23.2 (L278): «nghỉ dưới 2 ngày» → the unit head's permission and a substitute.
- 000 Điều 23.2.a (L276): a Phó Chánh reports their absence to the Chánh.
- 000 Điều 23.1 (L273): annual leave is registered at the start of the year, the head confirms the
  unit's plan, and the Chánh decides with the supervising Phó Chánh's and the head's agreement.
- 000 Điều 23.3 (L280) and L278–L279: the work is handed over to a named substitute.
The thresholds and who decides are profile parameters, read with org.rule(...).

An approved request becomes an office Absence with an acting-for Delegation to the substitute
(office.services.delegation.record_absence), so that acting_for() routes the person's incoming
work to the substitute while they are away.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from office.models import DelegationScope, Staff
from office.services import delegation
from personnel.models import (
    AnnualLeavePlan,
    LeaveKind,
    LeaveRequest,
    LeaveStep,
    RequestState,
    StepDecision,
    StepRole,
)
from personnel.services import common
from workflow.services.notifications import notify

SRC_2DAYS = "Quy chế 282/QĐ-VP, Điều 23 khoản 2"
SRC_PCVP = "Quy chế 282/QĐ-VP, Điều 23 khoản 2 điểm a"
SRC_ANNUAL = "Quy chế 282/QĐ-VP, Điều 23 khoản 1"
SRC_OVER_1DAY = "Quy chế 282/QĐ-VP, Điều 23 khoản 2"


@dataclass(frozen=True)
class RouteStep:
    role: str
    approver: Staff
    source: str


def threshold_days(staff: Staff) -> int:
    """000 Điều 23.2.b (L277): from this many days a written request and LĐVP approval are needed."""
    return int(staff.organisation.rule("leave.application_and_ldvp_approval_from_days", 2))


def leave_length(
    staff: Staff, start: dt.date, end: dt.date, *, starts_afternoon: bool = False, ends_at_noon: bool = False
) -> Decimal:
    """Days of leave as the profile counts them (rules.absence.day_kind; working days in hatinh-ubnd),
    in half days (a morning or an afternoon off is 0,5)."""
    return common.length_in_days(staff, start, end, starts_afternoon=starts_afternoon, ends_at_noon=ends_at_noon)


def informed_leader(staff: Staff, kind: str, days: Decimal) -> Staff | None:
    """000 Điều 23.2 (L279): «nghỉ trên một ngày, phải báo cáo Lãnh đạo Văn phòng phụ trách và Trưởng đơn vị
    để phân công người làm thay» — a leave over one day but under the approval threshold (e.g. 1,5 days) is
    reported to the supervising office leader as well (rules.leave.report_to_supervising_leader_above_days)."""
    above = staff.organisation.rule("leave.report_to_supervising_leader_above_days", None)
    if above is None or kind == LeaveKind.LEAVE or common.is_office_leader(staff):
        return None
    if not (Decimal(str(above)) < days < threshold_days(staff)):
        return None
    return common.supervising_leader_of(staff)


def derive_route(staff: Staff, kind: str, days: Decimal) -> list[RouteStep]:
    """Who must agree, in order, for this person to take this leave (000 Điều 23)."""
    org = staff.organisation
    if common.is_chanh(staff):
        # No leave rule for the Chánh; record_absence enforces 000 Điều 4.4 (a Phó Chánh acts ≥ 2 days).
        return []
    if common.is_office_leader(staff):
        # 000 Điều 23.2.a (L276): «Phó Chánh Văn phòng nghỉ phải báo cáo Chánh Văn phòng».
        target = org.rule("leave.pcvp_leave_reported_to", "chanh_vp")
        chanh = common.chanh_of(staff) if target == "chanh_vp" else None
        return [RouteStep(StepRole.CHANH, chanh, SRC_PCVP)] if chanh else []

    head = common.unit_head_of(staff)
    leader = common.supervising_leader_of(staff)
    steps: list[RouteStep] = []
    if kind == LeaveKind.LEAVE:
        # 000 Điều 23.1 (L273): head and supervising Phó Chánh agree; the Chánh decides.
        if head:
            steps.append(RouteStep(StepRole.UNIT_HEAD, head, SRC_ANNUAL))
        if leader:
            steps.append(RouteStep(StepRole.OFFICE_LEADER, leader, SRC_ANNUAL))
        if org.rule("leave.annual_decided_by", "chanh_vp") == "chanh_vp":
            chanh = common.chanh_of(staff)
            if chanh:
                steps.append(RouteStep(StepRole.CHANH, chanh, SRC_ANNUAL))
    elif days >= threshold_days(staff):
        # 000 Điều 23.2.b (L277): «báo cáo Lãnh đạo đơn vị và được sự nhất trí của Lãnh đạo Văn phòng».
        if head:
            steps.append(RouteStep(StepRole.UNIT_HEAD, head, SRC_2DAYS))
        if leader:
            steps.append(RouteStep(StepRole.OFFICE_LEADER, leader, SRC_2DAYS))
    elif head:
        # 000 L278: «nghỉ dưới 2 ngày» → «xin phép Trưởng đơn vị để phân công người làm thay».
        steps.append(RouteStep(StepRole.UNIT_HEAD, head, SRC_2DAYS))
    elif leader:
        # The head themself asks for a short leave: their supervising office leader (inferred).
        steps.append(RouteStep(StepRole.OFFICE_LEADER, leader, SRC_2DAYS))
    deduped: list[RouteStep] = []
    for step in steps:  # the same person twice in a row (a Chánh supervising a unit) agrees once
        if deduped and deduped[-1].approver.pk == step.approver.pk:
            deduped[-1] = step
        else:
            deduped.append(step)
    return deduped


def substitute_required(staff: Staff) -> bool:
    """000 L278–L279: the head assigns a substitute; office leaders fall back by 000 Điều 4 instead."""
    return bool(staff.organisation.rule("leave.substitute_required", True)) and not common.is_office_leader(staff)


def _check_annual_plan(staff: Staff, start: dt.date, end: dt.date, days: int, exclude: int | None = None) -> None:
    """000 Điều 23.1 (L273): annual leave follows the plan registered at the start of the year."""
    if not staff.organisation.rule("leave.annual_plan_required", False):
        return
    if start.year != end.year:
        raise ValidationError({"end": ["Đơn nghỉ phép năm không được kéo dài sang năm sau; hãy tách thành hai đơn."]})
    plan = AnnualLeavePlan.objects.filter(staff=staff, year=start.year, confirmed_at__isnull=False).first()
    if plan is None:
        raise ValidationError(
            {
                "kind": [
                    f"Chưa có kế hoạch nghỉ phép năm {start.year} được Trưởng đơn vị xác nhận; "
                    f"nghỉ phép năm phải căn cứ nhu cầu đăng ký từ đầu năm ({SRC_ANNUAL})."
                ]
            }
        )
    used = sum(
        r.days
        for r in LeaveRequest.objects.filter(
            staff=staff, kind=LeaveKind.LEAVE, start__year=start.year, state__in=[RequestState.PENDING, "approved"]
        ).exclude(pk=exclude)
    )
    if used + days > plan.days:
        raise ValidationError(
            {
                "end": [
                    f"Vượt số ngày phép đã đăng ký năm {start.year}: đăng ký {plan.days} ngày, đã dùng hoặc đang xin "
                    f"{used} ngày, xin thêm {days} ngày."
                ]
            }
        )


def _url(req: LeaveRequest) -> str:
    return reverse("personnel:leave_detail", args=[req.pk])


def _notify_step(req: LeaveRequest, step: LeaveStep) -> None:
    notify(
        step.approver,
        key=f"leave:{req.pk}:step:{step.order}",
        kind="assignment",
        title=f"Đơn xin nghỉ của {req.staff.full_name} chờ ý kiến",
        body=f"{req.get_kind_display()} từ {common.fmt(req.start)} đến {common.fmt(req.end)} "
        f"({common.fmt_days(req.days)} ngày): "
        f"{req.reason}",
        url=_url(req),
    )


@transaction.atomic
def request_leave(
    *,
    staff: Staff,
    kind: str,
    start: dt.date,
    end: dt.date,
    reason: str,
    substitute: Staff | None = None,
    handover_note: str = "",
    starts_afternoon: bool = False,
    ends_at_noon: bool = False,
    by: AbstractBaseUser | None = None,
    today: dt.date | None = None,
) -> LeaveRequest:
    """File a leave request; its approval route is derived from the profile rules."""
    errors: dict[str, list[str]] = {}
    if kind not in LeaveKind.values:
        errors["kind"] = ["Loại nghỉ không hợp lệ (nghỉ phép năm, việc riêng, ốm, thai sản)."]
    if not (reason or "").strip():
        errors["reason"] = ["Phải nêu lý do xin nghỉ."]
    if errors:
        raise ValidationError(errors)
    common.check_dates(start, end)
    days = leave_length(staff, start, end, starts_afternoon=starts_afternoon, ends_at_noon=ends_at_noon)
    if days <= 0:
        raise ValidationError({"end": ["Thời gian xin nghỉ không có ngày làm việc nào."]})
    common.lock_staff(staff)
    common.check_free(staff, start, end)
    common.check_substitute(staff, substitute, start, end, "handover_to")
    if kind == LeaveKind.LEAVE:
        _check_annual_plan(staff, start, end, days)
    route = derive_route(staff, kind, days)
    req = LeaveRequest.objects.create(
        organisation=staff.organisation,
        staff=staff,
        kind=kind,
        start=start,
        end=end,
        starts_afternoon=starts_afternoon,
        ends_at_noon=ends_at_noon,
        days=days,
        reason=reason.strip(),
        substitute=substitute,
        handover_note=handover_note,
        created_by=by,
    )
    steps = [
        LeaveStep.objects.create(request=req, order=i, role=s.role, approver=s.approver, source=s.source)
        for i, s in enumerate(route, start=1)
    ]
    leader = informed_leader(staff, kind, days)
    if leader is not None and all(s.approver.pk != leader.pk for s in route):
        notify(
            leader,
            key=f"leave:{req.pk}:reported",
            kind="info",
            title=f"{staff.full_name} báo cáo nghỉ {common.fmt_days(days)} ngày",
            body=f"{req.get_kind_display()} từ {common.fmt(start)} đến {common.fmt(end)}: {req.reason} "
            f"({SRC_OVER_1DAY}: nghỉ trên một ngày báo cáo Lãnh đạo Văn phòng phụ trách).",
            url=_url(req),
        )
    if steps:
        _notify_step(req, steps[0])
    else:
        _approve(req, by=by)
    return req


def _approve(req: LeaveRequest, *, by: AbstractBaseUser | None) -> None:
    """The last agreement given: record the absence and the acting-for delegation."""
    if req.substitute is None and substitute_required(req.staff):
        raise ValidationError(
            {
                "substitute": [
                    "Phải chỉ định người làm thay trước khi đồng ý cho nghỉ "
                    "(Quy chế 282/QĐ-VP, Điều 23 khoản 2: Trưởng đơn vị phân công người làm thay)."
                ]
            }
        )
    # The substitute may have asked for leave or a trip since the request was filed.
    common.check_substitute(req.staff, req.substitute, req.start, req.end, "substitute")
    absence = delegation.record_absence(
        staff=req.staff,
        kind=req.kind,
        start=req.start,
        end=req.end,
        note=req.reason[:500],
        acting=req.substitute,
        acting_scope=DelegationScope.ALL,
        by=by,
    )
    req.absence = absence
    req.state = RequestState.APPROVED
    req.decided_at = timezone.now()
    req.save(update_fields=["absence", "state", "decided_at"])
    notify(
        req.staff,
        key=f"leave:{req.pk}:approved",
        kind="info",
        title="Đơn xin nghỉ đã được đồng ý",
        body=f"{req.get_kind_display()} từ {common.fmt(req.start)} đến {common.fmt(req.end)}.",
        url=_url(req),
    )
    if req.substitute:
        notify(
            req.substitute,
            key=f"leave:{req.pk}:substitute",
            kind="assignment",
            title=f"Bạn làm thay {req.staff.full_name} từ {common.fmt(req.start)} đến {common.fmt(req.end)}",
            body=req.handover_note or req.reason,
            url=_url(req),
        )


def can_decide(me: Staff, step: LeaveStep, today: dt.date) -> bool:
    """The step's approver, whoever acts for them today, or the Chánh for an office-leader step."""
    if common.acts_as(me, step.approver, today):
        return True
    return step.role == StepRole.OFFICE_LEADER and common.is_chanh(me)


@transaction.atomic
def decide(
    req: LeaveRequest,
    *,
    me: Staff,
    decision: str,
    opinion: str = "",
    substitute: Staff | None = None,
    by: AbstractBaseUser | None = None,
    today: dt.date | None = None,
) -> LeaveRequest:
    """The holder of the current step agrees or refuses; the last agreement approves the leave."""
    today = today or timezone.localdate()
    req = LeaveRequest.objects.select_for_update(of=("self",)).select_related("staff__organisation").get(pk=req.pk)
    if decision not in StepDecision.values:
        raise ValidationError({"decision": ["Ý kiến phải là «approve» (đồng ý) hoặc «reject» (không đồng ý)."]})
    if req.state != RequestState.PENDING:
        raise common.StateConflict(f"Đơn này đã được xử lý ({req.get_state_display().lower()}).")
    step = req.steps.filter(decision="").order_by("order").select_related("approver").first()
    if step is None:  # pragma: no cover - a pending request always has an open step
        raise common.StateConflict("Đơn này không còn bước nào chờ ý kiến.")
    if not can_decide(me, step, today):
        raise PermissionDenied(f"Bước này do {step.approver.full_name} ({step.get_role_display()}) cho ý kiến.")
    if substitute is not None and (substitute.pk != req.substitute_id):
        common.check_substitute(req.staff, substitute, req.start, req.end, "substitute")
        req.substitute = substitute
        req.save(update_fields=["substitute"])
    step.decision, step.opinion, step.acted_by, step.at = decision, opinion, me, timezone.now()
    step.save(update_fields=["decision", "opinion", "acted_by", "at"])
    if decision == StepDecision.REJECT:
        req.state, req.decided_at = RequestState.REJECTED, timezone.now()
        req.save(update_fields=["state", "decided_at"])
        notify(
            req.staff,
            key=f"leave:{req.pk}:rejected",
            kind="info",
            title="Đơn xin nghỉ không được đồng ý",
            body=opinion,
            url=_url(req),
        )
        return req
    following = req.steps.filter(decision="").order_by("order").select_related("approver").first()
    if following:
        _notify_step(req, following)
    else:
        _approve(req, by=by)
    return req


@transaction.atomic
def cancel(req: LeaveRequest, *, me: Staff, by: AbstractBaseUser | None = None) -> LeaveRequest:
    """The requester withdraws a request (an approved one also cancels its absence and delegation)."""
    req = LeaveRequest.objects.select_for_update().get(pk=req.pk)
    if me.pk != req.staff_id and not delegation.can_arrange_for(me, req.staff):
        raise PermissionDenied("Chỉ người xin nghỉ hoặc người quản lý mới được hủy đơn.")
    if req.state not in (RequestState.PENDING, RequestState.APPROVED):
        raise common.StateConflict(f"Đơn này đã {req.get_state_display().lower()}.")
    if req.absence_id:
        delegation.cancel_absence(req.absence, by=by)
    req.state = RequestState.CANCELLED
    req.save(update_fields=["state"])
    return req


# --------------------------------------------------------------------------- annual plan


@transaction.atomic
def register_plan(*, staff: Staff, year: int, days: int, periods: str = "") -> AnnualLeavePlan:
    """000 Điều 23.1 (L273): each person registers their annual leave need at the start of the year."""
    if days < 1 or days > 30:
        raise ValidationError({"days": ["Số ngày phép đăng ký phải từ 1 đến 30 ngày."]})
    plan, created = AnnualLeavePlan.objects.get_or_create(
        staff=staff, year=year, defaults={"organisation": staff.organisation, "days": days, "periods": periods}
    )
    if not created:
        if plan.confirmed_at:
            raise common.StateConflict("Kế hoạch nghỉ phép đã được Trưởng đơn vị xác nhận, không sửa được.")
        plan.days, plan.periods = days, periods
        plan.save(update_fields=["days", "periods"])
    return plan


@transaction.atomic
def confirm_plan(plan: AnnualLeavePlan, *, me: Staff) -> AnnualLeavePlan:
    """000 Điều 23.1 (L273): «Trưởng đơn vị có trách nhiệm tổng hợp và xác nhận nhu cầu nghỉ phép hàng năm»."""
    head = common.unit_head_of(plan.staff)
    if head is not None:
        allowed = me.pk == head.pk
    else:  # the head's own plan, or an office leader's: the supervising leader or the Chánh
        leader = common.supervising_leader_of(plan.staff)
        allowed = common.is_chanh(me) or (leader is not None and leader.pk == me.pk)
    if not allowed or me.pk == plan.staff_id:
        raise PermissionDenied("Chỉ Trưởng đơn vị xác nhận kế hoạch nghỉ phép năm của đơn vị.")
    plan.confirmed_by, plan.confirmed_at = me, timezone.now()
    plan.save(update_fields=["confirmed_by", "confirmed_at"])
    return plan
