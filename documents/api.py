"""API of incoming documents (../shared/spec/api.md "Incoming documents")."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from documents import selectors
from documents.models import (
    Assignment,
    Confidentiality,
    DocumentType,
    IncomingDocument,
    IncomingResult,
    IncomingStatus,
    Urgency,
)
from documents.services import register_export, registration, routing
from office.api import _me
from office.models import Position, Sector, Staff, Unit


class AssignmentSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="holder.user.username")
    full_name = serializers.CharField(source="holder.full_name")
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    acted_by = serializers.SerializerMethodField()

    class Meta:
        model = Assignment
        fields = ["username", "full_name", "kind", "role", "unit", "deadline", "state", "done_at", "acted_by", "note"]

    def get_acted_by(self, obj: Assignment) -> str | None:
        return obj.acted_by.user.username if obj.acted_by_id else None


class IncomingSerializer(serializers.ModelSerializer):
    register = serializers.CharField(source="register.name")
    register_id = serializers.IntegerField()
    doc_type = serializers.SlugRelatedField(slug_field="code", read_only=True)
    deadline = serializers.DateField(source="sender_deadline")
    sector = serializers.SlugRelatedField(slug_field="code", read_only=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = IncomingDocument
        fields = [
            "id", "register", "register_id", "number", "sender", "symbol", "issued_date", "doc_type", "summary",
            "urgency", "confidentiality", "received_at", "deadline", "pages", "sector", "status", "result",
            "answered_by_symbol", "handled_before_registration", "late_registration_reason", "files",
        ]  # fmt: skip

    def get_files(self, obj: IncomingDocument) -> list[dict]:
        return [
            {
                "id": f.pk,
                "name": f.original_name,
                "size": f.size,
                "sha256": f.sha256,
                "current": f.superseded_by_id is None,
                "url": f"/van-ban/den/{obj.pk}/tep/{f.pk}/",
            }
            for f in obj.files.all()
        ]


class IncomingDetailSerializer(IncomingSerializer):
    assignments = AssignmentSerializer(many=True)
    history = serializers.SerializerMethodField()

    class Meta(IncomingSerializer.Meta):
        fields = [*IncomingSerializer.Meta.fields, "assignments", "history"]

    def get_history(self, obj: IncomingDocument) -> list[dict]:
        return [
            {
                "at": timezone.localtime(e.at).isoformat(),
                "actor": e.actor.full_name,
                "on_behalf_of": e.on_behalf_of.full_name if e.on_behalf_of_id else None,
                "action": e.action,
                "text": e.text,
            }
            for e in obj.events.all()
        ]


class IncomingCreateSerializer(serializers.Serializer):
    sender = serializers.CharField(max_length=255)
    symbol = serializers.CharField(max_length=60)
    issued_date = serializers.DateField()
    doc_type = serializers.SlugRelatedField(slug_field="code", queryset=DocumentType.objects.all())
    summary = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.THUONG)
    confidentiality = serializers.ChoiceField(choices=Confidentiality.choices, default=Confidentiality.THUONG)
    received_at = serializers.DateTimeField()
    deadline = serializers.DateField(required=False, allow_null=True)
    pages = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    sector = serializers.CharField(required=False, allow_blank=True)
    notes = serializers.CharField(required=False, allow_blank=True, max_length=500)
    files = serializers.ListField(child=serializers.FileField(), required=False)
    handled_before_registration = serializers.BooleanField(required=False, default=False)
    late_registration_reason = serializers.CharField(required=False, allow_blank=True, default="")
    confirm_duplicate = serializers.BooleanField(required=False, default=False)


class IncomingListCreate(generics.ListCreateAPIView):
    """GET: documents the user may see (q, status, year); POST (văn thư): register one."""

    parser_classes = [MultiPartParser, FormParser, JSONParser]

    def get_serializer_class(self):
        return IncomingCreateSerializer if self.request.method == "POST" else IncomingSerializer

    def get_queryset(self):
        p = self.request.query_params
        try:
            year = int(p["year"]) if p.get("year") else None
        except ValueError:
            raise serializers.ValidationError({"year": ["Năm không hợp lệ."]}) from None
        if p.get("status") and p["status"] not in IncomingStatus.values:
            raise serializers.ValidationError({"status": ["Trạng thái không hợp lệ."]})
        f = selectors.Filters(
            q=p.get("q", ""), status=p.get("status", ""), year=year, urgency=p.get("urgency", ""),
            unit=p.get("unit", ""), overdue=p.get("overdue") in ("1", "true"),
        )  # fmt: skip
        return selectors.filtered_incoming(_me(self.request), f).prefetch_related("files").order_by("-pk")

    @extend_schema(request=IncomingCreateSerializer, responses={201: IncomingDetailSerializer})
    def post(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = IncomingCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        sector = None
        if d.get("sector"):
            sector = Sector.objects.filter(organisation=me.organisation, code=d["sector"]).first()
            if sector is None:
                raise serializers.ValidationError({"sector": [f"Không có lĩnh vực «{d['sector']}»."]})
        data = registration.IncomingData(
            sender=d["sender"], symbol=d["symbol"], issued_date=d["issued_date"], doc_type=d["doc_type"],
            summary=d["summary"], received_at=d["received_at"], urgency=d["urgency"],
            confidentiality=d["confidentiality"], pages=d.get("pages"), sender_deadline=d.get("deadline"),
            sector=sector, notes=d.get("notes", ""), files=d.get("files", []),
            handled_before_registration=d["handled_before_registration"],
            late_registration_reason=d["late_registration_reason"],
        )  # fmt: skip
        if not me.holds(Position.VAN_THU):
            raise PermissionDenied("Chỉ văn thư được vào sổ văn bản đến.")
        doc = registration.register_incoming(me, data, confirm_duplicate=d["confirm_duplicate"])
        doc = selectors.document_detail(me, doc.pk)
        return Response(IncomingDetailSerializer(doc).data, status=status.HTTP_201_CREATED)


def _visible(request: Request, pk: int) -> tuple[Staff, IncomingDocument]:
    me = _me(request)
    try:
        return me, selectors.document_detail(me, pk)
    except IncomingDocument.DoesNotExist:
        raise NotFound("Không tìm thấy văn bản.") from None


class IncomingDetail(APIView):
    @extend_schema(responses=IncomingDetailSerializer)
    def get(self, request: Request, pk: int) -> Response:
        _, doc = _visible(request, pk)
        return Response(IncomingDetailSerializer(doc).data)


class RouteLineSerializer(serializers.Serializer):
    username = serializers.CharField(required=False)
    unit = serializers.CharField(required=False)
    role = serializers.ChoiceField(choices=["lead", "coordinate", "inform"])
    deadline = serializers.DateField(required=False, allow_null=True)
    deadline_days = serializers.IntegerField(required=False, allow_null=True, min_value=0, max_value=365)


class RouteSerializer(serializers.Serializer):
    assignments = RouteLineSerializer(many=True)
    instruction = serializers.CharField(required=False, allow_blank=True, default="")


def _acting(fn):
    """Run a routing service; a step that is not the caller's becomes 403 with the reason."""
    try:
        return fn()
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


