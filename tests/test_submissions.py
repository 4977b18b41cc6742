"""Phiếu trình: routes, opinions, returns, multi-opinion steps (issue 4 §1; 000 Điều 6.3, 10.5, 11.6, 12.3)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from config.api import Conflict
from documents.models import DocumentType, Opinion, StepKind, StepMode
from documents.services import outgoing, submissions
from documents.services.submissions import StepSpec
from office.models import Unit
from office.services.delegation import record_absence

from .incoming_helpers import docx, pdf


def _submit(person, drafter="ht.tonghop.cv1", **kw):
    kw.setdefault("title", "Dự thảo Quyết định ban hành Quy chế làm việc sửa đổi")
    kw.setdefault("summary", "Đề nghị Chánh Văn phòng ký ban hành Quyết định.")
    kw.setdefault("doc_type", DocumentType.objects.get(code="quyet_dinh"))
    kw.setdefault("draft", docx())
    return submissions.submit(person(drafter), **kw)


def _step_holders(sub):
    return [(s.kind, [o.holder.user.username for o in s.opinions.all()]) for s in sub.steps.filter(round=sub.round)]


def test_default_route_runs_head_then_supervising_pho_chanh_then_chanh(hatinh, person):
    sub = _submit(person)
    assert _step_holders(sub) == [
        (StepKind.UNIT_HEAD, ["ht.tonghop.truong"]),
        (StepKind.OFFICE_LEADER, ["ht.pcvp1"]),
        (StepKind.CHANH, ["ht.chanhvp"]),
    ]
    assert sub.outgoing is not None and sub.outgoing.status == "draft"


def test_office_leaders_act_only_after_the_unit_heads_opinion(hatinh, person):
    """000 Điều 11.6 (L164): a specialist's route may not reach the office leaders before the head."""
    with pytest.raises(ValidationError) as exc:
        _submit(person, route=[person("ht.pcvp1"), person("ht.chanhvp")])
    assert "Điều 11 khoản 6" in exc.value.message_dict["route"][0]
    sub = _submit(person, route=[person("ht.tonghop.pho"), person("ht.chanhvp")])  # the deputy head is fine
    assert [k for k, _ in _step_holders(sub)] == [StepKind.UNIT_HEAD, StepKind.CHANH]


def test_the_leader_cannot_decide_before_the_head(hatinh, person):
    sub = _submit(person)
    with pytest.raises(Conflict):
        submissions.decide(sub, person("ht.pcvp1"), "approve")


def test_full_approval_makes_the_draft_ready_to_sign(hatinh, person):
    sub = _submit(person)
    submissions.decide(sub, person("ht.tonghop.truong"), "approve", "Đề nghị Lãnh đạo Văn phòng xem xét")
    submissions.decide(sub, person("ht.pcvp1"), "approve")
    sub = submissions.decide(sub, person("ht.chanhvp"), "approve", "Đồng ý")
    assert sub.status == "approved"
    sub.outgoing.refresh_from_db()
    assert sub.outgoing.status == "approved"
    outgoing.sign(sub.outgoing, person("ht.chanhvp"), "")


def test_pho_chanh_approving_without_opinion_agrees_with_the_specialist(hatinh, person):
    """000 Điều 6.3 (L86): «nếu không ghi ý kiến coi như đồng ý với ý kiến của chuyên viên trình»."""
    sub = _submit(person)
    submissions.decide(sub, person("ht.tonghop.truong"), "approve", "Đồng ý")
    submissions.decide(sub, person("ht.pcvp1"), "approve", "")
    seat = Opinion.objects.get(holder=person("ht.pcvp1"))
    assert seat.implied and "Đồng ý với đề xuất của chuyên viên" in seat.opinion


def test_a_decided_or_foreign_step_is_a_conflict(hatinh, person):
    sub = _submit(person)
    submissions.decide(sub, person("ht.tonghop.truong"), "approve", "OK")
    with pytest.raises(Conflict):
        submissions.decide(sub, person("ht.tonghop.truong"), "approve", "lần nữa")
    with pytest.raises(Conflict):
        submissions.decide(sub, person("ht.kinhte.truong"), "approve")


