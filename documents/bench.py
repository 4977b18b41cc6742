"""Benchmark data and scenarios for documents (issue 3 and 4 performance sections).

At scale 1: ten years of a large provincial office — 500,000 incoming documents and
1,500,000 route steps (with their guardian visibility rows), 2% of them confidential —
and 20,000 approval sheets waiting for the Chánh. Scenarios: a specialist's inbox, the
clerk's register, search without diacritics, a document page, the API list, approving a
step, and rendering a phiếu trình PDF; raw-SQL twin of the inbox for the framework ratio.
"""

from __future__ import annotations

import datetime as dt
import json

from bench.registry import Context, Request, Scenario, register_generator, register_raw, register_scenario

WORDS = [
    "Về việc", "triển khai", "kế hoạch", "phòng chống thiên tai", "đầu tư công", "ngân sách", "năm 2026",
    "cải cách hành chính", "xây dựng nông thôn mới", "bổ sung kinh phí", "đề nghị", "báo cáo", "kết quả",
    "thẩm định", "dự án", "đường giao thông", "trường học", "bệnh viện", "Quyết định", "phê duyệt",
    "điều chỉnh", "quy hoạch", "đất đai", "tài nguyên", "môi trường", "Đắk Lắk", "Hà Tĩnh", "tiếp công dân",
    "khiếu nại", "tố cáo", "an toàn giao thông", "chuyển đổi số", "thi đua khen thưởng", "tuyển dụng",
]  # fmt: skip
SENDERS = [
    "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Nội vụ", "Sở Xây dựng", "Sở Giao thông vận tải",
    "UBND huyện Kỳ Anh", "UBND huyện Hương Khê", "UBND thành phố Hà Tĩnh", "Văn phòng Chính phủ",
    "Bộ Tài chính", "Công an tỉnh", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Thanh tra tỉnh",
]  # fmt: skip


def _summary(rng) -> str:
    return " ".join(rng.sample(WORDS, 6))


