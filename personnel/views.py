"""Pages of personnel (/nhan-su/): leave, trips, handover, travel papers, overtime, payment claims,
the calendar of who is away and the yearly lists. Thin views: parse, call personnel.services,
render personnel.selectors. A record the user may not know about answers 404.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from office.models import Post, Staff, Unit
from office.services import calendar, delegation
from office.views import MONTH_NAMES, staff_required
from personnel import forms, selectors
from personnel.models import ClaimState, HandoverState, OvertimeState, RequestState, TripState
from personnel.services import common, handover, leave, overtime, papers, payments, trips, yearly
from personnel.services.pdf import paper_pdf


def _apply(form, exc: ValidationError) -> None:
    """Show a service's Vietnamese messages on the form's fields (or above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error)
    else:
        for error in exc.messages:
            form.add_error(None, error)


def _action(view):
    """A button on a detail page: a state conflict or a refused rule becomes a message on that page."""

    @wraps(view)
    def wrapper(request: HttpRequest, pk: int, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, pk, *args, **kwargs)
        except common.StateConflict as exc:
            messages.error(request, str(exc))
        except ValidationError as exc:
            for error in exc.messages:
                messages.error(request, error)
        nxt = request.POST.get("next", "")
        if nxt and url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}):
            return redirect(nxt)
        return redirect(request.path.rstrip("/").rsplit("/", 1)[0] + "/")

    return wrapper


def _me(request: HttpRequest) -> Staff:
    return (
        Staff.objects.select_related("user", "organisation")
        .prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("unit")), "supervisions")
        .get(pk=request.user.staff.pk)
    )


def _today() -> dt.date:
    return timezone.localdate()


# --------------------------------------------------------------------------- overview


@staff_required
@require_GET
def index(request: HttpRequest) -> HttpResponse:
    me, today = _me(request), _today()
    approver = payments.exception_approver(me.organisation)
    context = {
        "me": me,
        "leave_to_decide": [
            r
            for r in selectors.leave_requests_for(me).filter(state=RequestState.PENDING)
            if r.current_step and leave.can_decide(me, r.current_step, today)
        ],
        "trips_to_decide": [
            t
            for t in selectors.trips_for(me).filter(state=TripState.PENDING)
            if t.approver and common.acts_as(me, t.approver, today)
        ],
        "handovers_to_confirm": list(selectors.handovers_for(me).filter(receiver=me, state=HandoverState.DRAFT)),
        "overtime_to_confirm": [
            o
            for o in selectors.overtime_for(me).filter(state=OvertimeState.CLAIMED).exclude(staff=me)
            if overtime.can_confirm(me, o, today)
        ],
        "claims_to_decide": list(selectors.claims_for(me).filter(state=ClaimState.AWAITING_EXCEPTION))
        if approver and common.acts_as(me, approver, today)
        else [],
        "my_leave": selectors.leave_requests_for(me).filter(staff=me)[:5],
        "my_trips": selectors.trips_for(me).filter(staff=me)[:5],
        "my_claims": selectors.claims_for(me).filter(staff=me, state=ClaimState.DRAFT),
    }
    return render(request, "personnel/index.html", context)


# --------------------------------------------------------------------------- leave


@staff_required
@require_http_methods(["GET", "POST"])
def leave_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = forms.LeaveForm(request.POST or None, colleagues=selectors.colleagues(me))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            req = leave.request_leave(
                staff=me, kind=d["kind"], start=d["start"], end=d["end"], reason=d["reason"],
                substitute=d["handover_to"], handover_note=d["handover_note"],
                starts_afternoon=d["starts_afternoon"], ends_at_noon=d["ends_at_noon"], by=request.user,
            )  # fmt: skip
            messages.success(request, "Đã gửi đơn xin nghỉ." if req.state == "pending" else "Đã ghi nhận lịch nghỉ.")
            return redirect("personnel:leave_detail", pk=req.pk)
        except ValidationError as exc:
            _apply(form, exc)
    return render(
        request,
        "personnel/leave_list.html",
        {"form": form, "requests": selectors.leave_requests_for(me)[:200], "me": me},
    )