class RouteView(APIView):
    @extend_schema(request=RouteSerializer, responses=IncomingDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, doc = _visible(request, pk)
        s = RouteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        items: list[routing.RouteItem] = []
        errors: list[str] = []
        for line in s.validated_data["assignments"]:
            staff = unit = None
            if line.get("username"):
                staff = Staff.objects.filter(user__username=line["username"]).prefetch_related("posts").first()
                if staff is None or staff.organisation_id != me.organisation_id:
                    errors.append(f"«{line['username']}» không phải cán bộ của cơ quan.")
                    continue
            elif line.get("unit"):
                unit = Unit.objects.filter(organisation=me.organisation, code=line["unit"]).first()
                if unit is None:
                    errors.append(f"Không có đơn vị «{line['unit']}».")
                    continue
            else:
                errors.append("Mỗi dòng phải có username hoặc unit.")
                continue
            items.append(
                routing.RouteItem(
                    role=line["role"],
                    staff=staff,
                    unit=unit,
                    deadline=line.get("deadline"),
                    deadline_days=line.get("deadline_days"),
                )  # fmt: skip
            )
        if errors:
            raise serializers.ValidationError({"assignments": errors})
        _acting(lambda: routing.route(doc, me, items, s.validated_data["instruction"]))
        return Response(IncomingDetailSerializer(selectors.document_detail(me, pk)).data)


class CompleteSerializer(serializers.Serializer):
    result = serializers.ChoiceField(choices=IncomingResult.choices)
    note = serializers.CharField(required=False, allow_blank=True, default="")
    answered_by_symbol = serializers.CharField(required=False, allow_blank=True, default="")


class CompleteView(APIView):
    @extend_schema(request=CompleteSerializer, responses=IncomingDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, doc = _visible(request, pk)
        s = CompleteSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        d = s.validated_data
        _acting(lambda: routing.complete(doc, me, d["result"], d["note"], d["answered_by_symbol"]))
        return Response(IncomingDetailSerializer(selectors.document_detail(me, pk)).data)


class OpinionSerializer(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")


class ContributeView(APIView):
    @extend_schema(request=OpinionSerializer, responses=IncomingDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, doc = _visible(request, pk)
        s = OpinionSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        _acting(lambda: routing.contribute(doc, me, s.validated_data["opinion"]))
        return Response(IncomingDetailSerializer(selectors.document_detail(me, pk)).data)


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, default="")


class ReopenView(APIView):
    @extend_schema(request=ReopenSerializer, responses=IncomingDetailSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, doc = _visible(request, pk)
        s = ReopenSerializer(data=request.data)
        s.is_valid(raise_exception=True)
        _acting(lambda: routing.reopen(doc, me, s.validated_data["reason"]))
        return Response(IncomingDetailSerializer(selectors.document_detail(me, pk)).data)


class InboxRowSerializer(serializers.Serializer):
    document = serializers.IntegerField()
    number = serializers.IntegerField()
    symbol = serializers.CharField()
    summary = serializers.CharField()
    urgency = serializers.CharField()
    kind = serializers.CharField()
    role = serializers.CharField()
    holder = serializers.CharField()
    deadline = serializers.DateField(allow_null=True)
    days_left = serializers.IntegerField(allow_null=True)
    overdue = serializers.BooleanField()


class InboxView(APIView):
    @extend_schema(
        summary="Văn bản chờ xử lý của người dùng (kể cả việc làm thay)", responses=InboxRowSerializer(many=True)
    )
    def get(self, request: Request) -> Response:
        rows = selectors.inbox_rows(_me(request))
        return Response(
            [
                {
                    "document": r.document_id,
                    "number": r.number,
                    "symbol": r.symbol,
                    "summary": r.summary,
                    "urgency": r.urgency,
                    "kind": r.kind,
                    "role": r.role,
                    "holder": r.holder_username,
                    "deadline": r.deadline,
                    "days_left": r.days_left,
                    "overdue": r.overdue,
                }
                for r in rows
            ]
        )


class RegisterExport(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes}, summary="Sổ đăng ký văn bản đến (PDF hoặc XLSX)")
    def get(self, request: Request, year: int, fmt: str) -> HttpResponse:
        me = _me(request)
        if not any(p.position in (Position.VAN_THU, Position.CHANH_VP, Position.PHO_CHANH_VP) for p in me.posts.all()):
            raise PermissionDenied("Chỉ văn thư và lãnh đạo Văn phòng được in sổ đăng ký.")
        rows = register_export.register_rows(me, year)
        if fmt == "pdf":
            return HttpResponse(
                register_export.register_pdf(me.organisation, year, rows), content_type="application/pdf"
            )
        return HttpResponse(
            register_export.register_xlsx(me.organisation, year, rows),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
