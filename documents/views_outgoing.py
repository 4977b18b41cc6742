"""Pages for approval sheets (phiếu trình) and outgoing documents (văn bản đi).

"Chờ tôi duyệt" for leaders (phones included), the sheet with its whole history on one
page and approve / return / reject from it; signing and issuing on the outgoing page.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.api import Conflict
from documents.api_outgoing import visible_outgoing
from documents.forms import MultipleFileInput
from documents.models import (
    Attachment,
    DocumentType,
    IncomingDocument,
    Opinion,
    OutgoingDocument,
    OutgoingStatus,
    SigningCapacity,
    Submission,
    SubmissionStatus,
    SubmissionStep,
)
from documents.services import outgoing as outgoing_service
from documents.services import reassignment, signing, submission_pdf, submissions, visibility
from office.forms import apply_errors
from office.models import Position, Principal, Staff, Unit
from office.views import staff_required


class SubmissionForm(forms.Form):
    title = forms.CharField(label="Tiêu đề", max_length=300)
    summary = forms.CharField(
        label="Tóm tắt nội dung, đề xuất của chuyên viên", widget=forms.Textarea(attrs={"rows": 4})
    )
    doc_type = forms.ModelChoiceField(label="Loại văn bản dự thảo", queryset=DocumentType.objects.all(), required=False)
    draft = forms.FileField(
        label="Dự thảo (DOCX, PDF)", required=False, widget=forms.ClearableFileInput(attrs={"accept": ".docx,.pdf"})
    )
    incoming = forms.ModelChoiceField(
        label="Trả lời văn bản đến", queryset=IncomingDocument.objects.none(), required=False
    )
    coordinating = forms.ModelMultipleChoiceField(
        label="Xin ý kiến lãnh đạo các đơn vị phối hợp (tất cả cùng cho ý kiến)",
        queryset=Unit.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    disagreements = forms.CharField(
        label="Ý kiến còn khác nhau (nếu có)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    principal = forms.ModelChoiceField(
        label="Trình tiếp lãnh đạo cấp trên (sau Lãnh đạo Văn phòng)",
        queryset=Principal.objects.none(),
        required=False,
        empty_label="Không — Lãnh đạo Văn phòng quyết định",
    )

    def __init__(self, *args, me: Staff, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["principal"].queryset = Principal.objects.filter(
            organisation=me.organisation, staff__isnull=False
        ).select_related("staff")
        if not self.fields["principal"].queryset.exists():
            del self.fields["principal"]
        self.fields["incoming"].queryset = visibility.visible_incoming(me).exclude(status="done").order_by("-pk")[:200]
        self.fields["coordinating"].queryset = Unit.objects.filter(organisation=me.organisation)

    def clean_incoming(self):
        return self.cleaned_data.get("incoming")


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label="Quyết định", choices=Opinion.Decision.choices, widget=forms.RadioSelect)
    opinion = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    reserved = forms.BooleanField(label="Bảo lưu ý kiến", required=False)


class ResubmitForm(forms.Form):
    draft = forms.FileField(
        label="Dự thảo đã chỉnh sửa", required=False, widget=MultipleFileInput(attrs={"accept": ".docx,.pdf"})
    )
    summary = forms.CharField(
        label="Tóm tắt, đề xuất (nếu thay đổi)", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    disagreements = forms.CharField(
        label="Ý kiến còn khác nhau", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class SignForm(forms.Form):
    capacity = forms.ChoiceField(label="Thẩm quyền ký", choices=SigningCapacity.choices)


class IssueForm(forms.Form):
    recipients = forms.CharField(
        label="Nơi nhận (mỗi dòng một nơi)", widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    retention = forms.CharField(label="Dòng lưu", required=False, help_text="Để trống: «Lưu: VT, <đơn vị soạn>.»")


def _sheet(me: Staff, pk: int) -> Submission:
    sub = (
        submissions.visible_submissions(me)
        .select_related("drafter", "unit", "incoming", "outgoing", "organisation")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=SubmissionStep.objects.prefetch_related(
                    Prefetch("opinions", queryset=Opinion.objects.select_related("holder", "acted_by"))
                ),
            )
        )
        .filter(pk=pk)
        .first()
    )
    if sub is None:
        raise Http404("Không tìm thấy phiếu trình.")
    return sub


@staff_required
@require_GET
def sheet_list(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    mine = Submission.objects.filter(drafter=me).select_related("unit").prefetch_related("steps__opinions__holder")[:50]
    return render(
        request,
        "documents/sheet_list.html",
        {"waiting": list(submissions.waiting_for(me)), "mine": mine},
    )


@staff_required
@require_http_methods(["GET", "POST"])
def sheet_new(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    form = SubmissionForm(request.POST or None, request.FILES or None, me=me)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            sub = submissions.submit(
                me, title=d["title"], summary=d["summary"], doc_type=d["doc_type"], draft=d["draft"],
                incoming=d["incoming"], coordinating=list(d["coordinating"]), disagreements=d["disagreements"],
                principal=d.get("principal"),
            )  # fmt: skip
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, "Đã gửi phiếu trình.")
            return redirect("documents:sheet", pk=sub.pk)
    return render(request, "documents/sheet_form.html", {"form": form})


def _sheet_context(me: Staff, sub: Submission, **forms_) -> dict:
    step = next((s for s in sub.steps.all() if s.state == "open" and s.round == sub.round), None)
    my_seat = submissions._seat_for(step, me) if step and sub.status == SubmissionStatus.IN_PROGRESS else None
    rounds: dict[int, list[SubmissionStep]] = {}
    moves = reassignment.seat_moves(sub.pk)  # seats handed over (bàn giao), shown under each opinion
    for s in sub.steps.all():
        rounds.setdefault(s.round, []).append(s)
        for o in s.opinions.all():
            o.moves = moves.get(o.pk, [])
    return {
        "sub": sub,
        "rounds": sorted(rounds.items(), reverse=True),
        "current": step,
        "my_seat": my_seat,
        "decide_form": forms_.get("decide_form") or DecideForm(),
        "can_resubmit": sub.status == SubmissionStatus.RETURNED and sub.drafter_id == me.pk,
        "resubmit_form": forms_.get("resubmit_form") or ResubmitForm(),
        "versions": list(sub.outgoing.files.all()) if sub.outgoing_id else [],
    }


@staff_required
@require_GET
def sheet(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    return render(request, "documents/sheet.html", _sheet_context(me, _sheet(me, pk)))


@staff_required
@require_POST
def sheet_decide(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    sub = _sheet(me, pk)
    form = DecideForm(request.POST)
    if form.is_valid():
        d = form.cleaned_data
        try:
            submissions.decide(sub, me, d["decision"], d["opinion"], reserved=d["reserved"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.detail))
            return redirect("documents:sheet", pk=pk)
        else:
            messages.success(request, "Đã ghi ý kiến.")
            return redirect("documents:sheets")
    return render(request, "documents/sheet.html", _sheet_context(me, _sheet(me, pk), decide_form=form), status=400)


@staff_required
@require_POST
def sheet_resubmit(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    sub = _sheet(me, pk)
    form = ResubmitForm(request.POST, request.FILES)
    if form.is_valid():
        d = form.cleaned_data
        try:
            submissions.resubmit(sub, me, draft=d["draft"], summary=d["summary"], disagreements=d["disagreements"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except Conflict as exc:
            messages.error(request, str(exc.detail))
            return redirect("documents:sheet", pk=pk)
        else:
            messages.success(request, "Đã trình lại.")
            return redirect("documents:sheet", pk=pk)
    return render(request, "documents/sheet.html", _sheet_context(me, _sheet(me, pk), resubmit_form=form), status=400)


@staff_required
@require_GET
def sheet_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    sub = _sheet(request.user.staff, pk)
    return HttpResponse(
        submission_pdf.render(sub),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="phieu-trinh-{pk}.pdf"'},
    )


# ----------------------------------------------------------------------------- outgoing


def _outgoing(me: Staff, pk: int) -> OutgoingDocument:
    doc = (
        visible_outgoing(me)
        .select_related("organisation", "doc_type", "drafting_unit", "drafter", "signer", "answers")
        .filter(pk=pk)
        .first()
    )
    if doc is None:
        raise Http404("Không tìm thấy văn bản đi.")
    return doc


@staff_required
@require_GET
def outgoing_list(request: HttpRequest) -> HttpResponse:
    me = request.user.staff
    docs = visible_outgoing(me).select_related("doc_type", "drafting_unit", "signer").order_by("-pk")[:100]
    return render(request, "documents/outgoing_list.html", {"docs": docs})


def _outgoing_context(me: Staff, doc: OutgoingDocument, **forms_) -> dict:
    is_clerk = me.holds(Position.VAN_THU)
    capacities: list[tuple[str, str]] = []
    if doc.status == OutgoingStatus.APPROVED:
        for c in SigningCapacity.values:
            decision = signing.check_signature(me, doc, c)
            if decision.allowed:
                label = str(SigningCapacity(c).label)
                if decision.rule and decision.rule.principal_title:  # «Thừa lệnh (TL.) CHỦ TỊCH»
                    label = f"{label} {decision.rule.principal_title}"
                capacities.append((c, label))
    sign_form = forms_.get("sign_form") or SignForm()
    sign_form.fields["capacity"].choices = capacities or SigningCapacity.choices
    return {
        "doc": doc,
        "files": list(doc.files.all()),
        "signature": outgoing_service.signature_block(doc),
        "can_sign": bool(capacities),
        "sign_form": sign_form,
        "can_issue": is_clerk and doc.status == OutgoingStatus.SIGNED,
        "issue_form": forms_.get("issue_form") or IssueForm(),
        "sheet": Submission.objects.filter(outgoing=doc).first(),
    }


@staff_required
@require_GET
def outgoing_detail(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    return render(request, "documents/outgoing.html", _outgoing_context(me, _outgoing(me, pk)))


@staff_required
@require_POST
def outgoing_sign(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    doc = _outgoing(me, pk)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            outgoing_service.sign(doc, me, form.cleaned_data["capacity"])
        except PermissionDenied as exc:
            messages.error(request, f"Không ký được: {exc}")
        except Conflict as exc:
            messages.error(request, str(exc.detail))
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Đã ký văn bản.")
    return redirect("documents:outgoing", pk=pk)


@staff_required
@require_POST
def outgoing_issue(request: HttpRequest, pk: int) -> HttpResponse:
    me = request.user.staff
    doc = _outgoing(me, pk)
    form = IssueForm(request.POST)
    if form.is_valid():
        recipients = [line.strip() for line in form.cleaned_data["recipients"].splitlines() if line.strip()]
        try:
            doc = outgoing_service.issue(doc, me, recipients, form.cleaned_data["retention"])
        except ValidationError as exc:
            apply_errors(form, exc)
        except PermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        except Conflict as exc:
            messages.error(request, str(exc.detail))
            return redirect("documents:outgoing", pk=pk)
        else:
            messages.success(request, f"Đã phát hành: số {doc.symbol}.")
            return redirect("documents:outgoing", pk=pk)
    return render(
        request, "documents/outgoing.html", _outgoing_context(me, _outgoing(me, pk), issue_form=form), status=400
    )


@staff_required
@require_GET
def outgoing_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    doc = _outgoing(request.user.staff, pk)
    return HttpResponse(
        outgoing_service.render_pdf(doc),
        content_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="van-ban-di-{pk}.pdf"'},
    )


@staff_required
@require_GET
def outgoing_file(request: HttpRequest, pk: int, file_id: int) -> FileResponse:
    doc = _outgoing(request.user.staff, pk)
    attachment = Attachment.objects.filter(pk=file_id, outgoing=doc).first()
    if attachment is None:
        raise Http404("Không tìm thấy tệp.")
    response = FileResponse(
        attachment.file.open("rb"), content_type=attachment.content_type, filename=attachment.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
