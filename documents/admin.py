"""Setup screens for documents: the type catalogue (statutory abbreviations locked), signing
rules, registers. Documents themselves are not in the admin: an administrator is not named
on a confidential document and must not read it (issue 3 §4)."""

from django.contrib import admin
from guardian.admin import GuardedModelAdmin

from documents.models import DocumentType, Register, SigningRule


@admin.register(DocumentType)
class DocumentTypeAdmin(GuardedModelAdmin):
    """Loại văn bản. NĐ 30 Phụ lục III abbreviations cannot be changed (vn-standards.md AC-TYPE-1);
    an office may add its own types. «Phân quyền đối tượng» grants standing signing authorisations."""

    list_display = ["name", "abbreviation", "code", "is_statutory"]
    list_filter = ["is_statutory"]

    def get_readonly_fields(self, request, obj=None):
        return ["code", "name", "abbreviation", "is_statutory"] if obj and obj.is_statutory else ["is_statutory"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return not (obj and obj.is_statutory) and super().has_delete_permission(request, obj)


@admin.register(SigningRule)
class SigningRuleAdmin(admin.ModelAdmin):
    list_display = ["organisation", "position", "unit_code", "capacity", "on_behalf_of", "scope", "source"]
    list_filter = ["organisation", "capacity"]
    filter_horizontal = ["doc_types"]


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Register)
class RegisterAdmin(ReadOnlyAdmin):
    list_display = ["name", "organisation", "direction", "year", "confidential", "next_number"]
