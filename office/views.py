"""Pages of the organisation: home, organisation chart, absences and delegations, calendar.

Thin views: they parse input, call office.services, and render office.selectors.
"""

from __future__ import annotations

import calendar as pycal
import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from office import selectors
from office.forms import AbsenceForm, DelegationForm, WorkingDaysForm, apply_errors
from office.models import Absence, Heartbeat, Staff
from office.services import calendar, delegation

MONTH_NAMES = [
    "", "Tháng 1", "Tháng 2", "Tháng 3", "Tháng 4", "Tháng 5", "Tháng 6",
    "Tháng 7", "Tháng 8", "Tháng 9", "Tháng 10", "Tháng 11", "Tháng 12",
]  # fmt: skip


def staff_required(view):
    """Logged in and with a staff profile (a bare admin account has no place in the office)."""

    @wraps(view)
    @login_required
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not hasattr(request.user, "staff"):
            raise PermissionDenied("Tài khoản chưa được gắn với cán bộ nào của cơ quan.")
        return view(request, *args, **kwargs)

    return wrapper


def _arrangeable(me: Staff):
    me = selectors.staff_with_posts().get(pk=me.pk)  # can_arrange_for reads my posts and supervisions per colleague
    staff = selectors.staff_with_posts().filter(organisation=me.organisation, is_active=True)
    return staff.filter(pk__in=[s.pk for s in staff if delegation.can_arrange_for(me, s)])


def _colleagues(me: Staff):
    return selectors.staff_with_posts().filter(organisation=me.organisation, is_active=True).order_by("full_name")


