"""Documents: registers, incoming documents (văn bản đến), their files, routing and timeline.

National practice: Nghị định 30/2020/NĐ-CP on công tác văn thư (../shared/spec/vn-standards.md
§1.2–1.5, 1.8). Rules are in documents/services/; these models hold data and invariants
(unique số đến per register, one current file version, never a deleted file).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from office.models import Organisation, Sector, Staff, Unit


class DocumentType(models.Model):
    """DocumentType  # tên loại văn bản (NĐ 30 Điều 7, Phụ lục III). Statutory abbreviations are fixed."""

    code = models.SlugField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên loại"), max_length=100)
    abbreviation = models.CharField(_("viết tắt"), max_length=10, blank=True)
    is_statutory = models.BooleanField(_("theo Nghị định 30"), default=False)
    order = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("loại văn bản")
        verbose_name_plural = _("loại văn bản")
        ordering = ["order", "name"]
        permissions = [("sign_on_authorisation", "Ký theo ủy quyền loại văn bản này")]

    def __str__(self) -> str:
        return self.name


class Direction(models.TextChoices):
    INCOMING = "incoming", _("Văn bản đến")
    OUTGOING = "outgoing", _("Văn bản đi")


class Register(models.Model):
    """Register  # sổ đăng ký: per organisation, direction and year; mật documents have their own.

    NĐ 30 Điều 15.2, 22.2: numbers run from 1 on 1 January in the order received; classified
    documents get a separate series. `next_number` is the counter, locked with
    SELECT … FOR UPDATE inside the registration transaction (peers.md §E.3).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="registers")
    direction = models.CharField(_("loại sổ"), max_length=10, choices=Direction.choices)
    year = models.PositiveIntegerField(_("năm"))
    confidential = models.BooleanField(_("sổ văn bản mật"), default=False)
    name = models.CharField(_("tên sổ"), max_length=150)
    next_number = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("sổ đăng ký")
        verbose_name_plural = _("sổ đăng ký")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "direction", "year", "confidential"], name="uniq_register_per_year"
            )
        ]

    def __str__(self) -> str:
        return self.name


class Urgency(models.TextChoices):
    """Độ khẩn (NĐ 30 PL I III.2.b). Order matters: most urgent first in every inbox."""

    THUONG = "thuong", _("Thường")
    KHAN = "khan", _("Khẩn")
    THUONG_KHAN = "thuong_khan", _("Thượng khẩn")
    HOA_TOC = "hoa_toc", _("Hỏa tốc")


URGENCY_RANK = {Urgency.THUONG: 0, Urgency.KHAN: 1, Urgency.THUONG_KHAN: 2, Urgency.HOA_TOC: 3}
#: Urgency levels that stand at the top of every inbox and notify the assignee at once (issue 3 §5).
TOP_URGENCIES = (Urgency.THUONG_KHAN, Urgency.HOA_TOC)


class Confidentiality(models.TextChoices):
    """Độ mật (Luật Bảo vệ bí mật nhà nước; NĐ 30 PL I III.2.a)."""

    THUONG = "thuong", _("Thường")
    MAT = "mat", _("Mật")
    TOI_MAT = "toi_mat", _("Tối mật")
    TUYET_MAT = "tuyet_mat", _("Tuyệt mật")


class IncomingStatus(models.TextChoices):
    """NĐ 30 Điều 20: tiếp nhận → đăng ký → trình → chuyển giao → giải quyết → hoàn thành."""

    PRESENTED = "presented", _("Chờ phân phối")
    ASSIGNED = "assigned", _("Đang giải quyết")
    DONE = "done", _("Hoàn thành")


class IncomingResult(models.TextChoices):
    """How the lead closes a document (issue 3 §3; 000 Điều 13.5 for «lưu theo dõi»)."""

    ANSWERED = "answered", _("Đã trả lời bằng văn bản đi")
    FILED = "filed", _("Lưu hồ sơ")
    FORWARDED = "forwarded", _("Chuyển cơ quan có thẩm quyền")
    TRACKED = "tracked", _("Lưu theo dõi (ngoài thẩm quyền)")


class IncomingDocument(models.Model):
    """IncomingDocument  # văn bản đến, with the fields of the Sổ đăng ký văn bản đến (NĐ 30 PL IV)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="incoming")
    register = models.ForeignKey(Register, on_delete=models.PROTECT, related_name="incoming")
    number = models.PositiveIntegerField(_("số đến"))
    received_at = models.DateTimeField(_("ngày, giờ đến"))
    sender = models.CharField(_("cơ quan ban hành"), max_length=255)
    symbol = models.CharField(_("số, ký hiệu"), max_length=60)
    issued_date = models.DateField(_("ngày văn bản"))
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, verbose_name=_("loại văn bản"))
    summary = models.TextField(_("trích yếu"))
    urgency = models.CharField(_("độ khẩn"), max_length=15, choices=Urgency.choices, default=Urgency.THUONG)
    urgency_rank = models.PositiveSmallIntegerField(default=0, editable=False)
    confidentiality = models.CharField(
        _("độ mật"), max_length=15, choices=Confidentiality.choices, default=Confidentiality.THUONG
    )
    pages = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    sender_deadline = models.DateField(_("hạn xử lý theo văn bản"), null=True, blank=True)
    sector = models.ForeignKey(
        Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("lĩnh vực")
    )
    status = models.CharField(
        _("trạng thái"), max_length=15, choices=IncomingStatus.choices, default=IncomingStatus.PRESENTED
    )
    result = models.CharField(_("kết quả"), max_length=15, choices=IncomingResult.choices, blank=True)
    result_note = models.TextField(_("ghi chú kết quả"), blank=True)
    answered_by_symbol = models.CharField(_("số, ký hiệu văn bản trả lời"), max_length=60, blank=True)
    closed_at = models.DateTimeField(_("hoàn thành lúc"), null=True, blank=True)
    # 000 Điều 11.9 (L168): received directly and handled first at a leader's instruction, registered afterwards.
    handled_before_registration = models.BooleanField(_("đã xử lý trước khi vào sổ"), default=False)
    late_registration_reason = models.CharField(_("lý do vào sổ sau"), max_length=500, blank=True)
    registered_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="registered_incoming")
    registered_at = models.DateTimeField(_("vào sổ lúc"), auto_now_add=True)
    notes = models.CharField(_("ghi chú"), max_length=500, blank=True)
    # Lower-case text without diacritics of number, symbol, sender and summary: the search column
    # (trigram-indexed on PostgreSQL, plain on SQLite). Kept by documents.services.search.
    search_text = models.TextField(editable=False, default="")
    history = HistoricalRecords(excluded_fields=["search_text"])

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        permissions = [("register_incoming", "Vào sổ văn bản đến")]
        constraints = [models.UniqueConstraint(fields=["register", "number"], name="uniq_incoming_number")]
        indexes = [
            models.Index(fields=["register", "-number"], name="incoming_register_number"),
            models.Index(fields=["organisation", "status", "-received_at"], name="incoming_org_status"),
            models.Index(fields=["sender", "symbol", "issued_date"], name="incoming_duplicate"),
        ]

    def __str__(self) -> str:
        return f"{self.number} — {self.symbol}"

    @property
    def is_confidential(self) -> bool:
        return self.confidentiality != Confidentiality.THUONG

    @property
    def is_top_urgent(self) -> bool:
        return self.urgency in TOP_URGENCIES


