"""API of coordination, notifications and deadlines (../shared/spec/api.md "Coordination and deadlines")."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from office.api import _me
from workflow import selectors
from workflow.models import (
    CoordinationKind,
    CoordinationRecipient,
    CoordinationRequest,
    Deadline,
    DeadlineExtension,
    Notification,
)
from workflow.services import coordination, notifications


class RecipientSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="staff.user.username")
    full_name = serializers.CharField(source="staff.full_name")
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    due = serializers.DateTimeField(source="due_at")

    class Meta:
        model = CoordinationRecipient
        fields = [
            "username", "full_name", "unit", "received_at", "due", "state", "agree", "opinion", "view_competence",
            "view_merit", "view_prior_directions", "proposal", "replied_at", "replied_late",
        ]  # fmt: skip


class ExtensionSerializer(serializers.ModelSerializer):
    requested_by = serializers.CharField(source="requested_by.user.username")
    decided_by = serializers.SerializerMethodField()

    class Meta:
        model = DeadlineExtension
        fields = ["id", "until", "reason", "state", "requested_by", "requested_at", "decided_by", "decided_at"]

    def get_decided_by(self, obj: DeadlineExtension) -> str | None:
        return obj.decided_by.user.username if obj.decided_by_id else None


class CoordinationSerializer(serializers.ModelSerializer):
    sender = serializers.CharField(source="sender.user.username")
    recipients = RecipientSerializer(many=True)
    files = serializers.SerializerMethodField()

    class Meta:
        model = CoordinationRequest
        fields = ["id", "kind", "subject", "body", "sender", "complex", "state", "created_at", "closed_at",
                  "recipients", "files"]  # fmt: skip

    def get_files(self, obj: CoordinationRequest) -> list[dict]:
        return [
            {"id": f.pk, "name": f.original_name, "size": f.size, "sha256": f.sha256,
             "url": f"/cong-viec/phoi-hop/{obj.pk}/tep/{f.pk}/"}
            for f in obj.files.all()
        ]  # fmt: skip


class CoordinationCreateSerializer(serializers.Serializer):
    subject = serializers.CharField(max_length=500)
    body = serializers.CharField(required=False, allow_blank=True, default="")
    to = serializers.ListField(child=serializers.CharField(), allow_empty=False)
    complex = serializers.BooleanField(required=False, default=False)
    kind = serializers.ChoiceField(choices=CoordinationKind.choices, required=False, default="coordination")
    due = serializers.DateField(required=False, allow_null=True, default=None)
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list)


def _queryset(me):
    return (
        coordination.visible_requests(me)
        .select_related("sender__user")
        .prefetch_related("recipients__staff__user", "recipients__unit", "files")
    )


class CoordinationListCreate(generics.ListCreateAPIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        return CoordinationCreateSerializer if self.request.method == "POST" else CoordinationSerializer

    def get_queryset(self):
        return _queryset(_me(self.request)).order_by("-created_at")

    @extend_schema(request=CoordinationCreateSerializer, responses=CoordinationSerializer)
    def post(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = CoordinationCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        req = coordination.send_request(
            me, subject=d["subject"], body=d["body"], to=d["to"], complex_matter=d["complex"], kind=d["kind"],
            due=d["due"], files=d["files"],
        )  # fmt: skip
        return Response(CoordinationSerializer(_queryset(me).get(pk=req.pk)).data, status=status.HTTP_201_CREATED)


def _visible(request: Request, pk: int) -> tuple:
    me = _me(request)
    try:
        return me, coordination.get_visible(me, pk)
    except Http404:
        raise NotFound("Không tìm thấy phiếu xin ý kiến.") from None


class CoordinationDetail(APIView):
    @extend_schema(responses=CoordinationSerializer)
    def get(self, request: Request, pk: int) -> Response:
        me, req = _visible(request, pk)
        data = CoordinationSerializer(_queryset(me).get(pk=req.pk)).data
        data["extensions"] = ExtensionSerializer(coordination.pending_extensions(req), many=True).data
        return Response(data)


class ReplySerializer(serializers.Serializer):
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    agree = serializers.BooleanField(required=False, allow_null=True, default=None)
    view_competence = serializers.CharField(required=False, allow_blank=True, default="")
    view_merit = serializers.CharField(required=False, allow_blank=True, default="")
    view_prior_directions = serializers.CharField(required=False, allow_blank=True, default="")
    proposal = serializers.CharField(required=False, allow_blank=True, default="")


class ReplyView(APIView):
    @extend_schema(request=ReplySerializer, responses=RecipientSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, req = _visible(request, pk)
        serializer = ReplySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        recipient = coordination.reply(me, req, **serializer.validated_data)
        return Response(RecipientSerializer(recipient).data)


class ExtendSerializer(serializers.Serializer):
    until = serializers.DateField()
    reason = serializers.CharField(max_length=500, allow_blank=True, required=False, default="")


class ExtendView(APIView):
    @extend_schema(request=ExtendSerializer, responses=ExtensionSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, req = _visible(request, pk)
        serializer = ExtendSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ext = coordination.request_extension(me, req, **serializer.validated_data)
        return Response(ExtensionSerializer(ext).data, status=status.HTTP_201_CREATED)


class DecideSerializer(serializers.Serializer):
    approve = serializers.BooleanField()


class DecideExtensionView(APIView):
    @extend_schema(request=DecideSerializer, responses=ExtensionSerializer)
    def post(self, request: Request, pk: int, ext_id: int) -> Response:
        me, req = _visible(request, pk)
        ext = coordination.pending_extensions(req).filter(pk=ext_id).first()
        if ext is None:
            raise NotFound("Không tìm thấy đề nghị gia hạn.")
        serializer = DecideSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ext = coordination.decide_extension(me, ext, approve=serializer.validated_data["approve"])
        return Response(ExtensionSerializer(ext).data)


class CloseView(APIView):
    @extend_schema(request=None, responses=CoordinationSerializer)
    def post(self, request: Request, pk: int) -> Response:
        me, req = _visible(request, pk)
        coordination.close_request(me, req)
        return Response(CoordinationSerializer(_queryset(me).get(pk=req.pk)).data)


# --------------------------------------------------------------------------- notifications, deadlines


class NotificationSerializer(serializers.ModelSerializer):
    read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = ["id", "kind", "title", "body", "url", "urgent", "created_at", "read_at", "read"]

    def get_read(self, obj: Notification) -> bool:
        return obj.read_at is not None


class NotificationList(generics.ListAPIView):
    """The user's reminders, overdue alerts and escalations, newest first (?unread=1 for unread only)."""

    serializer_class = NotificationSerializer

    def get_queryset(self):
        qs = Notification.objects.filter(recipient=_me(self.request))
        if self.request.query_params.get("unread") in ("1", "true"):
            qs = qs.filter(read_at__isnull=True)
        return qs.order_by("-created_at", "-pk")

    def list(self, request: Request, *args, **kwargs) -> Response:
        response = super().list(request, *args, **kwargs)
        response.data["unread"] = notifications.unread_count(_me(request))
        return response


class MarkReadSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.IntegerField(), required=False, allow_null=True, default=None)


class MarkReadView(APIView):
    @extend_schema(request=MarkReadSerializer, responses={200: dict})
    def post(self, request: Request) -> Response:
        me = _me(request)
        serializer = MarkReadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = notifications.mark_read(me, serializer.validated_data["ids"])
        return Response({"marked": count, "unread": notifications.unread_count(me)})


class DeadlineSerializer(serializers.ModelSerializer):
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    extended = serializers.BooleanField(source="is_extended")

    class Meta:
        model = Deadline
        fields = ["id", "kind", "title", "url", "unit", "due_at", "original_due_at", "extended", "state", "source",
                  "note", "remind_at"]  # fmt: skip


class DeadlineList(generics.ListAPIView):
    """The user's open deadlines by due date (?overdue=1 for those past due)."""

    serializer_class = DeadlineSerializer

    def get_queryset(self):
        me = _me(self.request)
        if self.request.query_params.get("overdue") in ("1", "true"):
            return selectors.my_overdue(me, timezone.now()).select_related("unit")
        return selectors.my_deadlines(me).select_related("unit")
