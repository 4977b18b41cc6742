"""Personnel  # nhân sự: leave, business trips, handover, travel papers, overtime, payment claims,
yearly lists (salary steps, retirement, emulation registration).

The rules (who approves, thresholds, validity, deadlines) live in personnel/services/ and
read their parameters from the regulation profile (Organisation.rules); these models hold
the records and their invariants. An approved leave or trip becomes an office.Absence with
an acting-for office.Delegation to the substitute, so that work is routed to them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from office.models import Absence, Organisation, Staff


class LeaveKind(models.TextChoices):
    """000 Điều 23: nghỉ phép (23.1); nghỉ việc riêng, ốm đau, thai sản (23.2)."""

    PERSONAL = "personal", _("Nghỉ việc riêng")
    LEAVE = "leave", _("Nghỉ phép năm")
    SICK = "sick", _("Nghỉ ốm")
    MATERNITY = "maternity", _("Nghỉ thai sản")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không đồng ý")
    CANCELLED = "cancelled", _("Đã hủy")


class StepRole(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    OFFICE_LEADER = "office_leader", _("Lãnh đạo Văn phòng phụ trách")
    CHANH = "chanh", _("Chánh Văn phòng")


class StepDecision(models.TextChoices):
    APPROVE = "approve", _("Đồng ý")
    REJECT = "reject", _("Không đồng ý")


class LeaveRequest(models.Model):
    """LeaveRequest  # đơn xin nghỉ: with the approval route the profile derives for it."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="leave_requests")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="leave_requests")
    kind = models.CharField(_("loại nghỉ"), max_length=20, choices=LeaveKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến hết ngày"))
    starts_afternoon = models.BooleanField(_("nghỉ từ buổi chiều ngày đầu"), default=False)
    ends_at_noon = models.BooleanField(_("chỉ nghỉ buổi sáng ngày cuối"), default=False)
    days = models.DecimalField(_("số ngày"), max_digits=5, decimal_places=1)  # half days: 0,5
    reason = models.CharField(_("lý do"), max_length=500)
    substitute = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="leave_substitutions",
        verbose_name=_("người làm thay"),
    )  # fmt: skip
    handover_note = models.TextField(_("công việc bàn giao"), blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=RequestState.choices, default=RequestState.PENDING)
    absence = models.OneToOneField(Absence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("đơn xin nghỉ")
        verbose_name_plural = _("đơn xin nghỉ")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["staff", "start", "end"]), models.Index(fields=["organisation", "state"])]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="leave_end_after_start")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"

    @property
    def current_step(self) -> LeaveStep | None:
        return next((s for s in self.steps.all() if s.decision == ""), None) if self.state == "pending" else None


class LeaveStep(models.Model):
    """One approval on a leave request's route (người duyệt), in order."""

    request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField()
    role = models.CharField(_("vai trò"), max_length=20, choices=StepRole.choices)
    approver = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="leave_steps")
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    decision = models.CharField(_("ý kiến"), max_length=10, choices=StepDecision.choices, blank=True)
    opinion = models.CharField(_("nội dung ý kiến"), max_length=1000, blank=True)
    acted_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("bước duyệt nghỉ")
        verbose_name_plural = _("bước duyệt nghỉ")
        ordering = ["request", "order"]
        constraints = [models.UniqueConstraint(fields=["request", "order"], name="uniq_leave_step")]

    def __str__(self) -> str:
        return f"{self.request_id}#{self.order} {self.get_role_display()}: {self.approver}"


class AnnualLeavePlan(models.Model):
    """AnnualLeavePlan  # đăng ký nghỉ phép năm, confirmed by the unit head (000 Điều 23.1, L273)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="leave_plans")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="leave_plans")
    year = models.PositiveSmallIntegerField(_("năm"))
    days = models.PositiveSmallIntegerField(_("số ngày phép đăng ký"))
    periods = models.CharField(_("thời gian dự kiến"), max_length=500, blank=True)
    confirmed_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kế hoạch nghỉ phép năm")
        verbose_name_plural = _("kế hoạch nghỉ phép năm")
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="uniq_leave_plan")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.year}: {self.days} ngày"


class HandoverReason(models.TextChoices):
    """000 Điều 11.8 (L166): nghỉ hưu, chuyển công tác, đi công tác, học tập dài hạn; and the return."""

    TRIP = "trip", _("Đi công tác")
    LEAVE = "leave", _("Nghỉ phép, nghỉ việc riêng")
    STUDY = "study", _("Đi học dài hạn")
    RETIRE = "retire", _("Nghỉ hưu")
    TRANSFER = "transfer", _("Chuyển công tác")
    RETURN = "return", _("Trở lại nhận nhiệm vụ")


class HandoverState(models.TextChoices):
    DRAFT = "draft", _("Chờ người nhận xác nhận")
    CONFIRMED = "confirmed", _("Đã bàn giao")
    CANCELLED = "cancelled", _("Đã hủy")


class Handover(models.Model):
    """Handover  # phiếu bàn giao công việc, hồ sơ, tài liệu, tài sản; confirmed by the receiver."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="handovers")
    giver = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="handovers_given")
    receiver = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="handovers_received")
    reason = models.CharField(_("lý do bàn giao"), max_length=20, choices=HandoverReason.choices)
    items = models.JSONField(_("danh mục bàn giao"), default=list, blank=True)  # [{"kind", "description"}]
    note = models.TextField(_("ghi chú"), blank=True)
    witnesses = models.ManyToManyField(Staff, blank=True, related_name="handovers_witnessed")
    state = models.CharField(_("trạng thái"), max_length=20, choices=HandoverState.choices, default=HandoverState.DRAFT)
    moved_targets = models.JSONField(default=list, blank=True)  # [[content_type_id, object_id], ...]
    returns = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="returned_by",
        verbose_name=_("bàn giao lại của phiếu"),
    )  # fmt: skip
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu bàn giao")
        verbose_name_plural = _("phiếu bàn giao")
        ordering = ["-created_at"]
        constraints = [models.CheckConstraint(condition=~Q(giver=models.F("receiver")), name="handover_not_to_self")]

    def __str__(self) -> str:
        return f"{self.giver} → {self.receiver} ({self.get_reason_display()})"


