"""API of personnel (../shared/spec/api.md "Personnel"): leave, trips, payment claims, and the rest.

POST /api/v1/leave/ {kind, start, end, reason, handover_to?} → the request with its approval route.
POST /api/v1/leave/<id>/decide/ {decision: approve|reject, opinion, substitute?}.
POST /api/v1/trips/ {start, end, destination, purpose, handover_to?, ...}; a trip of 2 days or more
needs a handover sheet (handover_to and the work handed over).
POST /api/v1/payment-claims/ {description, amount, activity_ended_on} → due; a claim filed after due
is waived unless the Chánh Văn phòng approves the exception (it then goes to the Chánh).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config.api import Conflict
from office.api import UsernameField, _me
from personnel import selectors
from personnel.models import (
    Handover,
    HandoverReason,
    LeaveKind,
    LeaveRequest,
    LeaveStep,
    Overtime,
    PaymentClaim,
    TravelPaper,
    Trip,
)
from personnel.services import common, handover, leave, overtime, papers, payments, trips
from personnel.services.pdf import paper_pdf


def _run(fn, *args, **kwargs):
    """Service call: a state conflict is 409, a refused permission 403 (validation errors become 400)."""
    try:
        return fn(*args, **kwargs)
    except common.StateConflict as exc:
        raise Conflict(str(exc)) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc) or None) from None


def _username(staff) -> str | None:
    return staff.user.username if staff else None


# --------------------------------------------------------------------------- leave


class LeaveStepSerializer(serializers.ModelSerializer):
    approver = serializers.CharField(source="approver.user.username")
    acted_by = serializers.SerializerMethodField()

    class Meta:
        model = LeaveStep
        fields = ["order", "role", "approver", "source", "decision", "opinion", "acted_by", "at"]

    def get_acted_by(self, obj: LeaveStep) -> str | None:
        return _username(obj.acted_by)


class LeaveSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username", read_only=True)
    kind = serializers.ChoiceField(choices=LeaveKind.choices)
    handover_to = UsernameField(source="substitute", required=False, allow_null=True)
    route = LeaveStepSerializer(source="steps", many=True, read_only=True)
    current_step = serializers.SerializerMethodField()
    absence = serializers.IntegerField(source="absence_id", read_only=True)
    days = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, read_only=True)

    class Meta:
        model = LeaveRequest
        fields = [
            "id", "staff", "kind", "start", "end", "starts_afternoon", "ends_at_noon", "days", "reason", "handover_to",
            "handover_note", "state",
            "route", "current_step", "absence", "created_at", "decided_at",
        ]  # fmt: skip
        read_only_fields = ["id", "days", "state", "created_at", "decided_at"]
        extra_kwargs = {"reason": {"required": True}, "handover_note": {"required": False}}

    def get_current_step(self, obj: LeaveRequest) -> str | None:
        step = obj.current_step
        return step.approver.user.username if step else None


class LeaveListCreate(generics.ListCreateAPIView):
    """Leave requests the user may see; file one (the approval route is derived from the rules)."""

    serializer_class = LeaveSerializer

    def get_queryset(self):
        return selectors.leave_requests_for(_me(self.request))

    def create(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        req = _run(
            leave.request_leave,
            staff=me, kind=d["kind"], start=d["start"], end=d["end"], reason=d.get("reason", ""),
            substitute=d.get("substitute"), handover_note=d.get("handover_note", ""),
            starts_afternoon=d.get("starts_afternoon", False), ends_at_noon=d.get("ends_at_noon", False),
            by=request.user,
        )  # fmt: skip
        req = selectors.leave_requests_for(me).get(pk=req.pk)
        return Response(self.get_serializer(req).data, status=status.HTTP_201_CREATED)


class LeaveDetail(generics.RetrieveAPIView):
    serializer_class = LeaveSerializer

    def get_queryset(self):
        return selectors.leave_requests_for(_me(self.request))


class DecisionSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "Đồng ý"), ("reject", "Không đồng ý")])
    opinion = serializers.CharField(required=False, allow_blank=True, default="")
    substitute = UsernameField(required=False, allow_null=True)


class LeaveDecide(APIView):
    @extend_schema(request=DecisionSerializer, responses=LeaveSerializer, summary="Cho ý kiến về đơn xin nghỉ")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        req = get_object_or_404(selectors.leave_requests_for(me), pk=pk)
        params = DecisionSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        d = params.validated_data
        _run(leave.decide, req, me=me, decision=d["decision"], opinion=d["opinion"], substitute=d.get("substitute"),
             by=request.user)  # fmt: skip
        req = selectors.leave_requests_for(me).get(pk=pk)
        return Response(LeaveSerializer(req, context={"request": request}).data)


# --------------------------------------------------------------------------- trips


class HandoverSerializer(serializers.ModelSerializer):
    giver = serializers.CharField(source="giver.user.username", read_only=True)
    receiver = UsernameField()
    reason = serializers.ChoiceField(choices=[c for c in HandoverReason.choices if c[0] != "return"])
    witnesses = serializers.ListField(child=UsernameField(), required=False, write_only=True)
    witnessed_by = serializers.SerializerMethodField()

    class Meta:
        model = Handover
        fields = ["id", "giver", "receiver", "reason", "items", "note", "witnesses", "witnessed_by", "state",
                  "created_at", "confirmed_at"]  # fmt: skip
        read_only_fields = ["id", "state", "created_at", "confirmed_at"]

    def get_witnessed_by(self, obj: Handover) -> list[str]:
        return [w.user.username for w in obj.witnesses.all()]


class TripSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username", read_only=True)
    handover_to = UsernameField(source="substitute", required=False, allow_null=True)
    handover_items = serializers.ListField(child=serializers.CharField(), required=False, write_only=True)
    approver = serializers.SerializerMethodField()
    handover = HandoverSerializer(read_only=True)
    days = serializers.DecimalField(max_digits=5, decimal_places=1, coerce_to_string=False, read_only=True)

    class Meta:
        model = Trip
        fields = [
            "id", "staff", "start", "end", "starts_afternoon", "ends_at_noon", "days", "destination", "purpose",
            "in_province", "in_programme",
            "handover_to", "unfinished_work", "handover_items", "handover", "approver", "state", "opinion",
            "report", "reported_at", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "days", "state", "opinion", "report", "reported_at", "created_at"]
        extra_kwargs = {"destination": {"required": True}, "purpose": {"required": True}}

    def get_approver(self, obj: Trip) -> str | None:
        return _username(obj.approver)


class TripListCreate(generics.ListCreateAPIView):
    serializer_class = TripSerializer

    def get_queryset(self):
        return selectors.trips_for(_me(self.request))

    def create(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        trip = _run(
            trips.request_trip,
            staff=me, start=d["start"], end=d["end"], destination=d["destination"], purpose=d["purpose"],
            in_province=d.get("in_province", True), in_programme=d.get("in_programme", True),
            substitute=d.get("substitute"), unfinished_work=d.get("unfinished_work", ""),
            handover_items=d.get("handover_items"), starts_afternoon=d.get("starts_afternoon", False),
            ends_at_noon=d.get("ends_at_noon", False), by=request.user,
        )  # fmt: skip
        return Response(self.get_serializer(trip).data, status=status.HTTP_201_CREATED)


class TripDetail(generics.RetrieveAPIView):
    serializer_class = TripSerializer

    def get_queryset(self):
        return selectors.trips_for(_me(self.request))


class TripDecide(APIView):
    @extend_schema(request=DecisionSerializer, responses=TripSerializer, summary="Quyết định chuyến công tác")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        trip = get_object_or_404(selectors.trips_for(me), pk=pk)
        params = DecisionSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        d = params.validated_data
        trip = _run(trips.decide, trip, me=me, decision=d["decision"], opinion=d["opinion"],
                    substitute=d.get("substitute"), by=request.user)  # fmt: skip
        return Response(TripSerializer(trip, context={"request": request}).data)


class _ReportSerializer(serializers.Serializer):
    report = serializers.CharField()


class TripReport(APIView):
    @extend_schema(request=_ReportSerializer, responses=TripSerializer, summary="Báo cáo kết quả chuyến công tác")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        trip = get_object_or_404(selectors.trips_for(me), pk=pk)
        params = _ReportSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        trip = _run(trips.report, trip, me=me, text=params.validated_data["report"])
        return Response(TripSerializer(trip, context={"request": request}).data)


# --------------------------------------------------------------------------- travel papers


class PaperSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username", read_only=True)
    signer = serializers.CharField(source="signer.user.username", read_only=True)
    pdf = serializers.SerializerMethodField()

    class Meta:
        model = TravelPaper
        fields = ["id", "kind", "number", "year", "staff", "trip", "scope", "destination", "purpose", "valid_from",
                  "valid_until", "on_behalf", "signer", "is_revoked", "issued_at", "pdf"]  # fmt: skip

    def get_pdf(self, obj: TravelPaper) -> str:
        return f"/api/v1/papers/{obj.pk}/pdf"


class PaperList(generics.ListAPIView):
    serializer_class = PaperSerializer

    def get_queryset(self):
        return selectors.papers_for(_me(self.request))


class TripTravelPaper(APIView):
    @extend_schema(request=None, responses=PaperSerializer, summary="Cấp giấy đi đường cho chuyến công tác")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        trip = get_object_or_404(selectors.trips_for(me), pk=pk)
        paper = _run(papers.issue_travel_paper, trip, me=me, by=request.user)
        return Response(PaperSerializer(paper).data, status=status.HTTP_201_CREATED)


class _IntroductionSerializer(serializers.Serializer):
    staff = UsernameField()
    destination = serializers.CharField()
    purpose = serializers.CharField()
    valid_until = serializers.DateField()
    on_behalf = serializers.ChoiceField(choices=[("", "Văn phòng"), ("ubnd", "UBND tỉnh")], required=False, default="")


class IntroductionCreate(APIView):
    @extend_schema(request=_IntroductionSerializer, responses=PaperSerializer, summary="Cấp giấy giới thiệu")
    def post(self, request: Request) -> Response:
        me = _me(request)
        params = _IntroductionSerializer(data=request.data, context={"request": request})
        params.is_valid(raise_exception=True)
        paper = _run(papers.issue_introduction, me=me, by=request.user, **params.validated_data)
        return Response(PaperSerializer(paper).data, status=status.HTTP_201_CREATED)


class PaperPdf(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes}, summary="Giấy đi đường / giấy giới thiệu (PDF)")
    def get(self, request: Request, pk: int) -> HttpResponse:
        paper = get_object_or_404(selectors.papers_for(_me(request)), pk=pk)
        return HttpResponse(paper_pdf(paper), content_type="application/pdf")


# --------------------------------------------------------------------------- handover


class HandoverListCreate(generics.ListCreateAPIView):
    serializer_class = HandoverSerializer

    def get_queryset(self):
        return selectors.handovers_for(_me(self.request))

    def create(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        h = _run(
            handover.create_handover, giver=me, receiver=d["receiver"], reason=d["reason"], items=d.get("items"),
            note=d.get("note", ""), witnesses=d.get("witnesses"), by=request.user,
        )  # fmt: skip
        return Response(self.get_serializer(h).data, status=status.HTTP_201_CREATED)


class HandoverConfirm(APIView):
    @extend_schema(request=None, responses=HandoverSerializer, summary="Người nhận xác nhận bàn giao")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        h = get_object_or_404(selectors.handovers_for(me), pk=pk)
        h = _run(handover.confirm, h, me=me)
        return Response(HandoverSerializer(h, context={"request": request}).data)


# --------------------------------------------------------------------------- overtime


class OvertimeSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username", read_only=True)
    confirmed_by = serializers.SerializerMethodField()
    hours = serializers.DecimalField(max_digits=4, decimal_places=1, coerce_to_string=False)

    class Meta:
        model = Overtime
        fields = ["id", "staff", "date", "hours", "description", "state", "confirmed_by", "confirmed_at"]
        read_only_fields = ["id", "state", "confirmed_at"]

    def get_confirmed_by(self, obj: Overtime) -> str | None:
        return _username(obj.confirmed_by) if obj.confirmed_by_id else None


class OvertimeListCreate(generics.ListCreateAPIView):
    serializer_class = OvertimeSerializer

    def get_queryset(self):
        return selectors.overtime_for(_me(self.request)).select_related("confirmed_by__user")

    def create(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        entry = _run(overtime.record, staff=me, date=d["date"], hours=d["hours"], description=d["description"])
        return Response(self.get_serializer(entry).data, status=status.HTTP_201_CREATED)


class _ApproveSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(choices=[("approve", "Đồng ý"), ("reject", "Không đồng ý")])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class OvertimeConfirm(APIView):
    @extend_schema(request=_ApproveSerializer, responses=OvertimeSerializer, summary="Lãnh đạo đơn vị xác nhận")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        entry = get_object_or_404(selectors.overtime_for(me), pk=pk)
        params = _ApproveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        entry = _run(overtime.confirm, entry, me=me, approve=params.validated_data["decision"] == "approve")
        return Response(OvertimeSerializer(entry).data)


# --------------------------------------------------------------------------- payment claims


class ClaimSerializer(serializers.ModelSerializer):
    staff = serializers.CharField(source="staff.user.username", read_only=True)
    amount = serializers.DecimalField(max_digits=20, decimal_places=2, coerce_to_string=False)
    status = serializers.CharField(source="state", read_only=True)
    waived = serializers.BooleanField(read_only=True)
    approver = serializers.SerializerMethodField()

    class Meta:
        model = PaymentClaim
        fields = [
            "id", "staff", "description", "amount", "activity_ended_on", "due", "declared_on", "status", "waived",
            "exception_reason", "approver", "decision_note", "trip", "created_at",
        ]  # fmt: skip
        read_only_fields = ["id", "due", "declared_on", "decision_note", "created_at"]
        extra_kwargs = {"trip": {"required": False, "allow_null": True}}

    def get_approver(self, obj: PaymentClaim) -> str | None:
        """Who decides now: the Chánh for a late claim awaiting the exception."""
        if obj.state != "awaiting_exception":
            return None
        return _username(payments.exception_approver(obj.organisation))

    def validate_amount(self, value):
        if value <= 0:
            raise serializers.ValidationError("Số tiền thanh toán phải lớn hơn 0.")
        return value


class ClaimListCreate(generics.ListCreateAPIView):
    serializer_class = ClaimSerializer

    def get_queryset(self):
        return selectors.claims_for(_me(self.request)).select_related("organisation")

    def create(self, request: Request, *args, **kwargs) -> Response:
        me = _me(request)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        d = serializer.validated_data
        trip = d.get("trip")
        if trip is not None and trip.staff_id != me.pk:
            raise ValidationError({"trip": ["Chuyến công tác không phải của bạn."]})
        claim = _run(payments.file_claim, staff=me, description=d["description"], amount=d["amount"],
                     activity_ended_on=d["activity_ended_on"], exception_reason=d.get("exception_reason", ""),
                     trip=trip)  # fmt: skip
        return Response(self.get_serializer(claim).data, status=status.HTTP_201_CREATED)


class ClaimDetail(generics.RetrieveAPIView):
    serializer_class = ClaimSerializer

    def get_queryset(self):
        return selectors.claims_for(_me(self.request)).select_related("organisation")


class ClaimDecide(APIView):
    @extend_schema(request=_ApproveSerializer, responses=ClaimSerializer, summary="Chánh Văn phòng xét ngoại lệ")
    def post(self, request: Request, pk: int) -> Response:
        me = _me(request)
        claim = get_object_or_404(selectors.claims_for(me), pk=pk)
        params = _ApproveSerializer(data=request.data)
        params.is_valid(raise_exception=True)
        d = params.validated_data
        claim = _run(payments.decide_exception, claim, me=me, approve=d["decision"] == "approve", note=d["note"])
        return Response(ClaimSerializer(claim).data)
