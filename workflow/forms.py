"""Forms of the workflow pages; rules are checked in the services, the forms only shape input."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django import forms
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from office.models import POSITION_RANK, Post, Staff, Unit, UnitKind
from workflow.models import CoordinationKind

Choices = list[tuple[str, list[tuple[int, str]]]]

#: Where the principals with a login (Chủ tịch, Phó Chủ tịch…), people without a unit (Lãnh đạo Văn
#: phòng) and people without any post are listed.
PRINCIPAL_GROUP = _("Lãnh đạo cấp trên")
LEADERSHIP_GROUP = _("Lãnh đạo Văn phòng")
NO_POST_GROUP = _("Chưa có chức vụ")


def person_label(staff: Staff) -> str:
    """«Full name — post title (unit)»; the unit is left out when the title already names it
    («Chuyên viên Phòng Kinh tế ngành»), so the label stays short enough to read in a list.
    A principal (Chủ tịch UBND tỉnh…) holds no post of the office: their title is the profile's."""
    post = staff.main_post
    if post is None:
        principal = getattr(staff, "principal", None)
        return f"{staff.full_name} — {principal.title}" if principal else staff.full_name
    title = post.display_title
    if post.unit_id and post.unit.name.casefold() not in title.casefold():
        title = f"{title} ({post.unit.name})"
    return f"{staff.full_name} — {title}"


def _group(staff: Staff) -> tuple[object, tuple, str, int]:
    """(key, order of the group, its label, rank inside it) for one person."""
    post, principal = staff.main_post, getattr(staff, "principal", None)
    if post is None and principal is not None:
        return "principals", (0, 0, ""), str(PRINCIPAL_GROUP), principal.rank
    if post is None:
        return "none", (3, 0, ""), str(NO_POST_GROUP), 0
    if post.unit_id is None:
        return "leaders", (1, 0, ""), str(LEADERSHIP_GROUP), POSITION_RANK[post.position]
    return post.unit_id, (2, post.unit.order, post.unit.name), post.unit.name, POSITION_RANK[post.position]


def recipient_choices(people: Iterable[Staff]) -> Choices:
    """People grouped by the unit of their main post (optgroups): the principals with a login and
    the office leadership first, then the units in the organisation's order; inside a group by
    seniority (office.models.POSITION_RANK), then by name. Two people whose labels would read the
    same are told apart by their login."""
    groups: dict[object, tuple[tuple, str, list[tuple[tuple, Staff, str]]]] = {}
    for i, staff in enumerate(people):  # `people` comes ordered by name in the database's collation
        key, order, name, rank = _group(staff)
        groups.setdefault(key, (order, name, []))[2].append(((rank, i), staff, person_label(staff)))
    seen: dict[str, int] = {}
    for _order, _name, rows in groups.values():
        for _sort, _staff, label in rows:
            seen[label] = seen.get(label, 0) + 1
    choices: Choices = []
    for _order, name, rows in sorted(groups.values(), key=lambda g: g[0]):
        rows.sort(key=lambda r: r[0])
        choices.append(
            (name, [(s.pk, f"{label} · {s.user.username}" if seen[label] > 1 else label) for _k, s, label in rows])
        )
    return choices


def unit_label(unit: Unit) -> str:
    """«Phòng Kinh tế ngành — đơn vị chuyên môn»: the kind tells a professional unit from a service one."""
    if unit.kind == UnitKind.LANH_DAO or not unit.kind:
        return unit.name
    return f"{unit.name} — đơn vị {UnitKind(unit.kind).label.lower()}"


def _once(build: Callable[[], Choices]) -> Callable[[], Choices]:
    """Choices built on first use only (a valid POST never renders them), then kept."""
    cache: list[Choices] = []

    def get() -> Choices:
        if not cache:
            cache.append(build())
        return cache[0]

    return get


class UnitChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Unit) -> str:
        return unit_label(obj)


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
        widget=forms.SelectMultiple(attrs={"size": 12, "class": "picker"}),
        help_text=_(
            "Xếp theo đơn vị, trong đơn vị theo chức vụ. Gõ chữ đầu của họ tên để tìm; "
            "giữ Ctrl (máy Mac: ⌘) hoặc Shift để chọn nhiều người."
        ),
    )  # fmt: skip
    units = UnitChoiceField(
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
        people = (
            Staff.objects.filter(organisation=me.organisation, is_active=True)
            .exclude(pk=me.pk)
            # Phối hợp is between the office's units and people (000 Điều 14–16); the Chủ tịch, Bí thư… are
            # reached by a phiếu trình through the office leaders, never by a specialist directly (000 Điều 10.5).
            .exclude(principal__isnull=False)
            .select_related("user", "principal")
            .prefetch_related(Prefetch("posts", queryset=Post.objects.select_related("unit")))
            .order_by("full_name", "pk")
        )
        self.fields["people"].queryset = people
        self.fields["people"].choices = _once(lambda: recipient_choices(people))
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
