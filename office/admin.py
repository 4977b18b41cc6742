"""Setup screens (Django admin) for the organisation and the calendar overrides.
Every change is audited by django-simple-history (the "Lịch sử" button)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from office.models import (
    Absence,
    CalendarOverride,
    Delegation,
    Organisation,
    Post,
    Sector,
    Staff,
    Supervision,
    Unit,
)


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "profile", "kind", "abbreviation", "symbol_style"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "organisation"]
    list_filter = ["organisation"]


@admin.register(Unit)
class UnitAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "abbreviation", "kind", "working_mode", "organisation"]
    list_filter = ["organisation", "kind", "working_mode"]
    filter_horizontal = ["sectors"]


class PostInline(admin.TabularInline):
    model = Post
    extra = 0


@admin.register(Staff)
class StaffAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "user", "organisation", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["full_name", "user__username"]
    inlines = [PostInline]
    filter_horizontal = ["sectors"]


@admin.register(Supervision)
class SupervisionAdmin(SimpleHistoryAdmin):
    list_display = ["supervisor", "unit", "sector", "organisation"]
    list_filter = ["organisation"]


@admin.register(Absence)
class AbsenceAdmin(SimpleHistoryAdmin):
    list_display = ["staff", "kind", "start", "end", "is_cancelled"]
    list_filter = ["kind", "is_cancelled"]
    date_hierarchy = "start"


@admin.register(Delegation)
class DelegationAdmin(SimpleHistoryAdmin):
    list_display = ["principal", "deputy", "scope", "start", "end", "is_revoked"]
    list_filter = ["scope", "is_revoked"]
    date_hierarchy = "start"

    def has_add_permission(self, request) -> bool:
        # Delegations are created through the service (rules checked) on "Vắng mặt, ủy quyền".
        return False


@admin.register(CalendarOverride)
class CalendarOverrideAdmin(SimpleHistoryAdmin):
    """Ngày nghỉ thêm do tỉnh quyết định, ngày làm việc bù."""

    list_display = ["date", "kind", "reason"]
    list_filter = ["kind"]
    date_hierarchy = "date"
