"""The organisation as the regulations describe it.

Organisation (cơ quan) → Units (phòng, ban, trung tâm) → Posts held by Staff, the
supervision map (which Phó Chánh Văn phòng supervises which units and lĩnh vực),
absences and acting-for delegations (ủy quyền), and the working-day calendar's
overrides. Rules live in office/services/; these models hold data and invariants.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class OrganisationKind(models.TextChoices):
    VAN_PHONG_UBND = "van_phong_ubnd", _("Văn phòng UBND tỉnh")
    VAN_PHONG_TINH_UY = "van_phong_tinh_uy", _("Văn phòng Tỉnh ủy")


class SymbolStyle(models.TextChoices):
    """How a document's số, ký hiệu is written (vn-standards.md, NĐ 30 Phụ lục I)."""

    STATE = "state", _("Nhà nước: 15/QĐ-VP")
    PARTY = "party", _("Đảng: 60-QĐ/VPTU")


class Organisation(models.Model):
    """Organisation  # cơ quan: one office, loaded from one regulation profile."""

    profile = models.SlugField(_("hồ sơ quy chế"), max_length=40, unique=True)
    name = models.CharField(_("tên cơ quan"), max_length=255)
    kind = models.CharField(_("loại cơ quan"), max_length=30, choices=OrganisationKind.choices)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=20)
    province = models.CharField(_("tỉnh"), max_length=100, blank=True)
    place_name = models.CharField(_("địa danh"), max_length=100, blank=True)
    symbol_style = models.CharField(_("kiểu ký hiệu"), max_length=10, choices=SymbolStyle.choices)
    source = models.TextField(_("văn bản quy chế"), blank=True)
    rules = models.JSONField(_("tham số quy chế"), default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")

    def __str__(self) -> str:
        return self.name

    def rule(self, path: str, default=None):
        """A rule parameter from the profile, by dotted path: org.rule("coordination.reply_working_days")."""
        node = self.rules
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return default
            node = node[part]
        return node


class Sector(models.Model):
    """Sector  # lĩnh vực công tác, followed by units, staff and supervising leaders."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="sectors")
    code = models.SlugField(_("mã"), max_length=60)
    name = models.CharField(_("tên lĩnh vực"), max_length=255)

    class Meta:
        verbose_name = _("lĩnh vực")
        verbose_name_plural = _("lĩnh vực")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="uniq_sector_code")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UnitKind(models.TextChoices):
    CHUYEN_MON = "chuyen_mon", _("Chuyên môn")
    PHUC_VU = "phuc_vu", _("Phục vụ")
    SU_NGHIEP = "su_nghiep", _("Sự nghiệp")
    LANH_DAO = "lanh_dao", _("Lãnh đạo Văn phòng")


class WorkingMode(models.TextChoices):
    """000 Điều 3 (L55–L56): chế độ chuyên viên vs chế độ thủ trưởng."""

    CHUYEN_VIEN = "chuyen_vien", _("Chế độ chuyên viên")
    THU_TRUONG = "thu_truong", _("Chế độ thủ trưởng")
    KET_HOP = "ket_hop", _("Kết hợp")


class Unit(models.Model):
    """Unit  # đơn vị: phòng, ban, trung tâm of the office."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="units")
    code = models.SlugField(_("mã"), max_length=60)
    name = models.CharField(_("tên đơn vị"), max_length=255)
    abbreviation = models.CharField(_("chữ viết tắt"), max_length=20, blank=True)
    kind = models.CharField(_("loại đơn vị"), max_length=20, choices=UnitKind.choices)
    working_mode = models.CharField(_("chế độ làm việc"), max_length=20, choices=WorkingMode.choices)
    head_title = models.CharField(_("chức danh trưởng"), max_length=100, default="Trưởng phòng")
    deputy_title = models.CharField(_("chức danh phó"), max_length=100, default="Phó Trưởng phòng")
    sectors = models.ManyToManyField(Sector, blank=True, related_name="units", verbose_name=_("lĩnh vực"))
    order = models.PositiveIntegerField(_("thứ tự"), default=0)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("đơn vị")
        verbose_name_plural = _("đơn vị")
        constraints = [models.UniqueConstraint(fields=["organisation", "code"], name="uniq_unit_code")]
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class Position(models.TextChoices):
    """Fixed position codes of the acceptance surface (../shared/spec/api.md)."""

    CHANH_VP = "chanh_vp", _("Chánh Văn phòng")
    PHO_CHANH_VP = "pho_chanh_vp", _("Phó Chánh Văn phòng")
    TRUONG_PHONG = "truong_phong", _("Trưởng phòng")
    PHO_TRUONG_PHONG = "pho_truong_phong", _("Phó Trưởng phòng")
    CHUYEN_VIEN = "chuyen_vien", _("Chuyên viên")
    VAN_THU = "van_thu", _("Văn thư")
    KE_TOAN_TRUONG = "ke_toan_truong", _("Kế toán trưởng")
    NHAN_VIEN = "nhan_vien", _("Nhân viên")


#: Lower is more senior; used to pick a person's main post and to order lists.
POSITION_RANK = {
    Position.CHANH_VP: 0,
    Position.PHO_CHANH_VP: 1,
    Position.TRUONG_PHONG: 2,
    Position.PHO_TRUONG_PHONG: 3,
    Position.KE_TOAN_TRUONG: 4,
    Position.CHUYEN_VIEN: 5,
    Position.VAN_THU: 6,
    Position.NHAN_VIEN: 7,
}
OFFICE_LEADER_POSITIONS = (Position.CHANH_VP, Position.PHO_CHANH_VP)


class Staff(models.Model):
    """Staff  # cán bộ, công chức: a Django user with their place in the organisation."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="staff")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="staff")
    full_name = models.CharField(_("họ và tên"), max_length=255)
    email = models.EmailField(_("thư điện tử"), blank=True)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="staff", verbose_name=_("lĩnh vực theo dõi"))
    is_active = models.BooleanField(_("đang công tác"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cán bộ")
        verbose_name_plural = _("cán bộ")
        ordering = ["full_name"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def username(self) -> str:
        return self.user.username

    @property
    def main_post(self) -> Post | None:
        posts = sorted(self.posts.all(), key=lambda p: (not p.is_primary, POSITION_RANK[p.position]))
        return posts[0] if posts else None

    def holds(self, position: str, unit: Unit | None = None) -> bool:
        return any(p.position == position and (unit is None or p.unit_id == unit.pk) for p in self.posts.all())


class Post(models.Model):
    """Post  # chức vụ: a position held by a person, in a unit or in the office leadership.

    A person may hold two posts (Phó Chánh Văn phòng kiêm Trưởng Ban Tiếp công dân,
    001 §I.2), so posts are rows, not a field on Staff.
    """

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="posts")
    position = models.CharField(_("chức vụ"), max_length=30, choices=Position.choices)
    unit = models.ForeignKey(
        Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="posts", verbose_name=_("đơn vị")
    )
    title = models.CharField(_("chức danh"), max_length=150, blank=True)
    is_primary = models.BooleanField(_("chức vụ chính"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chức vụ")
        verbose_name_plural = _("chức vụ")
        constraints = [
            models.UniqueConstraint(fields=["staff", "position", "unit"], name="uniq_post"),
            models.UniqueConstraint(
                fields=["staff", "position"], condition=Q(unit__isnull=True), name="uniq_post_no_unit"
            ),
        ]
        indexes = [models.Index(fields=["unit", "position"])]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        if self.title:
            return self.title
        label = Position(self.position).label
        return f"{label} {self.unit.name}" if self.unit_id else str(label)


class Principal(models.Model):
    """Principal  # lãnh đạo cấp trên: the people outside the office whom it serves and to whom it sends
    phiếu trình up — Chủ tịch and Phó Chủ tịch UBND tỉnh «theo dõi lĩnh vực» (000 §2.1, L39, L89; 003 L122),
    Bí thư and Phó Bí thư Tỉnh ủy (002 L442–L502). From the profile's `principals`; `staff` is their
    login when they decide on the system (the step is theirs like any other)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="principals")
    key = models.SlugField(_("mã"), max_length=30)
    title = models.CharField(_("chức danh"), max_length=120)  # «Chủ tịch UBND tỉnh»
    rank = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    sectors = models.ManyToManyField(Sector, blank=True, related_name="principals", verbose_name=_("lĩnh vực theo dõi"))
    staff = models.OneToOneField(
        "Staff", on_delete=models.SET_NULL, null=True, blank=True, related_name="principal", verbose_name=_("tài khoản")
    )
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("lãnh đạo cấp trên")
        verbose_name_plural = _("lãnh đạo cấp trên")
        ordering = ["organisation", "rank", "pk"]
        constraints = [models.UniqueConstraint(fields=["organisation", "key"], name="principal_key_unique")]

    def __str__(self) -> str:
        name = f" {self.staff.full_name}" if self.staff_id else ""
        return f"{self.title}{name}"


