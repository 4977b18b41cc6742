"""Pages: my deadlines, notification centre, coordination, recurring meetings and reports, overdue dashboard.

Thin views: rules live in workflow.services; objects an outsider may not know about answer 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from config.api import Conflict
from office.views import staff_required
from workflow import selectors
from workflow.forms import AskForm, CoordinationForm, ExtensionForm, ReplyForm
from workflow.models import CoordinationFile, Notification, ScheduledItem
from workflow.services import coordination, deadlines, notifications, schedules


def _form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            target = field if field in form.fields else None
            for message in errors:
                form.add_error(target, message)
    else:
        for message in exc.messages:
            form.add_error(None, message)


# --------------------------------------------------------------------------- my work, notifications


@staff_required
@require_GET
def my_deadlines(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    now = timezone.now()
    rows = list(selectors.my_deadlines(me)[:200])
    return render(
        request,
        "workflow/my_deadlines.html",
        {"overdue": [d for d in rows if d.due_at < now], "upcoming": [d for d in rows if d.due_at >= now], "now": now},
    )


@staff_required
@require_GET
def notification_list(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    only_unread = request.GET.get("chua-doc") == "1"
    qs = Notification.objects.filter(recipient=me)
    if only_unread:
        qs = qs.filter(read_at__isnull=True)
    return render(
        request,
        "workflow/notifications.html",
        {"items": qs.order_by("-created_at", "-pk")[:100], "only_unread": only_unread,
         "unread": notifications.unread_count(me)},
    )  # fmt: skip


@staff_required
@require_POST
def notification_read(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
    count = notifications.mark_read(me, ids or None)
    note = Notification.objects.filter(recipient=me, pk__in=ids).first() if len(ids) == 1 else None
    if note is not None and request.POST.get("open") and note.url.startswith("/"):
        return redirect(note.url)
    messages.success(request, f"Đã đánh dấu {count} thông báo là đã đọc.")
    return redirect("workflow:notifications")


@staff_required
@require_GET
def unread_badge(request: HttpRequest) -> HttpResponse:
    """The header's unread count, polled by htmx; the same poll also refreshes the overdue count of
    «Việc của tôi» out of band (one indexed COUNT), so no page pays a query for it."""
    me = request.user.staff
    context = {"unread_count": notifications.unread_count(me)}
    if request.headers.get("HX-Request"):
        context["overdue_count"] = selectors.my_overdue(me).count()
    return render(request, "workflow/_unread_badge.html", context)


# --------------------------------------------------------------------------- coordination


@staff_required
@require_GET
def coordination_list(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    sent = coordination.visible_requests(me).filter(sender=me).prefetch_related("recipients__staff")[:100]
    received = (
        coordination.visible_requests(me)
        .filter(recipients__staff=me)
        .prefetch_related("recipients__staff")
        .select_related("sender")[:100]
    )
    mine = {r.request_id: r for r in me.coordination_received.filter(request__in=[r.pk for r in received])}
    coordination.attach_rule_notes(list(mine.values()))
    return render(
        request,
        "workflow/coordination_list.html",
        {"sent": sent, "received": [(req, mine.get(req.pk)) for req in received], "now": timezone.now(),
         "limits": coordination.reply_limits(me.organisation)},
    )  # fmt: skip


@staff_required
def coordination_new(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    form = CoordinationForm(request.POST or None, request.FILES or None, me=me)
    if request.method == "POST" and form.is_valid():
        try:
            req = coordination.send_request(
                me,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                to=form.targets(),
                complex_matter=form.cleaned_data["complex"],
                kind=form.cleaned_data["kind"],
                due=form.cleaned_data["due"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(request, "Đã gửi xin ý kiến phối hợp.")
            return redirect("workflow:coordination_detail", pk=req.pk)
    limits = coordination.reply_limits(me.organisation)
    return render(request, "workflow/coordination_form.html", {"form": form, "limits": limits})


@staff_required
@require_GET
def coordination_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    req = coordination.get_visible(me, pk)
    mine = coordination.my_recipient(me, req)
    recipients = list(req.recipients.select_related("staff", "unit", "replied_by").order_by("pk"))
    coordination.attach_rule_notes(recipients)
    moves = coordination.reply_moves(req)  # requests handed over (bàn giao), shown under the person
    for r in recipients:
        r.moves = moves.get(r.pk, [])
    if mine is not None:
        mine = next((r for r in recipients if r.pk == mine.pk), mine)
    extensions = list(coordination.pending_extensions(req))
    can_decide = coordination.is_approver(me, req.organisation)
    return render(
        request,
        "workflow/coordination_detail.html",
        {
            "req": req,
            "mine": mine,
            "recipients": recipients,
            "extensions": extensions,
            "can_decide": can_decide,
            "files": list(req.files.all()),
            "notes": list(req.notes.select_related("author")),
            "reply_form": ReplyForm() if mine and mine.state == "pending" and req.is_open else None,
            "extension_form": ExtensionForm() if mine and mine.state == "pending" and req.is_open else None,
            "ask_form": AskForm() if mine and req.is_open else None,
            "now": timezone.now(),
        },
    )


def _act(request: HttpRequest, pk: int, action, success: str):
    """Run a POST action; Conflict and PermissionDenied become messages, ValidationError too."""
    try:
        action()
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    except Conflict as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, success)
    return redirect("workflow:coordination_detail", pk=pk)


@staff_required
def coordination_reply(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    req = coordination.get_visible(me, pk)
    mine = coordination.my_recipient(me, req)
    if mine is None:
        raise PermissionDenied("Bạn không được xin ý kiến trong phiếu này.")
    form = ReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            coordination.reply(
                me,
                req,
                agree=form.agree_value(),
                view_competence=form.cleaned_data["view_competence"],
                view_merit=form.cleaned_data["view_merit"],
                view_prior_directions=form.cleaned_data["view_prior_directions"],
                proposal=form.cleaned_data["proposal"],
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.detail))
            return redirect("workflow:coordination_detail", pk=pk)
        else:
            messages.success(request, "Đã gửi ý kiến tham gia.")
            return redirect("workflow:coordination_detail", pk=pk)
    return render(request, "workflow/coordination_reply.html", {"req": req, "mine": mine, "form": form})


@staff_required
@require_POST
def coordination_extend(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    req = coordination.get_visible(me, pk)
    form = ExtensionForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("workflow:coordination_detail", pk=pk)
    return _act(
        request,
        pk,
        lambda: coordination.request_extension(
            me, req, until=form.cleaned_data["until"], reason=form.cleaned_data["reason"]
        ),  # fmt: skip
        "Đã gửi đề nghị gia hạn; hạn mới chỉ có hiệu lực khi được đồng ý.",
    )


@staff_required
@require_POST
def coordination_extension_decide(request: HttpRequest, pk: int, ext_id: int) -> HttpResponse:
    me = request.user.staff
    req = coordination.get_visible(me, pk)
    ext = coordination.pending_extensions(req).filter(pk=ext_id).first()
    if ext is None:
        raise Http404("Không tìm thấy đề nghị gia hạn.")
    approve = request.POST.get("decision") == "approve"
    return _act(
        request,
        pk,
        lambda: coordination.decide_extension(me, ext, approve=approve),
        "Đã đồng ý gia hạn." if approve else "Đã không đồng ý gia hạn.",
    )


@staff_required
@require_POST
def coordination_ask(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    req = coordination.get_visible(me, pk)
    return _act(
        request, pk, lambda: coordination.ask_information(me, req, request.POST.get("text", "")),
        "Đã gửi đề nghị làm rõ tới đầu mối.",
    )  # fmt: skip


@staff_required
@require_POST
def coordination_close(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    req = coordination.get_visible(me, pk)
    return _act(request, pk, lambda: coordination.close_request(me, req), "Đã kết thúc lấy ý kiến.")


@staff_required
@require_GET
def coordination_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """Files are served only here, after the visibility check (never from a public media URL)."""
    req = coordination.get_visible(request.user.staff, pk)
    item = get_object_or_404(CoordinationFile, pk=file_id, request=req)
    response = FileResponse(item.file.open("rb"), content_type=item.content_type, filename=item.original_name)
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --------------------------------------------------------------------------- recurring work, dashboard


@staff_required
def schedule_list(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    if request.method == "POST":  # an issued work programme to distribute (002 Điều 9.3)
        try:
            item = schedules.record_issued_programme(me, title=request.POST.get("title", ""))
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, "Đã ghi nhận; việc phát hành chương trình có hạn và sẽ được nhắc.")
            return redirect("workflow:schedule_item", pk=item.pk)
        return redirect("workflow:schedules")
    items = list(selectors.upcoming_items(me))
    mine = set(
        selectors.my_deadlines(me)
        .filter(target_type__app_label="workflow", target_type__model="scheduleditem")
        .values_list("target_id", flat=True)
    )
    conv = schedules.conventions(me.organisation.rules)
    return render(
        request,
        "workflow/schedules.html",
        {
            "items": items,
            "mine": mine,
            "schedules": schedules.schedules_for(me.organisation),
            "undated": schedules.undated_obligations(me.organisation.rules),
            "conventions": schedules.conventions_summary(conv),
            "can_record_programme": bool(me.organisation.rule("programmes.distribute_within_days"))
            and schedules.can_record_programme(me),
        },
    )


@staff_required
def schedule_item(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    item = get_object_or_404(ScheduledItem, pk=pk, organisation=me.organisation)
    if request.method == "POST":
        try:
            schedules.mark_done(item, me)
        except Conflict as exc:
            messages.error(request, str(exc.detail))
        else:
            messages.success(request, "Đã ghi nhận hoàn thành.")
        return redirect("workflow:schedule_item", pk=pk)
    rows = deadlines.deadlines_of(item, open_only=False).select_related("assignee", "unit").order_by("unit__order")
    return render(
        request,
        "workflow/schedule_item.html",
        {"item": item, "rows": rows, "mine": rows.filter(assignee=me, state__in=["open", "due_soon", "overdue",
                                                                                 "extended"]).exists(),
         "follow_ups": item.follow_ups.all()},
    )  # fmt: skip


@staff_required
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    data = selectors.overdue_dashboard(me)
    if data is None:
        raise PermissionDenied("Chỉ lãnh đạo Văn phòng và lãnh đạo đơn vị xem bảng theo dõi quá hạn.")
    whole, _units = selectors.dashboard_scope(me)
    return render(request, "workflow/dashboard.html", {"data": data, "whole": whole})