def test_return_creates_a_new_round_and_version_and_keeps_every_opinion(hatinh, person):
    sub = _submit(person)
    with pytest.raises(ValidationError, match="lý do"):
        submissions.decide(sub, person("ht.tonghop.truong"), "return", "")
    submissions.decide(sub, person("ht.tonghop.truong"), "return", "Bổ sung căn cứ pháp lý")
    with pytest.raises(Conflict):
        submissions.decide(sub, person("ht.pcvp1"), "approve")
    sub = submissions.resubmit(sub, person("ht.tonghop.cv1"), draft=docx("du-thao-v2.docx"))
    assert sub.round == 2 and sub.status == "in_progress"
    files = list(sub.outgoing.files.order_by("pk"))
    assert len(files) == 2 and files[0].superseded_by == files[1]
    assert Opinion.objects.filter(step__round=1, opinion="Bổ sung căn cứ pháp lý").exists()
    assert submissions.current_step(sub).kind == StepKind.UNIT_HEAD


def test_reject_ends_the_sheet(hatinh, person):
    sub = _submit(person)
    sub = submissions.decide(sub, person("ht.tonghop.truong"), "reject", "Không thuộc thẩm quyền")
    assert sub.status == "rejected"
    with pytest.raises(Conflict):
        submissions.resubmit(sub, person("ht.tonghop.cv1"))


def test_disagreements_and_a_reserved_opinion_stay_on_the_sheet(hatinh, person):
    """000 Điều 12.3, 16.6: where the agency or a coordinating unit still disagrees, it is recorded."""
    sub = _submit(person, disagreements="Sở Tài chính đề nghị giảm kinh phí; chuyên viên giữ nguyên đề xuất.")
    submissions.decide(sub, person("ht.tonghop.truong"), "approve", "Bảo lưu: cần thêm 10 ngày", reserved=True)
    sub.refresh_from_db()
    assert "Sở Tài chính" in sub.disagreements
    assert Opinion.objects.get(holder=person("ht.tonghop.truong")).reserved


@pytest.mark.parametrize(("mode", "required", "approvals_to_pass"), [("all", 3, 3), ("any", 1, 1), ("m_of_n", 2, 2)])
def test_a_step_can_need_all_any_or_m_of_n_opinions(hatinh, person, mode, required, approvals_to_pass):
    heads = [person("ht.kinhte.truong"), person("ht.noichinh.truong"), person("ht.vhxh.truong")]
    unit = Unit.objects.get(code="tonghop")
    drafter = person("ht.tonghop.truong")
    steps = [StepSpec(StepKind.COORDINATION, heads, mode, required), StepSpec(StepKind.CHANH, [person("ht.chanhvp")])]
    submissions.validate_route(drafter, unit, steps)
    sub = submissions.submit(drafter, title="Báo cáo", summary="Xin ý kiến", route=[person("ht.chanhvp")])
    # replace the route with the multi-opinion one for this test
    sub.steps.all().delete()
    submissions._create_steps(sub, steps)
    submissions._open(sub.steps.get(order=1))
    for i, head in enumerate(heads[:approvals_to_pass]):
        assert submissions.current_step(sub).order == 1, i
        submissions.decide(sub, head, "approve", "Thống nhất")
    assert submissions.current_step(sub).kind == StepKind.CHANH


def test_coordinating_unit_heads_form_one_all_of_step(hatinh, person):
    sub = _submit(person, coordinating=[Unit.objects.get(code="kinhte"), Unit.objects.get(code="noichinh")])
    coordination = sub.steps.get(kind=StepKind.COORDINATION)
    assert coordination.mode == StepMode.ALL and coordination.opinions.count() == 2


