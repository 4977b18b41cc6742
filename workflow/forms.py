"""Forms of the workflow pages; rules are checked in the services, the forms only shape input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from office.models import Staff, Unit
from workflow.models import CoordinationKind


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class CoordinationForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại"), choices=CoordinationKind.choices, initial=CoordinationKind.COORDINATION)
    subject = forms.CharField(label=_("Trích yếu"), max_length=500)
    body = forms.CharField(label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 4}), required=False)
    people = forms.ModelMultipleChoiceField(
        label=_("Cán bộ được xin ý kiến"), queryset=Staff.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )  # fmt: skip
    units = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được xin ý kiến (gửi lãnh đạo đơn vị)"), queryset=Unit.objects.none(), required=False,
        widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    complex = forms.BooleanField(
        label=_("Vấn đề phức tạp (được trả lời trong thời hạn dài hơn theo quy chế)"), required=False
    )
    due = forms.DateField(
        label=_("Hạn trả lời (để trống: theo quy chế)"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Thời hạn dài hơn quy chế chỉ khi Chánh Văn phòng đồng ý."),
    )  # fmt: skip
    files = MultipleFileField(label=_("Tệp hồ sơ (PDF, DOCX)"), required=False)

    def __init__(self, *args, me: Staff, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            Staff.objects.filter(organisation=me.organisation, is_active=True).exclude(pk=me.pk).order_by("full_name")
        )
        self.fields["units"].queryset = Unit.objects.filter(organisation=me.organisation).order_by("order", "name")

    def targets(self) -> list[str]:
        people = [s.user.username for s in self.cleaned_data.get("people") or []]
        units = [u.code for u in self.cleaned_data.get("units") or []]
        return [*people, *units]


AGREE_CHOICES = [("yes", _("Đồng ý")), ("no", _("Không đồng ý"))]


class ReplyForm(forms.Form):
    """The four parts of 000 Điều 14.5 (L202–L206), then agree or not."""

    view_competence = forms.CharField(
        label=_("a) Thẩm quyền giải quyết"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    view_merit = forms.CharField(
        label=_("b) Sự cần thiết, tính hợp lý, hợp pháp, hiệu quả"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    view_prior_directions = forms.CharField(
        label=_("c) Mối liên hệ với ý kiến chỉ đạo trước đây về cùng vấn đề"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    proposal = forms.CharField(
        label=_("d) Đề xuất, kiến nghị cụ thể"), widget=forms.Textarea(attrs={"rows": 3}), required=True
    )
    agree = forms.ChoiceField(label=_("Kết luận"), choices=AGREE_CHOICES, widget=forms.RadioSelect)

    def agree_value(self) -> bool | None:
        value = self.cleaned_data.get("agree")
        return None if value is None else value == "yes"


class ExtensionForm(forms.Form):
    until = forms.DateField(label=_("Xin gia hạn đến hết ngày"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Lý do"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class AskForm(forms.Form):
    text = forms.CharField(
        label=_("Đề nghị đầu mối làm rõ thêm"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Đơn vị phối hợp không làm việc trực tiếp với cơ quan trình; đầu mối sẽ đề nghị thay (000 Điều 14.4)."
        ),
    )  # fmt: skip