@register_generator(order=30)
def incoming_documents(ctx: Context) -> None:
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from documents.catalogue import ensure_document_types
    from documents.models import (
        URGENCY_RANK,
        Assignment,
        DocumentType,
        IncomingDocument,
        IncomingDocumentUserObjectPermission,
        Register,
    )
    from documents.services.search import normalise
    from office.models import Position, Post, Staff, Unit

    ensure_document_types()
    org, rng = ctx.organisation, ctx.rng
    total = ctx.n(500_000, minimum=2000)
    years = list(range(timezone.localdate().year - 9, timezone.localdate().year + 1))
    per_year = total // len(years)
    types = list(DocumentType.objects.all())
    clerk = Staff.objects.get(user__username="ht.vanthu1")
    chanh = Staff.objects.get(user__username="ht.chanhvp")
    specialists = list(
        Post.objects.filter(staff__organisation=org, position__in=[Position.CHUYEN_VIEN, Position.NHAN_VIEN])
        .select_related("staff", "unit")
        .order_by("pk")
    )
    focus = Staff.objects.get(user__username="ht.kinhte.cv1")
    focus_post = Post.objects.get(staff=focus)
    heads = {p.unit_id: p.staff for p in Post.objects.filter(unit__organisation=org, position=Position.TRUONG_PHONG)}
    units = {u.pk: u for u in Unit.objects.filter(organisation=org)}
    perm_id = Permission.objects.get(codename="view_incomingdocument").pk
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    urgencies = ["thuong"] * 90 + ["khan"] * 6 + ["thuong_khan"] * 3 + ["hoa_toc"]
    for year in years:
        registers = {
            conf: Register.objects.get_or_create(
                organisation=org,
                direction="incoming",
                year=year,
                confidential=conf,
                defaults={"name": f"Sổ đăng ký văn bản đến{' mật' if conf else ''} năm {year}"},
            )[0]  # fmt: skip
            for conf in (False, True)
        }
        numbers = {False: registers[False].next_number, True: registers[True].next_number}
        last_day = min(dt.date(year, 12, 31), today - dt.timedelta(days=1))
        span = (last_day - dt.date(year, 1, 1)).days or 1
        offsets = sorted(rng.randrange(span * 24 * 60) for _ in range(per_year))
        docs = []
        for minute in offsets:
            received = dt.datetime(year, 1, 1, 7, 0, tzinfo=tz) + dt.timedelta(minutes=minute)
            conf = rng.random() < 0.02
            urgency = rng.choice(urgencies)
            doc_type = rng.choice(types)
            sender = rng.choice(SENDERS)
            symbol = f"{rng.randrange(1, 3000)}/{doc_type.abbreviation or 'UBND'}-{rng.choice(['TH', 'NS', 'KT'])}"
            summary = _summary(rng)
            number = numbers[conf]
            numbers[conf] += 1
            open_doc = (today - received.date()).days < 45
            docs.append(
                IncomingDocument(
                    organisation=org,
                    register=registers[conf],
                    number=number,
                    received_at=received,
                    sender=sender,
                    symbol=symbol,
                    issued_date=received.date() - dt.timedelta(days=rng.randrange(1, 5)),
                    doc_type=doc_type,
                    summary=summary,
                    urgency=urgency,
                    urgency_rank=URGENCY_RANK[urgency],
                    confidentiality="mat" if conf else "thuong",
                    status="assigned" if open_doc else "done",
                    result="" if open_doc else "filed",
                    registered_by=clerk,
                    search_text=normalise(f"{number} {symbol} {sender} {summary} {doc_type.name}"),
                )  # fmt: skip
            )
        for conf, register in registers.items():
            register.next_number = numbers[conf]
            register.save(update_fields=["next_number"])
        created = IncomingDocument.objects.bulk_create(docs, batch_size=5000)
        steps, perms = [], []
        for doc in created:
            received_day = doc.received_at.date()
            open_doc = doc.status == "assigned"
            post = focus_post if open_doc and rng.random() < 0.05 else rng.choice(specialists)
            coordinator = rng.choice(specialists)
            deadline = received_day + dt.timedelta(days=rng.randrange(3, 20))
            done = None if open_doc else doc.received_at + dt.timedelta(days=2)
            steps += [
                Assignment(document=doc, kind="distribute", holder=chanh, state="done", urgency_rank=doc.urgency_rank,
                           deadline=received_day, done_at=doc.received_at, acted_by=chanh),
                Assignment(document=doc, kind="handle", role="lead", holder=post.staff, unit=units[post.unit_id],
                           deadline=deadline, state="open" if open_doc else "done", urgency_rank=doc.urgency_rank,
                           done_at=done, acted_by=None if open_doc else post.staff, assigned_by=chanh),
                Assignment(document=doc, kind="handle", role="coordinate", holder=coordinator.staff,
                           unit=units[coordinator.unit_id], deadline=deadline, state="done",
                           urgency_rank=doc.urgency_rank, done_at=doc.received_at + dt.timedelta(days=1),
                           acted_by=coordinator.staff, assigned_by=heads.get(coordinator.unit_id, chanh)),
            ]  # fmt: skip
            for holder in {clerk.user_id, chanh.user_id, post.staff.user_id, coordinator.staff.user_id}:
                perms.append(
                    IncomingDocumentUserObjectPermission(content_object=doc, user_id=holder, permission_id=perm_id)
                )
        Assignment.objects.bulk_create(steps, batch_size=10000)
        IncomingDocumentUserObjectPermission.objects.bulk_create(perms, batch_size=10000)
        ctx.ids.setdefault("document", created[-1].pk)
        ctx.ids["document"] = created[-1].pk
    ctx.counts.update(
        incoming=IncomingDocument.objects.count(),
        assignments=Assignment.objects.count(),
        visibility_rows=IncomingDocumentUserObjectPermission.objects.count(),
    )


