"""Deadlines and notifications shared by every kind of work item.

Deadline  # thời hạn: one time limit on one work item for one person (an incoming
document's handling, a coordination reply, a payment claim, a report), with its source
rule. Notification  # thông báo: what the notification centre shows; each one is
claimed by a unique key so a reminder is never sent twice (shared/spec/peers.md §D.3).
"""

from __future__ import annotations

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from office.models import Staff, Unit


class DeadlineState(models.TextChoices):
    OPEN = "open", _("Đang xử lý")
    DUE_SOON = "due_soon", _("Sắp đến hạn")
    OVERDUE = "overdue", _("Quá hạn")
    EXTENDED = "extended", _("Đã gia hạn")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATES = (DeadlineState.OPEN, DeadlineState.DUE_SOON, DeadlineState.OVERDUE, DeadlineState.EXTENDED)
#: States the scan may still remind about (not yet reminded for the current due date).
REMINDABLE_STATES = (DeadlineState.OPEN, DeadlineState.EXTENDED)
#: States the scan may still flag overdue.
NOT_OVERDUE_STATES = (DeadlineState.OPEN, DeadlineState.DUE_SOON, DeadlineState.EXTENDED)


class Deadline(models.Model):
    """Deadline  # thời hạn xử lý một việc của một người."""

    organisation = models.ForeignKey("office.Organisation", on_delete=models.CASCADE, related_name="deadlines")
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    kind = models.CharField(_("loại việc"), max_length=60)  # rule code, e.g. "incoming.handle", "coordination.reply"
    title = models.CharField(_("nội dung"), max_length=500)
    url = models.CharField(max_length=300, blank=True)
    assignee = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="deadlines")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="deadlines")
    due_at = models.DateTimeField(_("hạn"))
    original_due_at = models.DateTimeField(_("hạn ban đầu"))
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)  # "Quy chế 282/QĐ-VP, Điều 16.3"
    state = models.CharField(_("trạng thái"), max_length=20, choices=DeadlineState.choices, default=DeadlineState.OPEN)
    remind_before_days = models.PositiveSmallIntegerField(_("nhắc trước (ngày làm việc)"), default=1)
    escalate_to = models.ForeignKey(
        Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="escalated_deadlines"
    )
    done_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    # When the reminder falls due: the start of the working day `remind_before_days` working
    # days before the due date. Stored so the scan finds due reminders by an index, not by
    # computing over every open item (cost follows the items due, not the items open).
    remind_at = models.DateTimeField(_("nhắc lúc"), null=True, blank=True)
    # How the due date was read from the rule (the profile's conventions), shown beside it.
    note = models.CharField(_("cách tính hạn"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")
        indexes = [
            models.Index(fields=["assignee", "state", "due_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=["open", "due_soon", "extended"]),
                name="deadline_not_overdue_due",
            ),
            models.Index(fields=["remind_at"], condition=Q(state__in=["open", "extended"]), name="deadline_remind"),
            models.Index(fields=["organisation", "state", "unit"]),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.assignee} — {self.due_at:%d/%m/%Y}"

    def save(self, *args, **kwargs) -> None:
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "due_at" in update_fields or "remind_before_days" in update_fields:
            from workflow.services.deadlines import reminder_instant

            self.remind_at = reminder_instant(self.due_at, self.remind_before_days)
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "remind_at"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_extended(self) -> bool:
        return self.due_at != self.original_due_at


class ExtensionState(models.TextChoices):
    REQUESTED = "requested", _("Chờ duyệt")
    APPROVED = "approved", _("Đã đồng ý")
    REFUSED = "refused", _("Không đồng ý")


class DeadlineExtension(models.Model):
    """DeadlineExtension  # gia hạn: asked by the person who holds the deadline, decided by who the rule names.

    000 Điều 16.3 (L221): a coordination reply takes longer than 2 (3) working days «chỉ khi
    được Chánh Văn phòng đồng ý».
    """

    deadline = models.ForeignKey(Deadline, on_delete=models.CASCADE, related_name="extensions")
    until = models.DateField(_("gia hạn đến hết ngày"))
    reason = models.CharField(_("lý do"), max_length=500)
    requested_by = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=ExtensionState.choices, default=ExtensionState.REQUESTED
    )
    decided_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    previous_due_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("gia hạn")
        verbose_name_plural = _("gia hạn")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["deadline"], condition=Q(state="requested"), name="one_pending_extension_per_deadline"
            )
        ]

    def __str__(self) -> str:
        return f"{self.deadline} → {self.until:%d/%m/%Y}"


class Notification(models.Model):
    """Notification  # thông báo trong ứng dụng (and by e-mail). `key` makes sending idempotent."""

    recipient = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="notifications")
    key = models.CharField(max_length=200, unique=True)  # e.g. "deadline:42:reminder:2026-03-10"
    kind = models.CharField(_("loại"), max_length=30)  # reminder, overdue, escalation, assignment, urgent, info
    title = models.CharField(_("tiêu đề"), max_length=300)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(max_length=300, blank=True)
    urgent = models.BooleanField(_("khẩn"), default=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(null=True, blank=True)
    # E-mail: wanted when the recipient has an address; claimed by a conditional UPDATE of
    # emailed_at before sending, so a redelivered task never sends the same mail twice.
    email_wanted = models.BooleanField(default=False)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["recipient", "read_at", "-created_at"]),
            models.Index(
                fields=["created_at"], condition=Q(email_wanted=True, emailed_at=None), name="notif_email_due"
            ),
        ]

    def __str__(self) -> str:
        return self.title


# --------------------------------------------------------------------------- coordination