class TripState(models.TextChoices):
    PENDING = "pending", _("Chờ duyệt")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không đồng ý")
    REPORTED = "reported", _("Đã báo cáo kết quả")
    CANCELLED = "cancelled", _("Đã hủy")


class Trip(models.Model):
    """Trip  # chuyến đi công tác (000 Điều 39; 002 Điều 16)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="trips")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="trips")
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến hết ngày"))
    starts_afternoon = models.BooleanField(_("đi từ buổi chiều ngày đầu"), default=False)
    ends_at_noon = models.BooleanField(_("về trong buổi sáng ngày cuối"), default=False)
    days = models.DecimalField(_("số ngày"), max_digits=5, decimal_places=1)  # half days: 0,5
    destination = models.CharField(_("nơi đến"), max_length=255)
    purpose = models.CharField(_("nội dung công tác"), max_length=1000)
    in_province = models.BooleanField(_("trong tỉnh"), default=True)
    in_programme = models.BooleanField(_("trong chương trình, kế hoạch đã duyệt"), default=True)
    substitute = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="trip_substitutions",
        verbose_name=_("người làm thay"),
    )  # fmt: skip
    unfinished_work = models.TextField(_("danh mục công việc đang làm chưa xong"), blank=True)
    handover = models.OneToOneField(Handover, on_delete=models.SET_NULL, null=True, blank=True, related_name="trip")
    approver = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    approver_source = models.CharField(max_length=255, blank=True)
    state = models.CharField(_("trạng thái"), max_length=20, choices=TripState.choices, default=TripState.PENDING)
    opinion = models.CharField(_("ý kiến người duyệt"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    absence = models.OneToOneField(Absence, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    report = models.TextField(_("báo cáo kết quả"), blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chuyến công tác")
        verbose_name_plural = _("chuyến công tác")
        ordering = ["-start"]
        indexes = [models.Index(fields=["staff", "start", "end"])]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="trip_end_after_start")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.destination} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class PaperKind(models.TextChoices):
    TRAVEL = "travel", _("Giấy đi đường")
    INTRODUCTION = "introduction", _("Giấy giới thiệu")


class PaperScope(models.TextChoices):
    IN_PROVINCE = "in_province", _("Trong tỉnh")
    OUT_PROVINCE = "out_province", _("Ngoài tỉnh")


class TravelPaper(models.Model):
    """TravelPaper  # giấy đi đường / giấy giới thiệu (000 Điều 40)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="travel_papers")
    kind = models.CharField(_("loại giấy"), max_length=20, choices=PaperKind.choices)
    number = models.PositiveIntegerField(_("số"))
    year = models.PositiveSmallIntegerField(_("năm"))
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="travel_papers")
    trip = models.ForeignKey(Trip, on_delete=models.PROTECT, null=True, blank=True, related_name="papers")
    scope = models.CharField(_("phạm vi"), max_length=20, choices=PaperScope.choices)
    destination = models.CharField(_("nơi đến"), max_length=255)
    purpose = models.CharField(_("nội dung"), max_length=1000)
    valid_from = models.DateField(_("có giá trị từ ngày"))
    valid_until = models.DateField(_("có giá trị đến hết ngày"))
    on_behalf = models.CharField(_("ký thay mặt"), max_length=20, blank=True)  # "" office, "ubnd" TL. Chủ tịch
    signer = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    is_revoked = models.BooleanField(_("đã thu hồi"), default=False)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    issued_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("giấy đi đường, giấy giới thiệu")
        verbose_name_plural = _("giấy đi đường, giấy giới thiệu")
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "kind", "year", "number"], name="uniq_paper_number"),
            models.CheckConstraint(condition=Q(valid_until__gte=models.F("valid_from")), name="paper_valid_range"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} số {self.number}/{self.year} — {self.staff}"


class OvertimeState(models.TextChoices):
    CLAIMED = "claimed", _("Chờ xác nhận")
    CONFIRMED = "confirmed", _("Đã xác nhận")
    REJECTED = "rejected", _("Không xác nhận")


