"""API of approval sheets and outgoing documents (../shared/spec/api.md "Approval sheets and outgoing")."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents.models import (
    DocumentType,
    Opinion,
    OutgoingDocument,
    SigningCapacity,
    Submission,
    SubmissionStep,
)
from documents.services import outgoing as outgoing_service
from documents.services import submission_pdf, submissions, visibility
from office.api import _me
from office.models import Principal, Staff, Unit


class SubmissionSerializer(serializers.ModelSerializer):
    current_step = serializers.SerializerMethodField()
    steps = serializers.SerializerMethodField()
    outgoing = serializers.PrimaryKeyRelatedField(read_only=True)
    incoming = serializers.PrimaryKeyRelatedField(read_only=True)
    drafter = serializers.CharField(source="drafter.user.username")

    class Meta:
        model = Submission
        fields = [
            "id", "title", "summary", "disagreements", "drafter", "status", "round", "current_step", "outgoing",
            "incoming", "steps", "created_at", "decided_at",
        ]  # fmt: skip

    def _steps(self, obj: Submission) -> list[SubmissionStep]:
        return list(obj.steps.all())

    def get_current_step(self, obj: Submission) -> dict | None:
        step = next((s for s in self._steps(obj) if s.state == "open" and s.round == obj.round), None)
        if step is None:
            return None
        return {
            "order": step.order,
            "kind": step.kind,
            "holders": [o.holder.user.username for o in step.opinions.all()],
        }

    def get_steps(self, obj: Submission) -> list[dict]:
        """Each required opinion as {username, acted_by, decision, opinion, at} (api.md), with its step."""
        rows = []
        for step in self._steps(obj):
            for o in step.opinions.all():
                rows.append(
                    {
                        "round": step.round,
                        "order": step.order,
                        "kind": step.kind,
                        "mode": step.mode,
                        "state": step.state,
                        "username": o.holder.user.username,
                        "acted_by": o.acted_by.user.username if o.acted_by_id else None,
                        "decision": o.decision or None,
                        "opinion": o.opinion,
                        "implied": o.implied,
                        "reserved": o.reserved,
                        "at": timezone.localtime(o.at).isoformat() if o.at else None,
                    }  # fmt: skip
                )
        return rows


def _submissions_qs(me: Staff):
    return (
        submissions.visible_submissions(me)
        .select_related("drafter__user", "organisation")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=SubmissionStep.objects.prefetch_related(
                    Prefetch("opinions", queryset=Opinion.objects.select_related("holder__user", "acted_by__user"))
                ),
            )
        )
    )


class SubmissionCreateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300)
    summary = serializers.CharField()
    doc_type = serializers.SlugRelatedField(slug_field="code", queryset=DocumentType.objects.all(), required=False)
    incoming = serializers.IntegerField(required=False, allow_null=True)
    draft = serializers.FileField(required=False)
    route = serializers.ListField(child=serializers.CharField(), required=False)
    coordinating_units = serializers.ListField(child=serializers.CharField(), required=False)
    disagreements = serializers.CharField(required=False, allow_blank=True, default="")
    principal = serializers.CharField(required=False, allow_blank=True, default="")  # «chutich»: up after the Chánh


class SubmissionListCreate(generics.ListCreateAPIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_serializer_class(self):
        return SubmissionCreateSerializer if self.request.method == "POST" else SubmissionSerializer

    def get_queryset(self):
        return _submissions_qs(_me(self.request)).order_by("-pk")

    @extend_schema(request=SubmissionCreateSerializer, responses={201: SubmissionSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        s = SubmissionCreateSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        errors: dict[str, list[str]] = {}
        incoming = None
        if d.get("incoming"):
            incoming = visibility.visible_incoming(me).filter(pk=d["incoming"]).first()
            if incoming is None:
                errors["incoming"] = ["Không tìm thấy văn bản đến này."]
        route = []
        for username in d.get("route") or []:
            staff = Staff.objects.filter(user__username=username, organisation=me.organisation).first()
            if staff is None:
                errors.setdefault("route", []).append(f"«{username}» không phải cán bộ của cơ quan.")
            else:
                route.append(staff)
        units = []
        for code in d.get("coordinating_units") or []:
            unit = Unit.objects.filter(organisation=me.organisation, code=code).first()
            if unit is None:
                errors.setdefault("coordinating_units", []).append(f"Không có đơn vị «{code}».")
            else:
                units.append(unit)
        principal = None
        if d["principal"]:
            principal = Principal.objects.filter(organisation=me.organisation, key=d["principal"]).first()
            if principal is None:
                errors["principal"] = [f"Không có lãnh đạo cấp trên «{d['principal']}»."]
        if errors:
            raise serializers.ValidationError(errors)
        sub = submissions.submit(
            me, title=d["title"], summary=d["summary"], doc_type=d.get("doc_type"), draft=d.get("draft"),
            incoming=incoming, route=route or None, coordinating=units, disagreements=d["disagreements"],
            principal=principal,
        )  # fmt: skip
        return Response(SubmissionSerializer(_submissions_qs(me).get(pk=sub.pk)).data, status=status.HTTP_201_CREATED)


def _submission(request: Request, pk: int) -> tuple[Staff, Submission]:
    me = _me(request)
    sub = _submissions_qs(me).filter(pk=pk).first()
    if sub is None:
        raise NotFound("Không tìm thấy phiếu trình.")
    return me, sub


class SubmissionDetail(APIView):
    @extend_schema(responses=SubmissionSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _, sub = _submission(request, pk)
        return Response(SubmissionSerializer(sub).data)


class SubmissionDecideSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=Opinion.Decision.choices)
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    reserved = serializers.BooleanField(required=False, default=False)


class DecideView(APIView):
    @extend_schema(request=SubmissionDecideSerializer, responses=SubmissionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, sub = _submission(request, pk)
        s = SubmissionDecideSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        submissions.decide(sub, me, d["decision"], d["opinion"], reserved=d["reserved"])
        return Response(SubmissionSerializer(_submissions_qs(me).get(pk=pk)).data)


class ResubmitSerializer(serializers.Serializer):
    draft = serializers.FileField(required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    disagreements = serializers.CharField(required=False, allow_blank=True)


class ResubmitView(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request=ResubmitSerializer, responses=SubmissionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, sub = _submission(request, pk)
        submissions.resubmit(
            sub, me, draft=request.FILES.get("draft"), summary=request.data.get("summary", ""),
            disagreements=request.data.get("disagreements", ""),
        )  # fmt: skip
        return Response(SubmissionSerializer(_submissions_qs(me).get(pk=pk)).data)


class SubmissionPdf(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes}, summary="Phiếu trình (PDF)")
    def get(self, request: Request, pk: int) -> HttpResponse:
        _, sub = _submission(request, pk)
        return HttpResponse(submission_pdf.render(sub), content_type="application/pdf")


# ----------------------------------------------------------------------------- outgoing


def visible_outgoing(me: Staff):
    """Drafter, the people on its sheet, the signer, and the office's clerks (who issue)."""
    from office.models import Position

    sheets = submissions.visible_submissions(me).values("outgoing_id")
    qs = OutgoingDocument.objects.filter(organisation=me.organisation)
    if me.holds(Position.VAN_THU):
        return qs.exclude(status="draft", confidentiality__in=["mat", "toi_mat", "tuyet_mat"])
    return qs.filter(pk__in=sheets) | qs.filter(drafter=me) | qs.filter(signer=me)