@register_generator(order=40)
def waiting_sheets(ctx: Context) -> None:
    """Approval sheets at their last step, waiting for the Chánh: one per approve request."""
    from django.utils import timezone

    from documents.models import Opinion, Submission, SubmissionStep
    from office.models import Staff, Unit

    org = ctx.organisation
    n = ctx.n(20_000, minimum=500)
    drafter = Staff.objects.get(user__username="ht.tonghop.cv1")
    head = Staff.objects.get(user__username="ht.tonghop.truong")
    chanh = Staff.objects.get(user__username="ht.chanhvp")
    unit = Unit.objects.get(organisation=org, code="tonghop")
    now = timezone.now()
    subs = Submission.objects.bulk_create(
        [
            Submission(
                organisation=org,
                title=f"Phiếu trình số {i}: {_summary(ctx.rng)}",
                summary="Đề nghị ký ban hành.",
                drafter=drafter,
                unit=unit,
            )  # fmt: skip
            for i in range(n)
        ],
        batch_size=5000,
    )
    steps = []
    for sub in subs:
        steps.append(
            SubmissionStep(submission=sub, order=1, kind="unit_head", state="done", opened_at=now, closed_at=now)
        )
        steps.append(SubmissionStep(submission=sub, order=2, kind="chanh", state="open", opened_at=now))
    steps = SubmissionStep.objects.bulk_create(steps, batch_size=10000)
    Opinion.objects.bulk_create(
        [
            Opinion(step=s, holder=head, decision="approve", opinion="Kính trình", acted_by=head, at=now)
            if s.order == 1
            else Opinion(step=s, holder=chanh)
            for s in steps
        ],
        batch_size=10000,
    )
    ctx.ids["sheets"] = [s.pk for s in subs]
    ctx.counts.update(sheets=Submission.objects.count())


def _approve_requests(ctx: Context, count: int) -> list[Request]:
    sheets = ctx.ids.get("sheets", [])[1:]  # the first one is used for the PDF scenario
    return [
        Request("POST", f"/api/v1/submissions/{pk}/decide/", json.dumps({"decision": "approve"}), "application/json")
        for pk in sheets[:count]
    ]


register_scenario(
    Scenario(
        "inbox",
        "Văn bản chờ xử lý (chuyên viên)",
        user="ht.kinhte.cv1",
        path="/van-ban/cho-xu-ly/",
        order=20,
        raw="inbox",
    )  # fmt: skip
)
register_scenario(Scenario("register", "Sổ văn bản đến (văn thư)", user="ht.vanthu1", path="/van-ban/den/", order=21))
register_scenario(
    Scenario(
        "search",
        "Tìm kiếm không dấu",
        user="ht.vanthu1",
        path="/van-ban/den/?q=cai+cach+hanh+chinh+dat+dai",
        headers={"HX-Request": "true"},
        order=22,
    )  # fmt: skip
)
register_scenario(
    Scenario(
        "document",
        "Trang văn bản đến",
        user="ht.vanthu1",
        path=lambda ctx: f"/van-ban/den/{ctx.ids['document']}/",
        order=23,
    )  # fmt: skip
)
register_scenario(
    Scenario(
        "api_incoming",
        "API tìm văn bản đến",
        user="ht.vanthu1",
        path="/api/v1/incoming/?q=dau+tu+cong",
        auth="token",
        order=24,
    )  # fmt: skip
)
register_scenario(
    Scenario(
        "approve",
        "Duyệt một bước phiếu trình (API)",
        user="ht.chanhvp",
        auth="token",
        requests=_approve_requests,
        order=25,
    )  # fmt: skip
)
register_scenario(
    Scenario(
        "sheet_pdf",
        "In phiếu trình (PDF)",
        user="ht.chanhvp",
        path=lambda ctx: f"/van-ban/trinh/{ctx.ids['sheets'][0]}/phieu.pdf",
        order=26,
    )  # fmt: skip
)

_INBOX_SQL = """
SELECT a.id, a.kind, a.role, a.deadline, d.id, d.number, d.symbol, d.summary, d.urgency, d.sender
FROM documents_assignment a JOIN documents_incomingdocument d ON d.id = a.document_id
WHERE a.state = 'open' AND a.holder_id = %s
ORDER BY a.urgency_rank DESC, a.deadline ASC NULLS LAST, a.created_at
LIMIT 200
"""


@register_raw("inbox")
def raw_inbox(cursor, user_id: int) -> bytes:
    """The specialist's inbox query (without acting-for) in plain SQL, as JSON."""
    cursor.execute("SELECT id FROM office_staff WHERE user_id = %s", [user_id])
    staff_id = cursor.fetchone()[0]
    cursor.execute(_INBOX_SQL, [staff_id])
    rows = [
        {
            "step": r[0],
            "kind": r[1],
            "role": r[2],
            "deadline": r[3].isoformat() if r[3] else None,
            "document": r[4],
            "number": r[5],
            "symbol": r[6],
            "summary": r[7],
            "urgency": r[8],
            "sender": r[9],
        }  # fmt: skip
        for r in cursor.fetchall()
    ]
    return json.dumps(rows, ensure_ascii=False).encode()
