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
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy")


OPEN_STATES = (DeadlineState.OPEN, DeadlineState.DUE_SOON, DeadlineState.OVERDUE)


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
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thời hạn")
        verbose_name_plural = _("thời hạn")
        indexes = [
            models.Index(fields=["assignee", "state", "due_at"]),
            models.Index(fields=["target_type", "target_id"]),
            models.Index(fields=["due_at"], condition=Q(state__in=["open", "due_soon", "overdue"]), name="deadline_open_due"),
        ]

    def __str__(self) -> str:
        return f"{self.title} — {self.assignee} — {self.due_at:%d/%m/%Y}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


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

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at", "-created_at"])]

    def __str__(self) -> str:
        return self.title
