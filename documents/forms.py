"""Forms of the incoming-document pages; rules are checked by documents/services."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.models import Confidentiality, DocumentType, IncomingResult, IncomingStatus, Urgency
from office.forms import DateInput, StaffChoiceField
from office.models import Sector, Staff, Unit


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.docx"}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class IncomingForm(forms.Form):
    sender = forms.CharField(label="Cơ quan ban hành", max_length=255)
    symbol = forms.CharField(label="Số, ký hiệu", max_length=60, help_text="Ví dụ: 125/UBND-TH hoặc 60-QĐ/VPTU")
    issued_date = forms.DateField(label="Ngày văn bản", widget=DateInput())
    doc_type = forms.ModelChoiceField(label="Loại văn bản", queryset=DocumentType.objects.all())
    summary = forms.CharField(label="Trích yếu", widget=forms.Textarea(attrs={"rows": 3}))
    received_at = forms.DateTimeField(label="Ngày, giờ đến", widget=DateTimeInput())
    urgency = forms.ChoiceField(label="Độ khẩn", choices=Urgency.choices)
    confidentiality = forms.ChoiceField(label="Độ mật", choices=Confidentiality.choices)
    pages = forms.IntegerField(label="Số trang", min_value=1, required=False)
    sender_deadline = forms.DateField(label="Hạn xử lý (nếu văn bản yêu cầu)", required=False, widget=DateInput())
    sector = forms.ModelChoiceField(label="Lĩnh vực", queryset=Sector.objects.none(), required=False)
    files = MultipleFileField(label="Tệp văn bản (PDF, DOCX)", required=False)
    notes = forms.CharField(label="Ghi chú", required=False, max_length=500)
    handled_before_registration = forms.BooleanField(
        label="Văn bản đã được xử lý trước theo chỉ đạo của lãnh đạo (vào sổ sau)", required=False
    )
    late_registration_reason = forms.CharField(label="Lý do, lãnh đạo chỉ đạo", required=False, max_length=500)
    confirm_duplicate = forms.BooleanField(label="Tôi đã kiểm tra: đây không phải văn bản trùng", required=False)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].queryset = Sector.objects.filter(organisation=organisation)
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean_symbol(self) -> str:
        from documents.services.registration import clean_symbol

        try:
            return clean_symbol(self.cleaned_data["symbol"])
        except ValidationError as exc:
            raise ValidationError(exc.message_dict["symbol"]) from None


class RouteForm(forms.Form):
    """One distribution: a lead, coordinators and people or units for information, and a deadline."""

    lead_unit = forms.ModelChoiceField(label="Đơn vị chủ trì", queryset=Unit.objects.none(), required=False)
    lead_staff = StaffChoiceField(label="hoặc người chủ trì", queryset=Staff.objects.none(), required=False)
    coordinate_units = forms.ModelMultipleChoiceField(
        label="Đơn vị phối hợp", queryset=Unit.objects.none(), required=False, widget=forms.CheckboxSelectMultiple
    )
    coordinate_staff = forms.ModelMultipleChoiceField(
        label="Người phối hợp", queryset=Staff.objects.none(), required=False
    )
    inform_staff = forms.ModelMultipleChoiceField(label="Để biết", queryset=Staff.objects.none(), required=False)
    deadline = forms.DateField(label="Hạn xử lý", required=False, widget=DateInput())
    deadline_days = forms.IntegerField(
        label="hoặc số ngày làm việc", min_value=0, max_value=365, required=False, help_text="Tính từ ngày sau hôm nay"
    )
    instruction = forms.CharField(label="Ý kiến chỉ đạo", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, units, staff, unit_step: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in ("lead_unit", "coordinate_units"):
            self.fields[name].queryset = units
        for name in ("lead_staff", "coordinate_staff", "inform_staff"):
            self.fields[name].queryset = staff
        if unit_step:
            del self.fields["lead_unit"]
            del self.fields["coordinate_units"]
            self.fields["lead_staff"].label = "Người chủ trì xử lý"

    def clean(self):
        data = super().clean()
        if data.get("lead_unit") and data.get("lead_staff"):
            raise forms.ValidationError("Chọn một đơn vị hoặc một người chủ trì, không chọn cả hai.")
        return data


class CompleteForm(forms.Form):
    result = forms.ChoiceField(label="Kết quả", choices=IncomingResult.choices)
    answered_by_symbol = forms.CharField(label="Số, ký hiệu văn bản trả lời", required=False, max_length=60)
    note = forms.CharField(label="Ghi chú", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class OpinionForm(forms.Form):
    opinion = forms.CharField(label="Ý kiến", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReopenForm(forms.Form):
    reason = forms.CharField(label="Lý do mở lại", widget=forms.Textarea(attrs={"rows": 2}))


class FileVersionForm(forms.Form):
    file = forms.FileField(label="Tệp (PDF, DOCX)", widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx"}))
    supersedes = forms.IntegerField(required=False, widget=forms.HiddenInput)


class SearchForm(forms.Form):
    q = forms.CharField(label="Tìm kiếm", required=False, widget=forms.TextInput(attrs={"type": "search"}))
    status = forms.ChoiceField(label="Trạng thái", required=False, choices=[("", "Tất cả"), *IncomingStatus.choices])
    year = forms.IntegerField(label="Năm", required=False, min_value=2000, max_value=2100)
    urgency = forms.ChoiceField(label="Độ khẩn", required=False, choices=[("", "Tất cả"), *Urgency.choices])
    unit = forms.ChoiceField(label="Đơn vị", required=False, choices=[])
    overdue = forms.BooleanField(label="Quá hạn", required=False)

    def __init__(self, *args, organisation, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "Tất cả")] + [
            (u.code, u.name) for u in Unit.objects.filter(organisation=organisation)
        ]