@login_required
def home(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    me = getattr(request.user, "staff", None)
    context: dict = {"today": today, "me": me, "holiday": calendar.holiday_name(today)}
    if me is not None:
        me = selectors.staff_with_posts().get(pk=me.pk)
        context.update(
            me=me,
            acting_for=delegation.principals_of(me, today),
            my_acting=delegation.acting_for(me, today),
            delegations_today=delegation.delegations_in_force(me.organisation_id, today),
            absent_today=selectors.absences_in(me.organisation, today, today),
            is_working_day=calendar.is_working_day(today),
        )
    return render(request, "office/home.html", context)


@staff_required
def organisation(request: HttpRequest) -> HttpResponse:
    org = request.user.staff.organisation
    return render(
        request,
        "office/organisation.html",
        {"org": org, "leaders": selectors.leadership_of(org), "units": selectors.units_of(org)},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def absences(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    today = timezone.localdate()
    arrangeable, colleagues = _arrangeable(me), _colleagues(me)
    absence_form = AbsenceForm(
        request.POST if request.POST.get("form") == "absence" else None,
        arrangeable=arrangeable,
        colleagues=colleagues,
        initial={"staff": me.pk},
    )
    delegation_form = DelegationForm(
        request.POST if request.POST.get("form") == "delegation" else None,
        arrangeable=arrangeable,
        colleagues=colleagues,
        initial={"principal": me.pk},
    )
    if request.method == "POST":
        form = absence_form if request.POST.get("form") == "absence" else delegation_form
        if form.is_valid():
            try:
                if form is absence_form:
                    d = form.cleaned_data
                    delegation.record_absence(
                        staff=d["staff"], kind=d["kind"], start=d["start"], end=d["end"], note=d["note"],
                        acting=d["acting"], acting_scope=d["acting_scope"], by=request.user,
                    )  # fmt: skip
                    messages.success(request, "Đã ghi nhận lịch vắng mặt.")
                else:
                    d = form.cleaned_data
                    delegation.create_delegation(
                        principal=d["principal"], deputy=d["deputy"], scope=d["scope"], start=d["start"],
                        end=d["end"], reason=d["reason"], by=request.user,
                    )  # fmt: skip
                    messages.success(request, "Đã ghi nhận ủy quyền.")
                return redirect("office:absences")
            except ValidationError as exc:
                apply_errors(form, exc)
    horizon = today + dt.timedelta(days=60)
    return render(
        request,
        "office/absences.html",
        {
            "absence_form": absence_form,
            "delegation_form": delegation_form,
            "absences": selectors.absences_in(me.organisation, today - dt.timedelta(days=30), horizon),
            "delegations": selectors.delegations_touching(me),
            "arrangeable_ids": {s.pk for s in arrangeable},
            "today": today,
        },
    )


@staff_required
@require_POST
def cancel_absence(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    absence = get_object_or_404(Absence.objects.select_related("staff"), pk=pk, staff__organisation=me.organisation)
    if not delegation.can_arrange_for(me, absence.staff):
        raise PermissionDenied("Bạn không có quyền hủy lịch vắng mặt này.")
    delegation.cancel_absence(absence, by=request.user)
    messages.success(request, "Đã hủy lịch vắng mặt và thu hồi ủy quyền kèm theo.")
    return redirect("office:absences")


@login_required
@require_GET
def calendar_view(request: HttpRequest) -> HttpResponse:
    today = timezone.localdate()
    try:
        year, month = (int(x) for x in request.GET.get("thang", f"{today.year}-{today.month}").split("-"))
        first = dt.date(year, month, 1)
    except (ValueError, TypeError):
        first = today.replace(day=1)
    weeks = []
    for week in pycal.Calendar(firstweekday=0).monthdatescalendar(first.year, first.month):
        weeks.append(
            [
                {
                    "date": d,
                    "in_month": d.month == first.month,
                    "working": calendar.is_working_day(d),
                    "holiday": calendar.holiday_name(d),
                    "today": d == today,
                }
                for d in week
            ]
        )
    prev_month = (first - dt.timedelta(days=1)).replace(day=1)
    next_month = (first + dt.timedelta(days=32)).replace(day=1)
    form = WorkingDaysForm(request.GET if "days" in request.GET else None, initial={"start": today, "days": 2})
    result = None
    if form.is_valid():
        start, days = form.cleaned_data["start"], form.cleaned_data["days"]
        result = {"start": start, "days": days, "due": calendar.add_working_days(start, days)}
    context = {
        "first": first,
        "month_name": MONTH_NAMES[first.month],
        "weeks": weeks,
        "prev": f"{prev_month.year}-{prev_month.month}",
        "next": f"{next_month.year}-{next_month.month}",
        "form": form,
        "result": result,
    }
    if request.htmx and "days" in request.GET:
        return render(request, "office/_due_result.html", context)
    return render(request, "office/calendar.html", context)


@require_GET
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page links; send them to the icon in static/."""
    return redirect(static("img/favicon.svg"))


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """Database, broker and worker health, for load balancers and monitoring."""
    from config.celery import app

    checks: dict[str, str] = {}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        checks["database"] = "ok"
    except DatabaseError as exc:  # pragma: no cover - depends on a broken database
        checks["database"] = f"error: {exc.__class__.__name__}"
    try:
        with app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        checks["broker"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any broker failure is reported, not raised
        checks["broker"] = f"error: {exc.__class__.__name__}"
    beat = None
    if checks["database"] == "ok":
        try:
            with transaction.atomic():  # a savepoint: a missing table must not poison the connection
                beat = Heartbeat.objects.filter(name="worker").first()
        except DatabaseError as exc:  # reachable but not migrated (a deploy that skipped `migrate`)
            checks["database"] = f"error: {exc.__class__.__name__} (chưa chạy migrate?)"
    if beat and timezone.now() - beat.at < dt.timedelta(minutes=5):
        checks["worker"] = "ok"
    else:
        checks["worker"] = "stale" if beat else "no heartbeat yet"
    healthy = checks["database"] == "ok" and checks["broker"] == "ok"
    return JsonResponse({"status": "ok" if healthy else "error", "checks": checks}, status=200 if healthy else 503)
