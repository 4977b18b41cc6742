"""Forms of the organisation pages. Validation of rules is in office/services; forms
only parse input and show the service's Vietnamese messages on the right field."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError

from office.models import AbsenceKind, DelegationScope, Staff


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its field, or above the form."""
    for field, errors in exc.message_dict.items():
        for error in errors:
            form.add_error(field if field in form.fields else None, error)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class StaffChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Staff) -> str:
        post = obj.main_post
        return f"{obj.full_name} — {post.display_title}" if post else obj.full_name


class AbsenceForm(forms.Form):
    staff = StaffChoiceField(label="Người vắng mặt", queryset=Staff.objects.none())
    kind = forms.ChoiceField(label="Loại", choices=AbsenceKind.choices)
    start = forms.DateField(label="Từ ngày", widget=DateInput())
    end = forms.DateField(label="Đến hết ngày", widget=DateInput())
    note = forms.CharField(label="Lý do, ghi chú", required=False, max_length=500)
    acting = StaffChoiceField(label="Người làm thay", queryset=Staff.objects.none(), required=False)
    acting_scope = forms.ChoiceField(label="Phạm vi làm thay", choices=DelegationScope.choices, initial="all")

    def __init__(self, *args, arrangeable, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = arrangeable
        self.fields["acting"].queryset = colleagues

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", "Ngày kết thúc không được trước ngày bắt đầu.")
        return data


class DelegationForm(forms.Form):
    principal = StaffChoiceField(label="Người ủy quyền", queryset=Staff.objects.none())
    deputy = StaffChoiceField(label="Người được ủy quyền (làm thay)", queryset=Staff.objects.none())
    scope = forms.ChoiceField(label="Phạm vi", choices=DelegationScope.choices)
    start = forms.DateField(label="Từ ngày", widget=DateInput())
    end = forms.DateField(label="Đến hết ngày", widget=DateInput())
    reason = forms.CharField(label="Lý do", required=False, max_length=500)

    def __init__(self, *args, arrangeable, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["principal"].queryset = arrangeable
        self.fields["deputy"].queryset = colleagues


class WorkingDaysForm(forms.Form):
    start = forms.DateField(label="Ngày nhận / sự kiện", widget=DateInput())
    days = forms.IntegerField(label="Số ngày làm việc", min_value=0, max_value=366)