class Supervision(models.Model):
    """Supervision  # phân công phụ trách: which office leader supervises which unit or lĩnh vực.

    000 Điều 6.1 (L82): every Phó Chánh Văn phòng is assigned sectors and units by the Chánh.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="supervisions")
    supervisor = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="supervisions")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, null=True, blank=True, related_name="supervisions")
    sector = models.ForeignKey(Sector, on_delete=models.CASCADE, null=True, blank=True, related_name="supervisions")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công phụ trách")
        verbose_name_plural = _("phân công phụ trách")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(sector__isnull=False), name="supervision_has_target"
            ),
            models.UniqueConstraint(fields=["supervisor", "unit", "sector"], name="uniq_supervision"),
        ]

    def __str__(self) -> str:
        return f"{self.supervisor} → {self.unit or self.sector}"


class AbsenceKind(models.TextChoices):
    LEAVE = "leave", _("Nghỉ phép")
    PERSONAL = "personal", _("Nghỉ việc riêng")
    SICK = "sick", _("Nghỉ ốm")
    MATERNITY = "maternity", _("Nghỉ thai sản")
    TRIP = "trip", _("Đi công tác")
    STUDY = "study", _("Đi học")
    OTHER = "other", _("Vắng mặt khác")


class Absence(models.Model):
    """Absence  # vắng mặt: leave or business trip, by date (both days included)."""

    staff = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="absences")
    kind = models.CharField(_("loại"), max_length=20, choices=AbsenceKind.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến hết ngày"))
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    is_cancelled = models.BooleanField(_("đã hủy"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("vắng mặt")
        verbose_name_plural = _("vắng mặt")
        ordering = ["-start"]
        indexes = [models.Index(fields=["staff", "start", "end"])]
        constraints = [models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="absence_end_after_start")]

    def __str__(self) -> str:
        return f"{self.staff} — {self.get_kind_display()} {self.start:%d/%m/%Y}–{self.end:%d/%m/%Y}"


class DelegationScope(models.TextChoices):
    """What an acting-for delegation covers. ALL covers every other scope."""

    ALL = "all", _("Toàn bộ công việc")
    RUN_OFFICE = "run_office", _("Điều hành hoạt động của cơ quan")
    HANDLE = "handle", _("Xử lý văn bản, hồ sơ")
    SIGN = "sign", _("Ký văn bản")


class Delegation(models.Model):
    """Delegation  # ủy quyền / phân công làm thay: deputy acts for principal, in a scope, for dates."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="delegations")
    principal = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="delegations_given")
    deputy = models.ForeignKey(Staff, on_delete=models.CASCADE, related_name="delegations_received")
    scope = models.CharField(_("phạm vi"), max_length=20, choices=DelegationScope.choices)
    start = models.DateField(_("từ ngày"))
    end = models.DateField(_("đến hết ngày"))
    reason = models.CharField(_("lý do"), max_length=500, blank=True)
    absence = models.ForeignKey(Absence, on_delete=models.SET_NULL, null=True, blank=True, related_name="delegations")
    is_revoked = models.BooleanField(_("đã thu hồi"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ủy quyền")
        verbose_name_plural = _("ủy quyền")
        ordering = ["-start"]
        indexes = [models.Index(fields=["principal", "start", "end"])]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="delegation_end_after_start"),
            models.CheckConstraint(condition=~Q(principal=models.F("deputy")), name="delegation_not_to_self"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} làm thay {self.principal} ({self.get_scope_display()})"


class CalendarOverrideKind(models.TextChoices):
    DAY_OFF = "day_off", _("Ngày nghỉ thêm")
    WORKING_DAY = "working_day", _("Ngày làm việc bù")


class CalendarOverride(models.Model):
    """CalendarOverride  # ngày nghỉ/làm bù do tỉnh quyết định, beyond the national calendar."""

    date = models.DateField(_("ngày"), unique=True)
    kind = models.CharField(_("loại"), max_length=20, choices=CalendarOverrideKind.choices)
    reason = models.CharField(_("lý do / căn cứ"), max_length=255)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("điều chỉnh lịch làm việc")
        verbose_name_plural = _("điều chỉnh lịch làm việc")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date:%d/%m/%Y}: {self.get_kind_display()}"


class Heartbeat(models.Model):
    """The last time a background job ran; /healthz reads it to know the worker is alive."""

    name = models.CharField(max_length=50, unique=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} @ {self.at:%H:%M:%S %d/%m/%Y}"