@staff_required
@require_GET
def leave_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    req = get_object_or_404(selectors.leave_requests_for(me), pk=pk)
    step = req.current_step
    can_decide = step is not None and leave.can_decide(me, step, _today())
    form = forms.DecideForm(colleagues=selectors.colleagues(req.staff)) if can_decide else None
    return render(
        request,
        "personnel/leave_detail.html",
        {
            "req": req,
            "step": step,
            "form": form,
            # A pending request, or an approved leave not yet started (a mistake corrected before it runs).
            "can_cancel": req.staff_id == me.pk
            and (req.state == RequestState.PENDING or (req.state == RequestState.APPROVED and _today() < req.start)),
        },
    )


@staff_required
@require_POST
@_action
def leave_decide(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    req = get_object_or_404(selectors.leave_requests_for(me), pk=pk)
    form = forms.DecideForm(request.POST, colleagues=selectors.colleagues(req.staff))
    if form.is_valid():
        d = form.cleaned_data
        try:
            leave.decide(req, me=me, decision=d["decision"], opinion=d["opinion"], substitute=d["substitute"],
                         by=request.user)  # fmt: skip
            messages.success(request, "Đã ghi ý kiến.")
            return redirect("personnel:leave_detail", pk=pk)
        except ValidationError as exc:
            _apply(form, exc)
    req = get_object_or_404(selectors.leave_requests_for(me), pk=pk)
    return render(request, "personnel/leave_detail.html", {"req": req, "step": req.current_step, "form": form},
                  status=400)  # fmt: skip


@staff_required
@require_POST
@_action
def leave_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    req = get_object_or_404(selectors.leave_requests_for(me), pk=pk)
    leave.cancel(req, me=me, by=request.user)
    messages.success(request, "Đã hủy đơn xin nghỉ.")
    return redirect("personnel:leave_detail", pk=pk)


@staff_required
@require_http_methods(["GET", "POST"])
def leave_plans(request: HttpRequest) -> HttpResponse:
    me, today = _me(request), _today()
    year = today.year
    form = forms.PlanForm(request.POST or None, initial={"year": year})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            leave.register_plan(staff=me, year=d["year"], days=d["days"], periods=d["periods"])
            messages.success(request, "Đã đăng ký kế hoạch nghỉ phép năm.")
            return redirect("personnel:leave_plans")
        except common.StateConflict as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            _apply(form, exc)
    plans = list(selectors.plans_for(me, year))
    for plan in plans:
        head = common.unit_head_of(plan.staff)
        plan.can_confirm = (
            plan.confirmed_at is None
            and plan.staff_id != me.pk
            and ((head is not None and head.pk == me.pk) or (head is None and common.is_office_leader(me)))
        )
    return render(request, "personnel/leave_plans.html", {"form": form, "plans": plans, "year": year})


@staff_required
@require_POST
@_action
def leave_plan_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    plan = get_object_or_404(selectors.plans_for(me, _today().year), pk=pk)
    leave.confirm_plan(plan, me=me)
    messages.success(request, f"Đã xác nhận kế hoạch nghỉ phép của {plan.staff.full_name}.")
    return redirect("personnel:leave_plans")


# --------------------------------------------------------------------------- trips


@staff_required
@require_http_methods(["GET", "POST"])
def trip_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = forms.TripForm(request.POST or None, colleagues=selectors.colleagues(me))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            trip = trips.request_trip(
                staff=me, start=d["start"], end=d["end"], destination=d["destination"], purpose=d["purpose"],
                in_province=d["in_province"], in_programme=d["in_programme"], substitute=d["handover_to"],
                unfinished_work=d["unfinished_work"], starts_afternoon=d["starts_afternoon"],
                ends_at_noon=d["ends_at_noon"], by=request.user,
            )  # fmt: skip
            messages.success(request, "Đã gửi đăng ký đi công tác.")
            return redirect("personnel:trip_detail", pk=trip.pk)
        except ValidationError as exc:
            _apply(form, exc)
    return render(request, "personnel/trip_list.html", {"form": form, "trips": selectors.trips_for(me)[:200]})


@staff_required
@require_GET
def trip_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me, today = _me(request), _today()
    trip = get_object_or_404(selectors.trips_for(me), pk=pk)
    can_decide = trip.state == TripState.PENDING and trip.approver and common.acts_as(me, trip.approver, today)
    context = {
        "trip": trip,
        "decide_form": forms.DecideForm(colleagues=selectors.colleagues(trip.staff)) if can_decide else None,
        "report_form": forms.ReportForm() if trip.staff_id == me.pk and trip.state == TripState.APPROVED else None,
        "can_issue": trip.state == TripState.APPROVED and papers.can_sign(me, today),
        "papers": trip.papers.filter(is_revoked=False),
        "can_cancel": trip.staff_id == me.pk and trip.state in (TripState.PENDING, TripState.APPROVED),
    }
    return render(request, "personnel/trip_detail.html", context)


@staff_required
@require_POST
@_action
def trip_decide(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    trip = get_object_or_404(selectors.trips_for(me), pk=pk)
    form = forms.DecideForm(request.POST, colleagues=selectors.colleagues(trip.staff))
    if not form.is_valid():
        raise ValidationError("Hãy chọn Đồng ý hoặc Không đồng ý.")
    d = form.cleaned_data
    trips.decide(trip, me=me, decision=d["decision"], opinion=d["opinion"], substitute=d["substitute"],
                 by=request.user)  # fmt: skip
    messages.success(request, "Đã ghi ý kiến về chuyến công tác.")
    return redirect("personnel:trip_detail", pk=pk)


@staff_required
@require_POST
@_action
def trip_report(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    trip = get_object_or_404(selectors.trips_for(me), pk=pk)
    trips.report(trip, me=me, text=request.POST.get("report", ""))
    messages.success(request, "Đã báo cáo kết quả chuyến công tác và tiếp nhận lại công việc.")
    return redirect("personnel:trip_detail", pk=pk)


@staff_required
@require_POST
@_action
def trip_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    trip = get_object_or_404(selectors.trips_for(me), pk=pk)
    trips.cancel(trip, me=me, by=request.user)
    messages.success(request, "Đã hủy chuyến công tác.")
    return redirect("personnel:trip_detail", pk=pk)


@staff_required
@require_POST
@_action
def trip_issue_paper(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    trip = get_object_or_404(selectors.trips_for(me), pk=pk)
    paper = papers.issue_travel_paper(trip, me=me, by=request.user)
    messages.success(request, f"Đã cấp giấy đi đường số {paper.number}/{paper.year}.")
    return redirect("personnel:trip_detail", pk=pk)


# --------------------------------------------------------------------------- papers


@staff_required
@require_http_methods(["GET", "POST"])
def paper_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    signer = papers.can_sign(me)
    form = None
    if signer:
        staff_qs = Staff.objects.filter(organisation=me.organisation, is_active=True).order_by("full_name")
        form = forms.IntroductionForm(request.POST or None, staff_qs=staff_qs)
        if request.method == "POST" and form.is_valid():
            d = form.cleaned_data
            try:
                paper = papers.issue_introduction(
                    staff=d["staff"], destination=d["destination"], purpose=d["purpose"],
                    valid_until=d["valid_until"], on_behalf=d["on_behalf"], me=me, by=request.user,
                )  # fmt: skip
                messages.success(request, f"Đã cấp giấy giới thiệu số {paper.number}/{paper.year}.")
                return redirect("personnel:papers")
            except ValidationError as exc:
                _apply(form, exc)
    return render(request, "personnel/paper_list.html", {"form": form, "papers": selectors.papers_for(me)[:200]})


@staff_required
@require_GET
def paper_pdf_view(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    paper = get_object_or_404(selectors.papers_for(me), pk=pk)
    response = HttpResponse(paper_pdf(paper), content_type="application/pdf")
    name = "giay-di-duong" if paper.kind == "travel" else "giay-gioi-thieu"
    response["Content-Disposition"] = f'inline; filename="{name}-{paper.number}-{paper.year}.pdf"'
    return response


@staff_required
@require_POST
@_action
def paper_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    paper = get_object_or_404(selectors.papers_for(me), pk=pk)
    papers.revoke(paper, me=me)
    messages.success(request, "Đã thu hồi giấy.")
    return redirect("personnel:papers")


# --------------------------------------------------------------------------- handover


@staff_required
@require_http_methods(["GET", "POST"])
def handover_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = forms.HandoverForm(request.POST or None, colleagues=selectors.colleagues(me))
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            h = handover.create_handover(
                giver=me, receiver=d["receiver"], reason=d["reason"], items=form.items(), note=d["note"],
                witnesses=list(d["witnesses"]), by=request.user,
            )  # fmt: skip
            messages.success(request, "Đã lập phiếu bàn giao; chờ người nhận xác nhận.")
            return redirect("personnel:handover_detail", pk=h.pk)
        except ValidationError as exc:
            _apply(form, exc)
    return render(
        request,
        "personnel/handover_list.html",
        {"form": form, "handovers": selectors.handovers_for(me)[:200], "witness_units": handover.witness_units(me)},
    )


@staff_required
@require_GET
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    h = get_object_or_404(selectors.handovers_for(me), pk=pk)
    context = {
        "h": h,
        "kinds": handover.ITEM_KINDS,
        "can_confirm": h.receiver_id == me.pk and h.state == HandoverState.DRAFT,
        "can_take_back": h.giver_id == me.pk
        and h.state == HandoverState.CONFIRMED
        and h.reason != "return"
        and not h.returned_by.exists(),
        "can_cancel": h.giver_id == me.pk and h.state == HandoverState.DRAFT,
    }
    return render(request, "personnel/handover_detail.html", context)


@staff_required
@require_POST
@_action
def handover_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    me = _me(request)
    h = get_object_or_404(selectors.handovers_for(me), pk=pk)
    if action not in ("xac-nhan", "tiep-nhan-lai", "huy"):
        raise Http404
    if action == "xac-nhan":
        handover.confirm(h, me=me)
        messages.success(request, "Đã xác nhận nhận bàn giao; công việc đã chuyển cho bạn.")
    elif action == "tiep-nhan-lai":
        handover.take_back(h, me=me, by=request.user)
        messages.success(request, "Đã tiếp nhận lại công việc.")
    else:
        handover.cancel(h, me=me)
        messages.success(request, "Đã hủy phiếu bàn giao.")
    return redirect("personnel:handover_detail", pk=pk)


# --------------------------------------------------------------------------- overtime


@staff_required
@require_http_methods(["GET", "POST"])
def overtime_list(request: HttpRequest) -> HttpResponse:
    me, today = _me(request), _today()
    form = forms.OvertimeForm(request.POST or None, initial={"date": today})
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            overtime.record(staff=me, date=d["date"], hours=d["hours"], description=d["description"])
            messages.success(request, "Đã ghi làm thêm giờ; chờ Lãnh đạo đơn vị xác nhận.")
            return redirect("personnel:overtime")
        except ValidationError as exc:
            _apply(form, exc)
    entries = list(selectors.overtime_for(me)[:300])
    for e in entries:
        e.can_confirm = e.state == OvertimeState.CLAIMED and overtime.can_confirm(me, e, today)
    return render(request, "personnel/overtime.html", {"form": form, "entries": entries})


@staff_required
@require_POST
@_action
def overtime_confirm(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    entry = get_object_or_404(selectors.overtime_for(me), pk=pk)
    overtime.confirm(entry, me=me, approve=request.POST.get("decision") != "reject")
    messages.success(request, "Đã xác nhận làm thêm giờ.")
    return redirect("personnel:overtime")


# --------------------------------------------------------------------------- payment claims


@staff_required
@require_http_methods(["GET", "POST"])
def claim_list(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    form = forms.ClaimForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            if d["amount"] is None:
                claim = payments.register_activity(
                    staff=me, description=d["description"], activity_ended_on=d["activity_ended_on"]
                )
                messages.success(request, f"Đã ghi nhận; hạn kê khai thanh toán là ngày {common.fmt(claim.due)}.")
            else:
                claim = payments.file_claim(
                    staff=me, description=d["description"], amount=d["amount"],
                    activity_ended_on=d["activity_ended_on"], exception_reason=d["exception_reason"],
                )  # fmt: skip
                if claim.state == ClaimState.AWAITING_EXCEPTION:
                    messages.warning(
                        request,
                        f"Kê khai sau hạn ({common.fmt(claim.due)}): xem như không có nhu cầu thanh toán, "
                        "trừ khi Chánh Văn phòng đồng ý. Đã chuyển Chánh Văn phòng xem xét.",
                    )
                else:
                    messages.success(request, "Đã kê khai thanh toán.")
            return redirect("personnel:claim_detail", pk=claim.pk)
        except ValidationError as exc:
            _apply(form, exc)
    return render(
        request,
        "personnel/claim_list.html",
        {
            "form": form,
            "claims": selectors.claims_for(me)[:300],
            "days": me.organisation.rule("finance.payment_claim_days", 10),
        },
    )


@staff_required
@require_GET
def claim_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me, today = _me(request), _today()
    claim = get_object_or_404(selectors.claims_for(me), pk=pk)
    approver = payments.exception_approver(me.organisation)
    context = {
        "claim": claim,
        "declare_form": forms.DeclareForm() if claim.staff_id == me.pk and claim.state == ClaimState.DRAFT else None,
        "can_decide": claim.state == ClaimState.AWAITING_EXCEPTION and approver and common.acts_as(me, approver, today),
        "can_pay": claim.state in (ClaimState.DECLARED, ClaimState.EXCEPTION_APPROVED) and selectors.is_accountant(me),
        "late": claim.state == ClaimState.DRAFT and today > claim.due,
        "amount": payments.money(claim.amount),
    }
    return render(request, "personnel/claim_detail.html", context)


@staff_required
@require_POST
@_action
def claim_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    me = _me(request)
    claim = get_object_or_404(selectors.claims_for(me), pk=pk)
    if action not in ("ke-khai", "ngoai-le", "da-thanh-toan"):
        raise Http404
    if action == "ke-khai":
        if claim.staff_id != me.pk:
            raise ValidationError("Chỉ người đề nghị thanh toán kê khai khoản này.")
        claim = payments.declare(
            claim, amount=request.POST.get("amount", ""), exception_reason=request.POST.get("exception_reason", "")
        )
        messages.success(request, claim.get_state_display())
    elif action == "ngoai-le":
        payments.decide_exception(
            claim, me=me, approve=request.POST.get("decision") == "approve", note=request.POST.get("note", "")
        )
        messages.success(request, "Đã ghi ý kiến của Chánh Văn phòng.")
    else:
        payments.mark_paid(claim, me=me)
        messages.success(request, "Đã ghi nhận thanh toán.")
    return redirect("personnel:claim_detail", pk=pk)


# --------------------------------------------------------------------------- calendar of who is away

KIND_LABELS = {
    "leave": "P",
    "personal": "R",
    "sick": "Ô",
    "maternity": "TS",
    "trip": "CT",
    "study": "H",
    "other": "V",
    "pending": "?",
}


@staff_required
@require_GET
def away_calendar(request: HttpRequest) -> HttpResponse:
    me, today = _me(request), _today()
    try:
        year, month = (int(x) for x in request.GET.get("thang", f"{today.year}-{today.month}").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    units = list(Unit.objects.filter(organisation=me.organisation))
    unit = next((u for u in units if u.code == request.GET.get("don-vi")), None)
    rows = selectors.away_calendar(me.organisation_id, first, last, unit)
    if request.GET.get("chi-vang"):
        rows = [r for r in rows if any(r["days"])]
    days = [first + dt.timedelta(days=i) for i in range((last - first).days + 1)]
    header = [{"date": d, "working": calendar.is_working_day(d), "today": d == today} for d in days]
    for row in rows:
        row["cells"] = [
            {"kind": k, "label": KIND_LABELS.get(k or "", ""), "working": h["working"]}
            for k, h in zip(row["days"], header, strict=True)
        ]
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (last + dt.timedelta(days=1)).replace(day=1)
    context = {
        "first": first,
        "month_name": MONTH_NAMES[first.month],
        "header": header,
        "rows": rows,
        "units": units,
        "unit": unit,
        "only_away": bool(request.GET.get("chi-vang")),
        "prev": f"{prev_month.year}-{prev_month.month}",
        "next": f"{next_month.year}-{next_month.month}",
        "legend": [
            ("P", "Nghỉ phép năm"),
            ("R", "Nghỉ việc riêng"),
            ("Ô", "Nghỉ ốm"),
            ("TS", "Thai sản"),
            ("CT", "Đi công tác"),
            ("H", "Đi học"),
            ("?", "Đang chờ duyệt"),
        ],  # fmt: skip
    }
    return render(request, "personnel/away_calendar.html", context)


# --------------------------------------------------------------------------- yearly lists


@staff_required
@require_http_methods(["GET", "POST"])
def yearly_lists(request: HttpRequest) -> HttpResponse:
    me, today = _me(request), _today()
    try:
        year = int(request.GET.get("nam", today.year))
    except ValueError:
        year = today.year
    reg_form = forms.EmulationForm(request.POST if request.POST.get("form") == "register" else None)
    proposable = [s for s in selectors.colleagues(me) if delegation.can_arrange_for(me, s)]
    prop_form = forms.ProposalForm(
        request.POST if request.POST.get("form") == "propose" else None,
        staff_qs=Staff.objects.filter(pk__in=[s.pk for s in proposable]).order_by("full_name"),
    )
    if request.method == "POST":
        form = reg_form if request.POST.get("form") == "register" else prop_form
        if form.is_valid():
            try:
                if form is reg_form:
                    yearly.register_emulation(staff=me, year=year, title=form.cleaned_data["title"], today=today)
                    messages.success(request, f"Đã đăng ký thi đua năm {year}.")
                else:
                    yearly.propose_title(staff=form.cleaned_data["staff"], year=year,
                                         title=form.cleaned_data["title"], me=me)  # fmt: skip
                    messages.success(request, "Đã ghi đề nghị danh hiệu thi đua.")
                return redirect(reverse("personnel:yearly") + f"?nam={year}")
            except ValidationError as exc:
                _apply(form, exc)
    see_lists = yearly.can_see_lists(me)
    context = {
        "year": year,
        "see_lists": see_lists,
        "salary": yearly.salary_step_list(me.organisation, year) if see_lists else [],
        "retirement": yearly.retirement_list(me.organisation, year) if see_lists else [],
        "registrations": me.organisation.emulation_registrations.filter(year=year).select_related("staff")
        if see_lists
        else me.emulation_registrations.filter(year=year),
        "proposals": me.organisation.emulation_proposals.filter(year=year).select_related("staff") if see_lists else [],
        "registration_until": yearly.registration_deadline(me.organisation, year),
        "reg_form": reg_form,
        "prop_form": prop_form if proposable else None,
    }
    return render(request, "personnel/yearly.html", context)