class OutgoingSerializer(serializers.ModelSerializer):
    doc_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    signer = serializers.SerializerMethodField()
    signature = serializers.SerializerMethodField()

    class Meta:
        model = OutgoingDocument
        fields = [
            "id", "status", "number", "symbol", "doc_type", "summary", "urgency", "confidentiality", "signer",
            "signed_capacity", "signed_at", "signature", "recipients", "retention", "issued_at", "answers",
        ]  # fmt: skip

    def get_signer(self, obj: OutgoingDocument) -> str | None:
        return obj.signer.user.username if obj.signer_id else None

    def get_signature(self, obj: OutgoingDocument) -> list[str]:
        return outgoing_service.signature_block(obj)


def _outgoing(request: Request, pk: int) -> tuple[Staff, OutgoingDocument]:
    me = _me(request)
    doc = visible_outgoing(me).filter(pk=pk).select_related("organisation", "doc_type", "drafting_unit").first()
    if doc is None:
        raise NotFound("Không tìm thấy văn bản đi.")
    return me, doc


class OutgoingDetail(APIView):
    @extend_schema(responses=OutgoingSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _, doc = _outgoing(request, pk)
        return Response(OutgoingSerializer(doc).data)


class SignSerializer(serializers.Serializer):
    capacity = serializers.ChoiceField(choices=SigningCapacity.choices, required=False, default="", allow_blank=True)


class SignView(APIView):
    @extend_schema(request=SignSerializer, responses=OutgoingSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, doc = _outgoing(request, pk)
        s = SignSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            doc = outgoing_service.sign(doc, me, s.validated_data["capacity"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(OutgoingSerializer(doc).data)


class IssueSerializer(serializers.Serializer):
    recipients = serializers.ListField(child=serializers.CharField(allow_blank=True), allow_empty=True)
    retention = serializers.CharField(required=False, allow_blank=True, default="")


class IssueView(APIView):
    @extend_schema(request=IssueSerializer, responses=OutgoingSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, doc = _outgoing(request, pk)
        s = IssueSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        try:
            doc = outgoing_service.issue(doc, me, s.validated_data["recipients"], s.validated_data["retention"])
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        return Response(OutgoingSerializer(doc).data)


class OutgoingPdf(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes}, summary="Trang đầu và trang ký của văn bản đi (PDF)")
    def get(self, request: Request, pk: int) -> HttpResponse:
        _, doc = _outgoing(request, pk)
        return HttpResponse(outgoing_service.render_pdf(doc), content_type="application/pdf")
