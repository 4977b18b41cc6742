"""Setup and correction screens for personnel records (HC-TC keeps PersonnelRecord up to date for the
yearly salary and retirement lists). Workflow records are read here; they change through the pages."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from personnel.models import (
    AnnualLeavePlan,
    EmulationProposal,
    EmulationRegistration,
    Handover,
    LeaveRequest,
    LeaveStep,
    Overtime,
    PaymentClaim,
    PersonnelRecord,
    TravelPaper,
    Trip,
)


@admin.register(PersonnelRecord)
class PersonnelRecordAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "date_of_birth", "gender", "grade", "step", "last_step_on"]
    list_filter = ["gender", "staff__organisation"]
    search_fields = ["staff__full_name", "staff__user__username"]
    autocomplete_fields = ["staff"]


class LeaveStepInline(admin.TabularInline):
    model = LeaveStep
    extra = 0
    readonly_fields = ["order", "role", "approver", "source", "decision", "opinion", "acted_by", "at"]
    can_delete = False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "kind", "start", "end", "days", "state"]
    list_filter = ["state", "kind", "organisation"]
    search_fields = ["staff__full_name"]
    inlines = [LeaveStepInline]
    readonly_fields = ["absence", "days", "created_by", "decided_at"]


@admin.register(AnnualLeavePlan)
class AnnualLeavePlanAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "year", "days", "confirmed_by", "confirmed_at"]
    list_filter = ["year", "organisation"]


@admin.register(Trip)
class TripAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "destination", "start", "end", "state"]
    list_filter = ["state", "in_province", "organisation"]
    search_fields = ["staff__full_name", "destination"]
    readonly_fields = ["absence", "handover", "days"]


@admin.register(Handover)
class HandoverAdmin(SimpleHistoryAdmin):
    list_display = ["giver", "receiver", "reason", "state", "created_at"]
    list_filter = ["reason", "state"]


@admin.register(TravelPaper)
class TravelPaperAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "number", "year", "staff", "valid_from", "valid_until", "is_revoked"]
    list_filter = ["kind", "year", "is_revoked"]


@admin.register(Overtime)
class OvertimeAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "date", "hours", "state", "confirmed_by"]
    list_filter = ["state"]


@admin.register(PaymentClaim)
class PaymentClaimAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "description", "amount", "activity_ended_on", "due", "state"]
    list_filter = ["state"]


admin.site.register(EmulationRegistration)
admin.site.register(EmulationProposal)
