"""Forms of the personnel pages: they parse input; the rules and their Vietnamese messages are in services."""

from __future__ import annotations

from django import forms

from office.forms import DateInput, StaffChoiceField
from office.models import Staff
from personnel.models import HandoverReason, LeaveKind


def _end_after_start(form: forms.Form, data: dict, start: str = "start", end: str = "end") -> None:
    if data.get(start) and data.get(end) and data[end] < data[start]:
        form.add_error(end, "Ngày kết thúc không được trước ngày bắt đầu.")


class LeaveForm(forms.Form):
    kind = forms.ChoiceField(label="Loại nghỉ", choices=LeaveKind.choices, initial=LeaveKind.PERSONAL)
    start = forms.DateField(label="Từ ngày", widget=DateInput())
    end = forms.DateField(label="Đến hết ngày", widget=DateInput())
    starts_afternoon = forms.BooleanField(label="Nghỉ từ buổi chiều ngày đầu", required=False)
    ends_at_noon = forms.BooleanField(label="Chỉ nghỉ buổi sáng ngày cuối", required=False)
    reason = forms.CharField(label="Lý do", max_length=500)
    handover_to = StaffChoiceField(
        label="Người làm thay", queryset=Staff.objects.none(), required=False,
        help_text="Người nhận bàn giao công việc trong thời gian nghỉ; Trưởng đơn vị có thể chỉ định khi duyệt.",
    )  # fmt: skip
    handover_note = forms.CharField(
        label="Công việc bàn giao", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover_to"].queryset = colleagues

    def clean(self):
        data = super().clean()
        _end_after_start(self, data)
        return data


class DecideForm(forms.Form):
    decision = forms.ChoiceField(
        label="Ý kiến", choices=[("approve", "Đồng ý"), ("reject", "Không đồng ý")], widget=forms.RadioSelect
    )
    opinion = forms.CharField(label="Nội dung ý kiến", max_length=1000, required=False)
    substitute = StaffChoiceField(label="Chỉ định người làm thay", queryset=Staff.objects.none(), required=False)

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = colleagues


class PlanForm(forms.Form):
    year = forms.IntegerField(label="Năm", min_value=2000, max_value=2100)
    days = forms.IntegerField(label="Số ngày phép đăng ký", min_value=1, max_value=30)
    periods = forms.CharField(label="Thời gian dự kiến nghỉ", max_length=500, required=False)


class TripForm(forms.Form):
    start = forms.DateField(label="Từ ngày", widget=DateInput())
    end = forms.DateField(label="Đến hết ngày", widget=DateInput())
    starts_afternoon = forms.BooleanField(label="Đi từ buổi chiều ngày đầu", required=False)
    ends_at_noon = forms.BooleanField(label="Về trong buổi sáng ngày cuối", required=False)
    destination = forms.CharField(label="Nơi đến", max_length=255)
    purpose = forms.CharField(label="Nội dung công tác", max_length=1000)
    in_province = forms.TypedChoiceField(
        label="Phạm vi", choices=[("1", "Trong tỉnh"), ("0", "Ngoài tỉnh")], coerce=lambda v: v == "1", initial="1"
    )
    in_programme = forms.TypedChoiceField(
        label="Theo chương trình, kế hoạch đã duyệt", choices=[("1", "Có"), ("0", "Ngoài chương trình")],
        coerce=lambda v: v == "1", initial="1",
    )  # fmt: skip
    handover_to = StaffChoiceField(
        label="Người làm thay / nhận bàn giao", queryset=Staff.objects.none(), required=False
    )
    unfinished_work = forms.CharField(
        label="Công việc đang làm chưa xong (mỗi việc một dòng)", widget=forms.Textarea(attrs={"rows": 4}),
        required=False, help_text="Đi công tác từ 02 ngày trở lên: danh mục này thành phiếu bàn giao công việc.",
    )  # fmt: skip

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handover_to"].queryset = colleagues

    def clean(self):
        data = super().clean()
        _end_after_start(self, data)
        return data


class ReportForm(forms.Form):
    report = forms.CharField(label="Kết quả chuyến công tác", widget=forms.Textarea(attrs={"rows": 4}))


class IntroductionForm(forms.Form):
    staff = StaffChoiceField(label="Cán bộ được giới thiệu", queryset=Staff.objects.none())
    destination = forms.CharField(label="Kính gửi / nơi đến", max_length=255)
    purpose = forms.CharField(label="Về việc", max_length=1000)
    valid_until = forms.DateField(label="Có giá trị đến hết ngày", widget=DateInput())
    on_behalf = forms.ChoiceField(
        label="Loại giấy", choices=[("", "Giấy giới thiệu của Văn phòng"), ("ubnd", "Giấy giới thiệu của UBND tỉnh")],
        required=False,
    )  # fmt: skip

    def __init__(self, *args, staff_qs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs


class HandoverForm(forms.Form):
    reason = forms.ChoiceField(label="Lý do bàn giao", choices=[c for c in HandoverReason.choices if c[0] != "return"])
    receiver = StaffChoiceField(label="Người nhận bàn giao", queryset=Staff.objects.none())
    work = forms.CharField(
        label="Công việc (mỗi việc một dòng)", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    files = forms.CharField(label="Hồ sơ, tài liệu (mỗi mục một dòng)", widget=forms.Textarea(attrs={"rows": 3}),
                            required=False)  # fmt: skip
    assets = forms.CharField(
        label="Tài sản (mỗi mục một dòng)", widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    witnesses = forms.ModelMultipleChoiceField(
        label="Đại diện giám sát", queryset=Staff.objects.none(), required=False,
        help_text="Bàn giao hồ sơ, tài liệu, tài sản phải có đại diện các đơn vị giám sát theo quy chế.",
    )  # fmt: skip
    note = forms.CharField(label="Ghi chú", max_length=1000, required=False)

    def __init__(self, *args, colleagues, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = colleagues
        self.fields["witnesses"].queryset = colleagues

    def items(self) -> list[dict]:
        d = self.cleaned_data
        out = []
        for field, kind in (("work", "cong_viec"), ("files", "ho_so"), ("assets", "tai_san")):
            out += [{"kind": kind, "description": line} for line in d.get(field, "").splitlines() if line.strip()]
        return out


class OvertimeForm(forms.Form):
    date = forms.DateField(label="Ngày làm thêm", widget=DateInput())
    hours = forms.DecimalField(
        label="Số giờ", max_digits=4, decimal_places=1, widget=forms.NumberInput(attrs={"step": "0.5", "min": "0.5"}),
        help_text="Tính theo nửa giờ, ví dụ 1,5.",
    )  # fmt: skip
    description = forms.CharField(label="Nội dung công việc", max_length=1000)


class ClaimForm(forms.Form):
    description = forms.CharField(label="Nội dung thanh toán", max_length=1000)
    amount = forms.DecimalField(label="Số tiền (đồng)", max_digits=15, decimal_places=0, required=False,
                                help_text="Để trống nếu chỉ ghi nhận để được nhắc hạn kê khai.")  # fmt: skip
    activity_ended_on = forms.DateField(label="Ngày nghiệp vụ kinh tế kết thúc", widget=DateInput())
    exception_reason = forms.CharField(label="Lý do kê khai chậm (nếu quá hạn)", max_length=1000, required=False)


class DeclareForm(forms.Form):
    amount = forms.DecimalField(label="Số tiền (đồng)", max_digits=15, decimal_places=0)
    exception_reason = forms.CharField(label="Lý do kê khai chậm (nếu quá hạn)", max_length=1000, required=False)


class EmulationForm(forms.Form):
    title = forms.CharField(label="Danh hiệu đăng ký", max_length=255, initial="Lao động tiên tiến")


class ProposalForm(forms.Form):
    staff = StaffChoiceField(label="Cán bộ", queryset=Staff.objects.none())
    title = forms.CharField(label="Danh hiệu đề nghị", max_length=255, initial="Lao động tiên tiến")

    def __init__(self, *args, staff_qs, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["staff"].queryset = staff_qs