class Overtime(models.Model):
    """Overtime  # làm thêm ngoài giờ, confirmed by the unit leaders (000 Điều 21.1, L261)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="overtime")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="overtime")
    date = models.DateField(_("ngày"))
    hours = models.DecimalField(_("số giờ"), max_digits=4, decimal_places=1)
    description = models.CharField(_("nội dung công việc"), max_length=1000)
    state = models.CharField(_("trạng thái"), max_length=20, choices=OvertimeState.choices, default="claimed")
    confirmed_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    confirmed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("làm thêm giờ")
        verbose_name_plural = _("làm thêm giờ")
        ordering = ["-date"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="overtime_hours_positive")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.date:%d/%m/%Y}: {self.hours} giờ"


class ClaimState(models.TextChoices):
    DRAFT = "draft", _("Chưa kê khai")
    DECLARED = "declared", _("Đã kê khai, chờ thanh toán")
    AWAITING_EXCEPTION = "awaiting_exception", _("Quá hạn, chờ Chánh Văn phòng xem xét")
    EXCEPTION_APPROVED = "exception_approved", _("Quá hạn, được Chánh Văn phòng đồng ý thanh toán")
    WAIVED = "waived", _("Xem như không có nhu cầu thanh toán")
    PAID = "paid", _("Đã thanh toán")


class PaymentClaim(models.Model):
    """PaymentClaim  # kê khai thanh toán: at the latest N days after the activity ended (000 Điều 35.2.d)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="payment_claims")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="payment_claims")
    description = models.CharField(_("nội dung"), max_length=1000)
    amount = models.DecimalField(_("số tiền (đồng)"), max_digits=15, decimal_places=0, null=True, blank=True)
    activity_ended_on = models.DateField(_("ngày nghiệp vụ kết thúc"))
    due = models.DateField(_("hạn kê khai"))
    declared_on = models.DateField(_("ngày kê khai"), null=True, blank=True)
    trip = models.ForeignKey(Trip, on_delete=models.SET_NULL, null=True, blank=True, related_name="payment_claims")
    state = models.CharField(_("trạng thái"), max_length=30, choices=ClaimState.choices, default=ClaimState.DRAFT)
    exception_reason = models.CharField(_("lý do kê khai chậm"), max_length=1000, blank=True)
    decided_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(_("ý kiến"), max_length=1000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kê khai thanh toán")
        verbose_name_plural = _("kê khai thanh toán")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount__isnull=True) | Q(amount__gt=0), name="claim_amount_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.staff} — {self.description}"

    @property
    def waived(self) -> bool:
        return self.state in (ClaimState.AWAITING_EXCEPTION, ClaimState.WAIVED)


class Gender(models.TextChoices):
    MALE = "male", _("Nam")
    FEMALE = "female", _("Nữ")


class PersonnelRecord(models.Model):
    """PersonnelRecord  # hồ sơ cán bộ: the data yearly salary and retirement lists need (000 Điều 44–45)."""

    staff = models.OneToOneField(Staff, on_delete=models.CASCADE, related_name="personnel_record")
    date_of_birth = models.DateField(_("ngày sinh"), null=True, blank=True)
    gender = models.CharField(_("giới tính"), max_length=10, choices=Gender.choices, blank=True)
    grade = models.CharField(_("ngạch"), max_length=100, blank=True)
    step = models.PositiveSmallIntegerField(_("bậc lương"), null=True, blank=True)
    max_step = models.PositiveSmallIntegerField(_("bậc cuối của ngạch"), null=True, blank=True)
    step_interval_years = models.PositiveSmallIntegerField(_("thời gian giữ bậc (năm)"), default=3)
    last_step_on = models.DateField(_("ngày hưởng bậc hiện tại"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hồ sơ cán bộ")
        verbose_name_plural = _("hồ sơ cán bộ")

    def __str__(self) -> str:
        return str(self.staff)


class EmulationRegistration(models.Model):
    """EmulationRegistration  # đăng ký thi đua đầu năm (000 Điều 46.1, L447)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="emulation_registrations")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="emulation_registrations")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("danh hiệu đăng ký"), max_length=255)
    registered_on = models.DateField(_("ngày đăng ký"))

    class Meta:
        verbose_name = _("đăng ký thi đua")
        verbose_name_plural = _("đăng ký thi đua")
        constraints = [models.UniqueConstraint(fields=["staff", "year"], name="uniq_emulation_registration")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.year}: {self.title}"


class EmulationProposal(models.Model):
    """EmulationProposal  # đề nghị công nhận danh hiệu thi đua (only for those who registered)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="emulation_proposals")
    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="emulation_proposals")
    year = models.PositiveSmallIntegerField(_("năm"))
    title = models.CharField(_("danh hiệu đề nghị"), max_length=255)
    proposed_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("đề nghị danh hiệu thi đua")
        verbose_name_plural = _("đề nghị danh hiệu thi đua")
        constraints = [models.UniqueConstraint(fields=["staff", "year", "title"], name="uniq_emulation_proposal")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.year}: {self.title}"
