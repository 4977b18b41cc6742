"""Pages for incoming documents: inbox, register (list + search), registration form,
document page with distribution/handling actions, files, register PDF/XLSX.

Thin views: parse input, call documents.services, render documents.selectors.
A document the user may not see answers 404 everywhere (page, files, actions).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.api import Conflict
from documents import selectors
from documents.forms import CompleteForm, FileVersionForm, IncomingForm, OpinionForm, ReopenForm, RouteForm, SearchForm
from documents.models import (
    Assignment,
    AssignmentKind,
    AssignmentRole,
    Attachment,
    IncomingDocument,
    IncomingStatus,
)
from documents.services import register_export, registration, routing
from office.forms import apply_errors
from office.fragments import render_rows
from office.models import Position, Staff, Unit
from office.views import staff_required


def _visible_or_404(staff: Staff, pk: int) -> IncomingDocument:
    try:
        return selectors.document_detail(staff, pk)
    except IncomingDocument.DoesNotExist:
        raise Http404("Không tìm thấy văn bản.") from None


def _is_clerk(staff: Staff) -> bool:
    return staff.holds(Position.VAN_THU)


def _me(request: HttpRequest) -> Staff:
    """The signed-in person with posts and office loaded once for the whole request: the visibility
    rules, the clerk check, the context processor and the base layout all read them."""
    me = request.user.staff
    prefetch_related_objects([me], "posts", "organisation")
    return me


@staff_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    try:
        page = max(1, int(request.GET.get("trang") or 1))
    except ValueError:
        page = 1
    size = selectors.PAGE_SIZE
    rows = selectors.inbox_rows(me, limit=size + 1, offset=(page - 1) * size)
    next_page = page + 1 if len(rows) > size else None
    display = selectors.inbox_display(rows[:size])
    rows_html = render_rows("documents/inbox_rows.html", {"rows": display, "doing_for": _("Làm thay")})
    context = {"rows": display, "rows_html": rows_html, "page": page, "next_page": next_page}
    return render(request, "documents/inbox.html", context)


def _filters(form: SearchForm) -> selectors.Filters:
    d = form.cleaned_data if form.is_valid() else {}
    return selectors.Filters(
        q=d.get("q") or "",
        status=d.get("status") or "",
        year=d.get("year"),
        urgency=d.get("urgency") or "",
        unit=d.get("unit") or "",
        overdue=bool(d.get("overdue")),
    )


@staff_required
@require_GET
def register_list(request: HttpRequest) -> HttpResponse:
    """Sổ văn bản đến / search: one box, filters, keyset pages ("Trang sau")."""
    me = _me(request)
    form = SearchForm(request.GET or None, organisation=me.organisation)
    try:
        before = int(request.GET["truoc"]) if request.GET.get("truoc") else None
    except ValueError:
        before = None
    rows, cursor = selectors.register_page(me, _filters(form), before)
    display = selectors.register_display(rows)
    params = request.GET.copy()
    params.pop("truoc", None)
    context = {
        "form": form,
        "rows": display,
        "rows_html": render_rows("documents/register_rows.html", {"rows": display, "secret": _("Mật")}),
        "cursor": cursor,
        "params": params.urlencode(),
        "is_clerk": _is_clerk(me),
    }
    template = "documents/_register_rows.html" if request.htmx else "documents/register.html"
    return render(request, template, context)


@staff_required
@require_http_methods(["GET", "POST"])
def register_new(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    if not _is_clerk(me):
        raise PermissionDenied("Chỉ văn thư được vào sổ văn bản đến.")
    form = IncomingForm(request.POST or None, request.FILES or None, organisation=me.organisation)
    duplicate_warning = False
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        data = registration.IncomingData(
            sender=d["sender"], symbol=d["symbol"], issued_date=d["issued_date"], doc_type=d["doc_type"],
            summary=d["summary"], received_at=d["received_at"], urgency=d["urgency"],
            confidentiality=d["confidentiality"], pages=d["pages"], sender_deadline=d["sender_deadline"],
            sector=d["sector"], notes=d["notes"], handled_before_registration=d["handled_before_registration"],
            late_registration_reason=d["late_registration_reason"], files=d["files"],
        )  # fmt: skip
        try:
            doc = registration.register_incoming(me, data, confirm_duplicate=d["confirm_duplicate"])
        except ValidationError as exc:
            duplicate_warning = "duplicate" in exc.message_dict
            apply_errors(form, exc)
        else:
            messages.success(request, f"Đã vào sổ: số đến {doc.number} ({doc.register.name}).")
            return redirect("documents:detail", pk=doc.pk)
    return render(request, "documents/register_form.html", {"form": form, "duplicate_warning": duplicate_warning})


def _route_form(me: Staff, doc: IncomingDocument, step: Assignment | None, data=None) -> RouteForm | None:
    if step is None or doc.status == IncomingStatus.DONE:
        return None
    unit_step = step.kind == AssignmentKind.UNIT
    staff = Staff.objects.filter(organisation=me.organisation, is_active=True).prefetch_related("posts__unit")
    if unit_step:
        staff = staff.filter(posts__unit=step.unit).distinct()
    units = Unit.objects.filter(organisation=me.organisation)
    return RouteForm(data, units=units, staff=staff.order_by("full_name"), unit_step=unit_step)


@staff_required
@require_GET
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = _me(request)
    doc = _visible_or_404(me, pk)
    return render(request, "documents/detail.html", _detail_context(me, doc))


def _detail_context(me: Staff, doc: IncomingDocument, **forms) -> dict:
    steps = routing.open_steps(doc)
    route_step = routing.open_step(doc, me, (AssignmentKind.DISTRIBUTE, AssignmentKind.UNIT), steps=steps)
    if route_step and route_step.kind == AssignmentKind.UNIT and route_step.role == AssignmentRole.INFORM:
        route_step = None
    lead_kinds = (AssignmentKind.HANDLE, AssignmentKind.UNIT)
    lead_step = routing.open_step(doc, me, lead_kinds, role=AssignmentRole.LEAD, steps=steps)
    part_kinds = (AssignmentKind.HANDLE, AssignmentKind.INFORM, AssignmentKind.UNIT)
    part_step = routing.open_step(doc, me, part_kinds, steps=steps)
    if part_step and part_step.role == AssignmentRole.LEAD:
        part_step = None
    return {
        "doc": doc,
        "route_step": route_step,
        "route_form": forms.get("route_form") or _route_form(me, doc, route_step),
        "lead_step": lead_step if doc.status != IncomingStatus.DONE else None,
        "complete_form": forms.get("complete_form") or CompleteForm(),
        "part_step": part_step if doc.status != IncomingStatus.DONE else None,
        "opinion_form": forms.get("opinion_form") or OpinionForm(),
        "can_reopen": doc.status == IncomingStatus.DONE and routing.may_reopen(doc, me),
        "reopen_form": forms.get("reopen_form") or ReopenForm(),
        "file_form": FileVersionForm(),
        "can_add_file": _is_clerk(me) or doc.registered_by_id == me.pk,
        "current_files": [f for f in doc.files.all() if not f.superseded_by_id],
        "old_files": [f for f in doc.files.all() if f.superseded_by_id],
        "today": timezone.localdate(),
    }


def _act(request: HttpRequest, pk: int, form_cls, action, form_name: str) -> HttpResponse:
    me = request.user.staff
    doc = _visible_or_404(me, pk)
    form = form_cls(request.POST)
    if form.is_valid():
        try:
            message = action(me, doc, form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.detail))
            return redirect("documents:detail", pk=pk)
        else:
            messages.success(request, message)
            return redirect("documents:detail", pk=pk)
    doc = _visible_or_404(me, pk)
    return render(request, "documents/detail.html", _detail_context(me, doc, **{form_name: form}), status=400)


@staff_required
@require_POST
def route(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    doc = _visible_or_404(me, pk)
    step = routing.open_step(doc, me, (AssignmentKind.DISTRIBUTE, AssignmentKind.UNIT))
    if step is None:
        raise PermissionDenied("Bạn không giữ bước phân phối hoặc giao việc của văn bản này.")
    form = _route_form(me, doc, step, request.POST)
    if form is None:
        messages.error(request, "Văn bản đã hoàn thành; phải mở lại trước khi chuyển xử lý tiếp.")
        return redirect("documents:detail", pk=pk)
    if form.is_valid():
        d = form.cleaned_data
        items: list[routing.RouteItem] = []
        deadline, days = d["deadline"], d["deadline_days"]
        if d.get("lead_unit"):
            items.append(routing.RouteItem(role="lead", unit=d["lead_unit"], deadline=deadline, deadline_days=days))
        if d.get("lead_staff"):
            items.append(routing.RouteItem(role="lead", staff=d["lead_staff"], deadline=deadline, deadline_days=days))
        for unit in d.get("coordinate_units") or []:
            items.append(routing.RouteItem(role="coordinate", unit=unit, deadline=deadline, deadline_days=days))
        for person in d.get("coordinate_staff") or []:
            items.append(routing.RouteItem(role="coordinate", staff=person, deadline=deadline, deadline_days=days))
        for person in d.get("inform_staff") or []:
            items.append(routing.RouteItem(role="inform", staff=person))
        try:
            routing.route(doc, me, items, d["instruction"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.detail))
            return redirect("documents:detail", pk=pk)
        else:
            messages.success(request, "Đã chuyển xử lý.")
            return redirect("documents:inbox")
    doc = _visible_or_404(me, pk)
    return render(request, "documents/detail.html", _detail_context(me, doc, route_form=form), status=400)


@staff_required
@require_POST
def complete(request: HttpRequest, pk: int) -> HttpResponse:
    def action(me, doc, d):
        routing.complete(doc, me, d["result"], d["note"], d["answered_by_symbol"])
        return "Đã kết thúc xử lý văn bản."

    return _act(request, pk, CompleteForm, action, "complete_form")


@staff_required
@require_POST
def contribute(request: HttpRequest, pk: int) -> HttpResponse:
    def action(me, doc, d):
        routing.contribute(doc, me, d["opinion"])
        return "Đã ghi nhận ý kiến."

    return _act(request, pk, OpinionForm, action, "opinion_form")


@staff_required
@require_POST
def reopen(request: HttpRequest, pk: int) -> HttpResponse:
    def action(me, doc, d):
        routing.reopen(doc, me, d["reason"])
        return "Đã mở lại văn bản."

    return _act(request, pk, ReopenForm, action, "reopen_form")


@staff_required
@require_POST
def add_file(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    doc = _visible_or_404(me, pk)
    if not (_is_clerk(me) or doc.registered_by_id == me.pk):
        raise PermissionDenied("Chỉ văn thư được bổ sung tệp văn bản.")
    form = FileVersionForm(request.POST, request.FILES)
    if form.is_valid():
        old = doc.files.filter(pk=form.cleaned_data["supersedes"]).first() if form.cleaned_data["supersedes"] else None
        try:
            registration.add_file_version(doc, form.cleaned_data["file"], me, old)
            messages.success(request, "Đã thêm tệp.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
    else:
        messages.error(request, "Chọn tệp PDF hoặc DOCX.")
    return redirect("documents:detail", pk=pk)


@staff_required
@require_GET
def download(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    """Files are served only here, after the visibility check (never from a public media URL)."""
    me = request.user.staff
    doc = _visible_or_404(me, pk)
    attachment = Attachment.objects.filter(pk=file_id, incoming=doc).first()
    if attachment is None:
        raise Http404("Không tìm thấy tệp.")
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _register_year(request: HttpRequest, year: int) -> tuple[Staff, list[IncomingDocument]]:
    me = request.user.staff
    if not _is_clerk(me) and not any(p.position in (Position.CHANH_VP, Position.PHO_CHANH_VP) for p in me.posts.all()):
        raise PermissionDenied("Chỉ văn thư và lãnh đạo Văn phòng được in sổ đăng ký.")
    return me, register_export.register_rows(me, year)


@staff_required
@require_GET
def register_pdf(request: HttpRequest, year: int) -> HttpResponse:
    me, rows = _register_year(request, year)
    pdf = register_export.register_pdf(me.organisation, year, rows)
    return HttpResponse(
        pdf, content_type="application/pdf", headers={"Content-Disposition": f'inline; filename="so-den-{year}.pdf"'}
    )


@staff_required
@require_GET
def register_xlsx(request: HttpRequest, year: int) -> HttpResponse:
    me, rows = _register_year(request, year)
    data = register_export.register_xlsx(me.organisation, year, rows)
    return HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={"Content-Disposition": f'attachment; filename="so-den-{year}.xlsx"'},
    )
