"""API of the organisation and calendar (../shared/spec/api.md "Organisation and calendar")."""

from __future__ import annotations

from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.exceptions import NotFound, PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from office import selectors
from office.models import Delegation, DelegationScope, Staff, Unit
from office.services import calendar, delegation


def _me(request: Request) -> Staff:
    staff = getattr(request.user, "staff", None)
    if staff is None:
        raise PermissionDenied("Tài khoản chưa được gắn với cán bộ nào của cơ quan.")
    return staff


@extend_schema_field(OpenApiTypes.STR)
class UsernameField(serializers.SlugRelatedField):
    """A staff member named by username, limited to the requester's organisation."""

    def __init__(self, **kwargs) -> None:
        super().__init__(slug_field="user__username", **kwargs)

    def get_queryset(self):
        request = self.context["request"]
        return Staff.objects.filter(organisation=_me(request).organisation).select_related("user")

    def to_internal_value(self, data):
        try:
            return self.get_queryset().get(user__username=data)
        except Staff.DoesNotExist:
            raise serializers.ValidationError(f"Không có cán bộ «{data}» trong cơ quan.") from None


class MeSerializer(serializers.Serializer):
    username = serializers.CharField(source="user.username")
    full_name = serializers.CharField()
    unit = serializers.SerializerMethodField()
    position = serializers.SerializerMethodField()
    posts = serializers.SerializerMethodField()
    organisation = serializers.CharField(source="organisation.profile")
    acting_for = serializers.SerializerMethodField()

    def get_unit(self, obj: Staff) -> str | None:
        post = obj.main_post
        return post.unit.code if post and post.unit_id else None

    def get_position(self, obj: Staff) -> str | None:
        post = obj.main_post
        return post.position if post else None

    def get_posts(self, obj: Staff) -> list[dict]:
        return [
            {"position": p.position, "unit": p.unit.code if p.unit_id else None, "title": p.display_title}
            for p in obj.posts.all()
        ]

    def get_acting_for(self, obj: Staff) -> list[str]:
        return [s.user.username for s in delegation.principals_of(obj, timezone.localdate())]


class MeView(APIView):
    @extend_schema(responses=MeSerializer, summary="Người dùng hiện tại, chức vụ và người đang được làm thay")
    def get(self, request: Request) -> Response:
        me = selectors.staff_with_posts().get(pk=_me(request).pk)
        return Response(MeSerializer(me).data)


class UnitSerializer(serializers.ModelSerializer):
    sectors = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)

    class Meta:
        model = Unit
        fields = ["code", "name", "abbreviation", "kind", "working_mode", "sectors"]


class UnitList(generics.ListAPIView):
    serializer_class = UnitSerializer

    def get_queryset(self):
        return Unit.objects.filter(organisation=_me(self.request).organisation).prefetch_related("sectors")


class StaffSerializer(MeSerializer):
    supervises = serializers.SerializerMethodField()
    acting_for = None

    def get_supervises(self, obj: Staff) -> list[str]:
        return selectors.supervised_unit_codes(obj)


@extend_schema(
    parameters=[
        OpenApiParameter("unit", str, description="mã đơn vị"),
        OpenApiParameter("position", str, description="mã chức vụ, ví dụ pho_chanh_vp"),
    ]
)
class StaffList(generics.ListAPIView):
    serializer_class = StaffSerializer

    def get_queryset(self):
        return selectors.staff_directory(
            _me(self.request).organisation,
            unit=self.request.query_params.get("unit"),
            position=self.request.query_params.get("position"),
        )


class DelegationSerializer(serializers.ModelSerializer):
    principal = UsernameField()
    deputy = UsernameField()
    scope = serializers.ChoiceField(choices=DelegationScope.choices, default=DelegationScope.ALL)

    class Meta:
        model = Delegation
        fields = ["id", "principal", "deputy", "scope", "start", "end", "reason", "is_revoked"]
        read_only_fields = ["id", "is_revoked"]


class DelegationListCreate(generics.ListCreateAPIView):
    """Acting-for delegations (ủy quyền) given or received by the user; create one."""

    serializer_class = DelegationSerializer

    def get_queryset(self):
        return selectors.delegations_touching(_me(self.request)).select_related("principal__user", "deputy__user")

    def create(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        if not delegation.can_arrange_for(me, d["principal"]):
            raise PermissionDenied("Bạn không có quyền phân công người làm thay cho cán bộ này.")
        obj = delegation.create_delegation(
            principal=d["principal"],
            deputy=d["deputy"],
            scope=d["scope"],
            start=d["start"],
            end=d["end"],
            reason=d.get("reason", ""),
            by=request.user,
        )
        return Response(self.get_serializer(obj).data, status=status.HTTP_201_CREATED)


class ActingForView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("staff", str, required=True), OpenApiParameter("date", str)],
        responses=inline_serializer(
            "ActingFor",
            {"staff": serializers.CharField(), "date": serializers.DateField(), "acting": serializers.CharField()},
        ),
        summary="Ai xử lý công việc của một cán bộ vào một ngày",
    )
    def get(self, request: Request) -> Response:
        me = _me(request)
        params = _Params(data=request.query_params)
        params.is_valid(raise_exception=True)
        try:
            staff = Staff.objects.get(organisation=me.organisation, user__username=params.validated_data["staff"])
        except Staff.DoesNotExist:
            raise NotFound("Không có cán bộ này.") from None
        day = params.validated_data.get("date") or timezone.localdate()
        acting = delegation.acting_for(staff, day)
        return Response({"staff": staff.user.username, "date": day, "acting": acting.user.username})


class _Params(serializers.Serializer):
    staff = serializers.CharField()
    date = serializers.DateField(required=False)


class _AddParams(serializers.Serializer):
    start = serializers.DateField()
    days = serializers.IntegerField(min_value=0, max_value=3660)


class _RangeParams(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()


class AddWorkingDaysView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("days", int, required=True)],
        responses=inline_serializer(
            "AddWorkingDays",
            {"start": serializers.DateField(), "days": serializers.IntegerField(), "due": serializers.DateField()},
        ),
        summary="Hạn: hết ngày làm việc thứ n tính từ ngày sau ngày bắt đầu",
    )
    def get(self, request: Request) -> Response:
        params = _AddParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, days = params.validated_data["start"], params.validated_data["days"]
        return Response({"start": start, "days": days, "due": calendar.add_working_days(start, days)})


class WorkingDaysView(APIView):
    @extend_schema(
        parameters=[OpenApiParameter("start", str, required=True), OpenApiParameter("end", str, required=True)],
        responses=inline_serializer("WorkingDays", {"count": serializers.IntegerField()}),
        summary="Số ngày làm việc trong khoảng (tính cả hai đầu)",
    )
    def get(self, request: Request) -> Response:
        params = _RangeParams(data=request.query_params)
        params.is_valid(raise_exception=True)
        start, end = params.validated_data["start"], params.validated_data["end"]
        if end < start:
            raise serializers.ValidationError({"end": ["Ngày kết thúc không được trước ngày bắt đầu."]})
        return Response({"start": start, "end": end, "count": calendar.working_days_between(start, end)})