def test_whoever_acts_for_the_head_decides_for_them(hatinh, person):
    today = timezone.localdate()
    head, deputy = person("ht.tonghop.truong"), person("ht.tonghop.pho")
    record_absence(staff=head, kind="trip", start=today, end=today + dt.timedelta(days=2), acting=deputy)
    sub = _submit(person)
    assert [o.step.submission_id for o in submissions.waiting_for(deputy)] == [sub.pk]
    submissions.decide(sub, deputy, "approve", "Thay Trưởng phòng: đồng ý")
    seat = Opinion.objects.get(holder=head)
    assert seat.acted_by == deputy


def test_a_draft_that_is_not_a_document_is_refused_and_nothing_is_saved(hatinh, person):
    from documents.models import OutgoingDocument, Submission

    with pytest.raises(ValidationError):
        _submit(person, draft=pdf("anh.pdf", body=b"GIF89a not a document"))
    assert not Submission.objects.exists() and not OutgoingDocument.objects.exists()


# ----------------------------------------------------------------- up to the principal (Chủ tịch / Bí thư)


def _principal(key, org_code="hatinh-ubnd"):
    from office.models import Principal

    return Principal.objects.get(organisation__profile=org_code, key=key)


def test_a_sheet_goes_up_to_the_chairman_after_the_office_leaders(hatinh, person):
    """000 W1.10 (L86–L87): the Phó Chánh «ký phiếu trình Lãnh đạo UBND tỉnh»; the Chủ tịch decides last."""
    sub = _submit(person, principal=_principal("chutich"))
    assert _step_holders(sub)[-2:] == [(StepKind.CHANH, ["ht.chanhvp"]), (StepKind.PRINCIPAL, ["ht.chutich"])]
    with pytest.raises(Conflict):  # not before the office leaders
        submissions.decide(sub, person("ht.chutich"), "approve")
    for who in ("ht.tonghop.truong", "ht.pcvp1", "ht.chanhvp"):
        sub = submissions.decide(sub, person(who), "approve")
    assert sub.status == "in_progress"
    sub = submissions.decide(sub, person("ht.chutich"), "approve", "Đồng ý ban hành.")
    assert sub.status == "approved" and sub.outgoing.status == "approved"


def test_a_specialist_cannot_send_a_matter_to_the_chairman_before_the_office_leaders(hatinh, person):
    """000 Điều 10.5 (L154): «Tự ý trình Chủ tịch, Phó Chủ tịch … khi chưa có ý kiến của Lãnh đạo Văn phòng»."""
    with pytest.raises(ValidationError) as exc:
        _submit(person, route=[person("ht.tonghop.truong"), person("ht.pct1")])
    assert "Điều 10.5" in exc.value.message_dict["route"][0]
    sub = _submit(person, route=[person("ht.tonghop.truong"), person("ht.pcvp1"), person("ht.pct1")])
    assert [k for k, _ in _step_holders(sub)][-1] == StepKind.PRINCIPAL


def test_a_principal_without_an_account_cannot_be_sent_to(db, person):
    from office.services.profiles import load_profile

    from .conftest import PASSWORD

    load_profile("hatinh-ubnd", demo_users=True, password=PASSWORD)
    chutich = _principal("chutich")
    chutich.staff = None
    chutich.save()
    with pytest.raises(ValidationError) as exc:
        _submit(person, principal=chutich)
    assert "chưa có tài khoản" in exc.value.message_dict["principal"][0]
    assert not submissions.Submission.objects.exists()


def test_party_office_sheet_goes_up_to_the_standing_deputy_secretary(binhthuan, person):
    """002 L492–L502: the Chánh submits to «đồng chí Phó Bí thư Thường trực hoặc đồng chí Bí thư Tỉnh ủy duyệt ký»."""
    sub = _submit(person, drafter="bt.tonghop.cv1", principal=_principal("pbttt", "binhthuan-tinhuy"))
    assert _step_holders(sub)[-1] == (StepKind.PRINCIPAL, ["bt.pbttt"])
