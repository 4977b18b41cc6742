"""Admin for deadlines, notifications, coordination and recurring items (read-mostly; rules live in services)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from workflow.models import (
    CoordinationRecipient,
    CoordinationRequest,
    Deadline,
    DeadlineExtension,
    Notification,
    ScheduledItem,
)


@admin.register(Deadline)
class DeadlineAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "assignee", "unit", "due_at", "state", "remind_at"]
    list_filter = ["state", "kind", "organisation"]
    search_fields = ["title", "assignee__full_name"]
    raw_id_fields = ["assignee", "escalate_to", "unit"]
    readonly_fields = ["remind_at", "original_due_at", "created_at"]
    date_hierarchy = "due_at"


@admin.register(DeadlineExtension)
class DeadlineExtensionAdmin(SimpleHistoryAdmin):
    list_display = ["deadline", "until", "state", "requested_by", "decided_by"]
    list_filter = ["state"]
    raw_id_fields = ["deadline", "requested_by", "decided_by"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind", "urgent"]
    search_fields = ["title", "key", "recipient__full_name"]
    raw_id_fields = ["recipient"]


class RecipientInline(admin.TabularInline):
    model = CoordinationRecipient
    extra = 0
    raw_id_fields = ["staff", "replied_by", "unit"]
    fields = ["staff", "unit", "due_at", "state", "agree", "replied_at"]


@admin.register(CoordinationRequest)
class CoordinationRequestAdmin(SimpleHistoryAdmin):
    list_display = ["subject", "kind", "sender", "created_at", "state"]
    list_filter = ["kind", "state", "organisation"]
    search_fields = ["subject"]
    raw_id_fields = ["sender", "sender_unit"]
    inlines = [RecipientInline]


@admin.register(ScheduledItem)
class ScheduledItemAdmin(SimpleHistoryAdmin):
    list_display = ["title", "code", "kind", "due_at", "state"]
    list_filter = ["kind", "state", "organisation"]
    search_fields = ["title", "code"]
    raw_id_fields = ["done_by", "parent"]