class IncomingDocumentUserObjectPermission(UserObjectPermissionBase):
    """Direct-FK guardian table: who has been named on a document (peers.md §D.5)."""

    content_object = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="user_perms")


class IncomingDocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="group_perms")


def _attachment_path(instance: Attachment, filename: str) -> str:
    return f"documents/{instance.sha256[:2]}/{instance.sha256}"


class Attachment(models.Model):
    """Attachment  # tệp văn bản. Never deleted; a new version supersedes the old one."""

    incoming = models.ForeignKey(
        IncomingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    outgoing = models.ForeignKey(
        "OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="files"
    )
    file = models.FileField(upload_to=_attachment_path, max_length=200)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    uploaded_by = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    superseded_by = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="supersedes"
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(incoming__isnull=False, outgoing__isnull=True)
                | Q(incoming__isnull=True, outgoing__isnull=False),
                name="attachment_belongs_to_one_document",
            )
        ]

    def __str__(self) -> str:
        return self.original_name


class AssignmentKind(models.TextChoices):
    DISTRIBUTE = "distribute", _("Phân phối, chỉ đạo")  # the office leader's step
    UNIT = "unit", _("Đơn vị giao việc")  # the unit head assigns a specialist
    HANDLE = "handle", _("Xử lý")  # a person handles (lead or coordinate)
    INFORM = "inform", _("Để biết")


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATE = "coordinate", _("Phối hợp")
    INFORM = "inform", _("Để biết")


