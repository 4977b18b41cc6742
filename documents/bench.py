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
    "phòng chống lũ lụt",
]  # fmt: skip
SENDERS = [
    "Sở Tài chính", "Sở Kế hoạch và Đầu tư", "Sở Nội vụ", "Sở Xây dựng", "Sở Giao thông vận tải",
    "UBND huyện Kỳ Anh", "UBND huyện Hương Khê", "UBND thành phố Hà Tĩnh", "Văn phòng Chính phủ",
    "Bộ Tài chính", "Công an tỉnh", "Sở Y tế", "Sở Giáo dục và Đào tạo", "Thanh tra tỉnh",
]  # fmt: skip


MINIMUM_DOCUMENTS = 500  # at the smallest scales (tests, smoke runs): 50 a year


def _summary(rng) -> str:
    return " ".join(rng.sample(WORDS, 6))


@register_generator(order=30)
def incoming_documents(ctx: Context) -> None:
    """Ten years of incoming documents (ctx.n(500_000)), three route steps each (distribution by
    the Chánh, a lead specialist, a coordinating specialist) and the guardian visibility rows of
    the people named on them. 2% confidential (own register); the last 45 days still open, with
    one open document in twenty led by the focus specialist ht.kinhte.cv1 (a realistic inbox of a
    few hundred items). Loaded with COPY, indexes rebuilt afterwards (bench.bulk)."""
    from django.contrib.auth.models import Permission
    from django.utils import timezone

    from bench import bulk
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
    from office.models import Position, Post, Staff

    ensure_document_types()
    org, rng = ctx.organisation, ctx.rng
    total = ctx.n(500_000, minimum=MINIMUM_DOCUMENTS)
    years = list(range(timezone.localdate().year - 9, timezone.localdate().year + 1))
    per_year = total // len(years)
    types = list(DocumentType.objects.all())
    clerk = Staff.objects.get(user__username="ht.vanthu1")
    chanh = Staff.objects.get(user__username="ht.chanhvp")
    specialists = list(
        Post.objects.filter(staff__organisation=org, position__in=[Position.CHUYEN_VIEN, Position.NHAN_VIEN])
        .select_related("staff")
        .order_by("pk")
    )
    focus = Staff.objects.get(user__username="ht.kinhte.cv1")
    focus_post = Post.objects.select_related("staff").get(staff=focus)
    heads = {p.unit_id: p.staff_id for p in Post.objects.filter(unit__organisation=org, position=Position.TRUONG_PHONG)}
    perm_id = Permission.objects.get(codename="view_incomingdocument").pk
    tz = timezone.get_current_timezone()
    today = timezone.localdate()
    urgencies = ["thuong"] * 90 + ["khan"] * 6 + ["thuong_khan"] * 3 + ["hoa_toc"]
    # The search column is normalise() of "number symbol sender summary type"; normalise() works
    # word by word, so the normalised pieces are joined instead of normalising 500,000 strings.
    n_words = {w: normalise(w) for w in WORDS}
    n_senders = {s: normalise(s) for s in SENDERS}
    n_types = {t.pk: normalise(t.name) for t in types}
    abbrs = {t.pk: t.abbreviation or "UBND" for t in types}
    n_abbrs = {t.pk: normalise(abbrs[t.pk]) for t in types}
    doc_cols = [
        "id", "organisation_id", "register_id", "number", "received_at", "sender", "symbol", "issued_date",
        "doc_type_id", "summary", "urgency", "urgency_rank", "confidentiality", "status", "result", "closed_at",
        "registered_by_id", "registered_at", "search_text",
    ]  # fmt: skip
    step_cols = [
        "id", "document_id", "kind", "role", "holder_id", "unit_id", "deadline", "state", "urgency_rank",
        "done_at", "acted_by_id", "assigned_by_id", "created_at",
    ]  # fmt: skip
    perm_cols = ["id", "content_object_id", "user_id", "permission_id"]
    doc_ids = iter(bulk.reserve_ids(IncomingDocument, per_year * len(years)))
    step_ids = iter(bulk.reserve_ids(Assignment, 3 * per_year * len(years)))
    perm_ids = iter(bulk.reserve_ids(IncomingDocumentUserObjectPermission, 4 * per_year * len(years)))
    hour = dt.timedelta(hours=1)
    timings: dict[str, float] = {}
    last_doc = None
    with bulk.loading(IncomingDocument, Assignment, IncomingDocumentUserObjectPermission, timings=timings):
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
            start = dt.datetime(year, 1, 1, 7, 0, tzinfo=tz)
            docs, steps, perms = [], [], []
            for minute in offsets:
                received = start + dt.timedelta(minutes=minute)
                received_day = received.date()
                conf = rng.random() < 0.02
                urgency = rng.choice(urgencies)
                rank = URGENCY_RANK[urgency]
                doc_type = rng.choice(types)
                sender = rng.choice(SENDERS)
                serial, office_code = rng.randrange(1, 3000), rng.choice(["TH", "NS", "KT"])
                symbol = f"{serial}/{abbrs[doc_type.pk]}-{office_code}"
                words = rng.sample(WORDS, 6)
                summary = " ".join(words)
                number = numbers[conf]
                numbers[conf] += 1
                open_doc = (today - received_day).days < 45
                search_text = " ".join(
                    [
                        str(number), f"{serial}/{n_abbrs[doc_type.pk]}-{office_code.lower()}", n_senders[sender],
                        *(n_words[w] for w in words), n_types[doc_type.pk],
                    ]
                )  # fmt: skip
                if last_doc is None:  # the shortcut must give what registration gives
                    assert search_text == normalise(f"{number} {symbol} {sender} {summary} {doc_type.name}")
                doc_id = next(doc_ids)
                last_doc = doc_id
                docs.append(
                    (
                        doc_id, org.pk, registers[conf].pk, number, received, sender, symbol,
                        received_day - dt.timedelta(days=rng.randrange(1, 5)), doc_type.pk, summary, urgency, rank,
                        "mat" if conf else "thuong", "assigned" if open_doc else "done", "" if open_doc else "filed",
                        None if open_doc else received + 2 * 24 * hour, clerk.pk, received + hour, search_text,
                    )
                )  # fmt: skip
                post = focus_post if open_doc and rng.random() < 0.05 else rng.choice(specialists)
                coordinator = rng.choice(specialists)
                deadline = received_day + dt.timedelta(days=rng.randrange(3, 20))
                done = None if open_doc else received + 2 * 24 * hour
                steps += [
                    (next(step_ids), doc_id, "distribute", "", chanh.pk, None, received_day, "done", rank,
                     received + hour, chanh.pk, None, received + hour),
                    (next(step_ids), doc_id, "handle", "lead", post.staff_id, post.unit_id, deadline,
                     "open" if open_doc else "done", rank, done, None if open_doc else post.staff_id, chanh.pk,
                     received + 2 * hour),
                    (next(step_ids), doc_id, "handle", "coordinate", coordinator.staff_id, coordinator.unit_id,
                     deadline, "done", rank, received + 24 * hour, coordinator.staff_id,
                     heads.get(coordinator.unit_id, chanh.pk), received + 2 * hour),
                ]  # fmt: skip
                for holder in {clerk.user_id, chanh.user_id, post.staff.user_id, coordinator.staff.user_id}:
                    perms.append((next(perm_ids), doc_id, holder, perm_id))
            for conf, register in registers.items():
                register.next_number = numbers[conf]
                register.save(update_fields=["next_number"])
            bulk.copy_rows(IncomingDocument, doc_cols, docs)
            bulk.copy_rows(Assignment, step_cols, steps)
            bulk.copy_rows(IncomingDocumentUserObjectPermission, perm_cols, perms)
    ctx.ids["document"] = last_doc
    ctx.counts.update(
        incoming=IncomingDocument.objects.count(),
        assignments=Assignment.objects.count(),
        visibility_rows=IncomingDocumentUserObjectPermission.objects.count(),
        incoming_open_for_focus=Assignment.objects.filter(holder=focus, state="open").count(),
        incoming_indexes_rebuilt_s=timings.get("indexes_s", 0),
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
    Scenario("search", "Tìm không dấu (trang)", user="ht.vanthu1", path="/van-ban/den/?q=kinh+phi+lu+lut", order=22)
)  # the example: «kinh phi lu lut» finds «bổ sung kinh phí … phòng chống lũ lụt» (about 2.5% of all)
register_scenario(
    Scenario(
        "search_htmx",
        "Tìm kiếm khi gõ (htmx, chỉ các dòng)",
        user="ht.vanthu1",
        path="/van-ban/den/?q=cai+cach+hanh+chinh+dat+dai",
        headers={"HX-Request": "true"},
        order=22,
    )  # fmt: skip
)
register_scenario(
    Scenario(
        "search_rare",
        "Tìm một số ký hiệu hiếm",
        user="ht.vanthu1",
        path="/van-ban/den/?q=2999%2Fqd-kt",
        order=22,
    )  # fmt: skip
)  # few matches among 500,000: the trigram index, not a walk down the register
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