class CoordinationKind(models.TextChoices):
    COORDINATION = "coordination", _("Xin ý kiến phối hợp")  # 000 Điều 16.3
    INTERNAL = "internal", _("Đề nghị giữa các đơn vị")  # 000 Điều 17.2


class CoordinationState(models.TextChoices):
    OPEN = "open", _("Đang lấy ý kiến")
    CLOSED = "closed", _("Đã kết thúc")


class CoordinationRequest(models.Model):
    """CoordinationRequest  # phiếu xin ý kiến phối hợp: the lead asks people or units for a written opinion."""

    organisation = models.ForeignKey("office.Organisation", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(
        _("loại"), max_length=20, choices=CoordinationKind.choices, default=CoordinationKind.COORDINATION
    )
    subject = models.CharField(_("trích yếu"), max_length=500)
    body = models.TextField(_("nội dung xin ý kiến"), blank=True)
    sender = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="coordination_sent")
    sender_unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    complex = models.BooleanField(_("vấn đề phức tạp"), default=False)
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=CoordinationState.choices, default=CoordinationState.OPEN
    )
    created_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("xin ý kiến phối hợp")
        verbose_name_plural = _("xin ý kiến phối hợp")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["organisation", "-created_at"])]

    def __str__(self) -> str:
        return self.subject

    @property
    def is_open(self) -> bool:
        return self.state == CoordinationState.OPEN


class RecipientState(models.TextChoices):
    PENDING = "pending", _("Chưa trả lời")
    ANSWERED = "answered", _("Đã trả lời")


class CoordinationRecipient(models.Model):
    """One person asked (directly, or as the head of a unit asked); their due date and written answer.

    The answer has the four parts of 000 Điều 14.5 (L202–L206).
    """

    request = models.ForeignKey(CoordinationRequest, on_delete=models.CASCADE, related_name="recipients")
    staff = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="coordination_received")
    unit = models.ForeignKey(Unit, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    received_at = models.DateTimeField(_("nhận lúc"))
    due_at = models.DateTimeField(_("hạn trả lời"))
    state = models.CharField(
        _("trạng thái"), max_length=20, choices=RecipientState.choices, default=RecipientState.PENDING
    )
    view_competence = models.TextField(_("về thẩm quyền"), blank=True)
    view_merit = models.TextField(_("về sự cần thiết, tính hợp lý, hợp pháp, hiệu quả"), blank=True)
    view_prior_directions = models.TextField(_("về sự liên quan với chỉ đạo trước đây"), blank=True)
    proposal = models.TextField(_("đề xuất cụ thể"), blank=True)
    opinion = models.TextField(_("ý kiến"), blank=True)
    agree = models.BooleanField(_("đồng ý"), null=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("người được xin ý kiến")
        verbose_name_plural = _("người được xin ý kiến")
        constraints = [models.UniqueConstraint(fields=["request", "staff"], name="uniq_coordination_recipient")]
        indexes = [models.Index(fields=["staff", "state"])]

    def __str__(self) -> str:
        return f"{self.request} → {self.staff}"

    @property
    def replied_late(self) -> bool:
        return bool(self.replied_at and self.replied_at > self.due_at)


def _coordination_file_path(instance: CoordinationFile, filename: str) -> str:
    return f"coordination/{instance.sha256[:2]}/{instance.sha256}"


class CoordinationFile(models.Model):
    """A file sent with the request; served only through the permission-checked view."""

    request = models.ForeignKey(CoordinationRequest, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to=_coordination_file_path, max_length=300)
    original_name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveBigIntegerField()
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("tệp xin ý kiến")
        verbose_name_plural = _("tệp xin ý kiến")

    def __str__(self) -> str:
        return self.original_name


class CoordinationNote(models.Model):
    """A coordinator's request for more information, addressed to the lead only (000 Điều 14.4, L200)."""

    request = models.ForeignKey(CoordinationRequest, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.text[:60]


# --------------------------------------------------------------------------- recurring work


class ScheduleKind(models.TextChoices):
    MEETING = "meeting", _("Cuộc họp")
    REPORT = "report", _("Báo cáo định kỳ")
    PROGRAMME = "programme", _("Chương trình công tác")
    ARCHIVE = "archive", _("Lưu trữ")
    FOLLOW_UP = "follow_up", _("Việc sau cuộc họp")
    OTHER = "other", _("Việc định kỳ")


class ItemState(models.TextChoices):
    OPEN = "open", _("Chưa xong")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy")


class ScheduledItem(models.Model):
    """ScheduledItem  # việc định kỳ: one occurrence of a meeting, report or programme step of the profile.

    Generated from the profile's schedule (workflow.services.schedules) for the coming period,
    once per (organisation, schedule code, period); each person who must act holds a Deadline on it.
    """

    organisation = models.ForeignKey("office.Organisation", on_delete=models.CASCADE, related_name="+")
    code = models.SlugField(_("mã lịch"), max_length=80)
    period = models.CharField(_("kỳ"), max_length=40)  # the nominal date, e.g. "2026-06-15"
    kind = models.CharField(_("loại"), max_length=20, choices=ScheduleKind.choices)
    title = models.CharField(_("nội dung"), max_length=300)
    nominal_date = models.DateField(_("ngày theo quy chế"))
    due_at = models.DateTimeField(_("hạn"))
    note = models.CharField(_("cách tính hạn"), max_length=300, blank=True)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="follow_ups")
    state = models.CharField(_("trạng thái"), max_length=20, choices=ItemState.choices, default=ItemState.OPEN)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(Staff, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("việc định kỳ")
        verbose_name_plural = _("việc định kỳ")
        ordering = ["due_at"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "code", "period"], name="uniq_scheduled_item"),
        ]
        indexes = [models.Index(fields=["organisation", "due_at"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.nominal_date:%d/%m/%Y})"