class AssignmentState(models.TextChoices):
    OPEN = "open", _("Chờ xử lý")
    DONE = "done", _("Đã xong")
    CANCELLED = "cancelled", _("Đã hủy")


class Assignment(models.Model):
    """Assignment  # bước xử lý: who must act on a document, in what role, by when.

    The holder is the person named; whoever acts for them that day (office.services.
    delegation.acting_for) may act instead, and `acted_by` records who did.
    """

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="assignments")
    kind = models.CharField(max_length=12, choices=AssignmentKind.choices)
    role = models.CharField(max_length=12, choices=AssignmentRole.choices, blank=True)
    holder = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="incoming_assignments")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children")
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    deadline = models.DateField(_("hạn xử lý"), null=True, blank=True)
    state = models.CharField(max_length=10, choices=AssignmentState.choices, default=AssignmentState.OPEN)
    urgency_rank = models.PositiveSmallIntegerField(default=0)  # copied from the document for the inbox index
    assigned_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    done_at = models.DateTimeField(null=True, blank=True)
    acted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    note = models.TextField(_("ý kiến"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("bước xử lý")
        verbose_name_plural = _("bước xử lý")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["holder", "-urgency_rank", "deadline", "created_at"],
                condition=Q(state="open"),
                name="assignment_inbox",
            ),
            models.Index(fields=["document", "state"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} — {self.holder}"


class DocumentEvent(models.Model):
    """DocumentEvent  # nhật ký: the document's timeline, one line per action, who and on whose behalf."""

    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="+")
    on_behalf_of = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    action = models.CharField(max_length=30)
    text = models.TextField()

    class Meta:
        ordering = ["at", "pk"]

    def __str__(self) -> str:
        return self.text


class SigningCapacity(models.TextChoices):
    """Thẩm quyền ký (NĐ 30 PL I; vn-standards.md §1.9): own name, KT., TL., TUQ., Q."""

    OWN = "", _("Ký tên mình")
    KT = "KT", _("Ký thay (KT.)")
    TL = "TL", _("Thừa lệnh (TL.)")
    TUQ = "TUQ", _("Thừa ủy quyền (TUQ.)")
    Q = "Q", _("Quyền (Q.)")


class OutgoingStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    APPROVED = "approved", _("Đã duyệt, chờ ký")
    SIGNED = "signed", _("Đã ký, chờ phát hành")
    ISSUED = "issued", _("Đã phát hành")


class OutgoingDocument(models.Model):
    """OutgoingDocument  # văn bản đi: drafted, approved, signed in a capacity, numbered and issued.

    NĐ 30 Điều 15–18: the number is given after the signature, in one yearly series per
    register (mật documents separately); the symbol follows the office's style.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="outgoing")
    register = models.ForeignKey(Register, on_delete=models.PROTECT, null=True, blank=True, related_name="outgoing")
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    symbol = models.CharField(_("số, ký hiệu"), max_length=60, blank=True)
    doc_type = models.ForeignKey(DocumentType, on_delete=models.PROTECT, verbose_name=_("loại văn bản"))
    summary = models.TextField(_("trích yếu"))
    drafting_unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("đơn vị soạn"))
    drafter = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="drafted_outgoing")
    sector = models.ForeignKey(Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    urgency = models.CharField(_("độ khẩn"), max_length=15, choices=Urgency.choices, default=Urgency.THUONG)
    confidentiality = models.CharField(
        _("độ mật"), max_length=15, choices=Confidentiality.choices, default=Confidentiality.THUONG
    )
    status = models.CharField(_("trạng thái"), max_length=10, choices=OutgoingStatus.choices, default="draft")
    signer = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="signed_outgoing")
    signed_capacity = models.CharField(_("thẩm quyền ký"), max_length=4, choices=SigningCapacity.choices, blank=True)
    signed_for = models.ForeignKey(
        Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("ký thay cho")
    )
    #: «CHỦ TỊCH» when signed TL. for a principal outside the office (from SigningRule.principal_title).
    signed_for_title = models.CharField(_("thừa lệnh"), max_length=80, blank=True)
    signed_at = models.DateTimeField(_("ký lúc"), null=True, blank=True)
    recipients = models.JSONField(_("nơi nhận"), default=list, blank=True)
    retention = models.CharField(_("dòng lưu"), max_length=100, blank=True)  # «Lưu: VT, TH.»
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    issued_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    answers = models.ForeignKey(
        IncomingDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="replies"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "number"], condition=Q(number__isnull=False), name="uniq_outgoing_number"
            )
        ]
        indexes = [models.Index(fields=["organisation", "status", "-created_at"])]

    def __str__(self) -> str:
        return self.symbol or f"Dự thảo: {self.summary[:60]}"


class SigningRule(models.Model):
    """SigningRule  # thẩm quyền ký, loaded from the profile (rules.signing_matrix): who may sign
    which document types, in which capacity, on whose behalf, within which scope."""

    class Scope(models.TextChoices):
        ANY = "any", _("Mọi lĩnh vực")
        OWN_SECTOR = "own_sector", _("Lĩnh vực, đơn vị được phân công phụ trách")

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="signing_rules")
    position = models.CharField(_("chức vụ"), max_length=30)
    unit_code = models.CharField(_("đơn vị"), max_length=60, blank=True)  # e.g. only the head of hctc
    capacity = models.CharField(_("thẩm quyền"), max_length=4, choices=SigningCapacity.choices, blank=True)
    on_behalf_of = models.CharField(_("thay cho chức vụ"), max_length=30, blank=True)  # chanh_vp for KT./TL.
    #: A principal outside the office the signer signs for («TL. CHỦ TỊCH», «T/L BAN THƯỜNG VỤ»), printed as is;
    #: from the profile's rules.signing_for_principal. Empty for the office's own signing matrix.
    principal_title = models.CharField(_("thừa lệnh (lãnh đạo, tập thể ngoài Văn phòng)"), max_length=80, blank=True)
    doc_types = models.ManyToManyField(DocumentType, blank=True, verbose_name=_("loại văn bản (trống = mọi loại)"))
    scope = models.CharField(_("phạm vi"), max_length=12, choices=Scope.choices, default=Scope.ANY)
    when_principal_absent = models.BooleanField(_("khi người có thẩm quyền vắng mặt"), default=False)
    needs_authorisation = models.BooleanField(_("cần ủy quyền"), default=False)
    source = models.CharField(_("căn cứ"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("thẩm quyền ký")
        verbose_name_plural = _("thẩm quyền ký")
        permissions = [("authorise_signing", "Ủy quyền ký văn bản")]

    def __str__(self) -> str:
        return f"{self.position} {self.capacity or 'ký'} ({self.source})"


class DocumentTypeUserObjectPermission(UserObjectPermissionBase):
    """Standing signing authorisations: guardian permission `sign_on_authorisation` on a document
    type for a person (e.g. the head of HC-TC signing TL. routine papers while authorised)."""

    content_object = models.ForeignKey(DocumentType, on_delete=models.CASCADE, related_name="user_perms")


class SubmissionStatus(models.TextChoices):
    IN_PROGRESS = "in_progress", _("Đang trình")
    RETURNED = "returned", _("Trả lại để chỉnh sửa")
    APPROVED = "approved", _("Đã duyệt")
    REJECTED = "rejected", _("Không duyệt")


class Submission(models.Model):
    """Submission  # hồ sơ trình + phiếu trình: a specialist's proposal and its draft, going up the route.

    Every opinion of every round stays on the sheet; a return creates a new round and a new
    draft version (issue 4 §1)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="submissions")
    title = models.CharField(_("tiêu đề"), max_length=300)
    summary = models.TextField(_("tóm tắt nội dung, đề xuất của chuyên viên"))
    disagreements = models.TextField(_("ý kiến còn khác nhau"), blank=True)  # 000 Điều 12.3, 16.6
    drafter = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="submissions")
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+")
    sector = models.ForeignKey(Sector, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    incoming = models.ForeignKey(
        IncomingDocument, on_delete=models.SET_NULL, null=True, blank=True, related_name="submissions"
    )
    outgoing = models.OneToOneField(
        OutgoingDocument, on_delete=models.PROTECT, null=True, blank=True, related_name="submission"
    )
    status = models.CharField(max_length=12, choices=SubmissionStatus.choices, default=SubmissionStatus.IN_PROGRESS)
    round = models.PositiveSmallIntegerField(_("lần trình"), default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phiếu trình")
        verbose_name_plural = _("phiếu trình")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.title


class StepMode(models.TextChoices):
    """How many opinions a step needs (peers.md §A.3): all, any one, or M of N."""

    ALL = "all", _("Tất cả")
    ANY = "any", _("Một người bất kỳ")
    M_OF_N = "m_of_n", _("M trong N người")


class StepKind(models.TextChoices):
    UNIT_HEAD = "unit_head", _("Lãnh đạo đơn vị")
    COORDINATION = "coordination", _("Đơn vị phối hợp")
    OFFICE_LEADER = "office_leader", _("Phó Chánh Văn phòng phụ trách")
    CHANH = "chanh", _("Chánh Văn phòng")
    PRINCIPAL = "principal", _("Lãnh đạo cấp trên")


class SubmissionStep(models.Model):
    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="steps")
    round = models.PositiveSmallIntegerField(default=1)
    order = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=15, choices=StepKind.choices)
    mode = models.CharField(max_length=8, choices=StepMode.choices, default=StepMode.ALL)
    required = models.PositiveSmallIntegerField(default=1)  # for M of N
    state = models.CharField(max_length=10, default="waiting")  # waiting, open, done, returned, rejected, skipped
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "order"]
        constraints = [models.UniqueConstraint(fields=["submission", "round", "order"], name="uniq_step_order")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} (lần {self.round})"


class Opinion(models.Model):
    """Opinion  # ý kiến: one required opinion (a seat) on a step, and what its holder decided."""

    class Decision(models.TextChoices):
        APPROVE = "approve", _("Đồng ý")
        RETURN = "return", _("Trả lại")
        REJECT = "reject", _("Không đồng ý")

    step = models.ForeignKey(SubmissionStep, on_delete=models.CASCADE, related_name="opinions")
    holder = models.ForeignKey(Staff, on_delete=models.PROTECT, related_name="submission_opinions")
    decision = models.CharField(max_length=8, choices=Decision.choices, blank=True)
    opinion = models.TextField(_("ý kiến"), blank=True)
    implied = models.BooleanField(default=False)  # 000 Điều 6.3: no opinion = agrees with the specialist
    reserved = models.BooleanField(_("bảo lưu ý kiến"), default=False)
    acted_by = models.ForeignKey(Staff, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["holder", "decision"])]

    def __str__(self) -> str:
        return f"{self.holder}: {self.get_decision_display() or 'chờ'}"
