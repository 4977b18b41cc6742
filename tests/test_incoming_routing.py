"""Distribution and handling of incoming documents (issue 3 §3, §5; NĐ 30 Điều 23–24; 000 Điều 13.5)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from config.api import Conflict
from documents.models import Assignment, AssignmentKind, IncomingStatus
from documents.services import routing
from documents.services.routing import RouteItem
from office.models import Unit
from office.services import calendar
from office.services.delegation import record_absence
from workflow.models import Deadline, Notification

from .incoming_helpers import register


@pytest.fixture
def doc(hatinh, person):
    return register(person("ht.vanthu1"))


def unit(code):
    return Unit.objects.get(code=code)


def test_registered_document_is_presented_to_the_chanh_in_hatinh(doc, person):
    step = doc.assignments.get()
    assert step.kind == AssignmentKind.DISTRIBUTE and step.holder == person("ht.chanhvp")
    assert doc.status == IncomingStatus.PRESENTED
    # NĐ 30 Điều 23: presented in the day or at the latest the next working day.
    received = timezone.localtime(doc.received_at).date()
    assert step.deadline == calendar.add_working_days(received, 1)
    assert Deadline.objects.filter(assignee=person("ht.chanhvp"), kind="incoming.distribute").exists()


def test_profile_can_send_distribution_to_the_pho_chanh_supervising_the_sector(hatinh, person):
    from office.models import Sector

    hatinh.rules["distribution"] = {"distributor": "pho_chanh_vp_by_sector"}
    hatinh.save()
    doc = register(person("ht.vanthu1"), sector=Sector.objects.get(code="noi_chinh"))
    assert doc.assignments.get().holder == person("ht.pcvp2")


def test_leader_distributes_to_a_lead_unit_with_a_deadline_in_working_days(doc, person):
    routing.route(
        doc,
        person("ht.chanhvp"),
        [
            RouteItem(role="lead", unit=unit("tonghop"), deadline_days=3),
            RouteItem(role="coordinate", unit=unit("kinhte"), deadline_days=3),
            RouteItem(role="inform", staff=person("ht.pcvp1")),
        ],
        "Giao Phòng Tổng hợp chủ trì, tham mưu văn bản trả lời.",
    )
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.ASSIGNED
    lead = Assignment.objects.get(document=doc, role="lead")
    assert lead.kind == AssignmentKind.UNIT and lead.holder == person("ht.tonghop.truong")
    assert lead.deadline == calendar.add_working_days(timezone.localdate(), 3)
    assert Deadline.objects.get(assignee=person("ht.tonghop.truong")).due_at.date() == lead.deadline
    assert "Chủ trì: Phòng Tổng hợp" in doc.events.last().text


def test_distribution_needs_exactly_one_lead(doc, person):
    with pytest.raises(ValidationError, match="đúng một"):
        routing.route(doc, person("ht.chanhvp"), [RouteItem(role="coordinate", unit=unit("kinhte"))])
    with pytest.raises(ValidationError, match="đúng một"):
        routing.route(
            doc,
            person("ht.chanhvp"),
            [RouteItem(role="lead", unit=unit("kinhte")), RouteItem(role="lead", unit=unit("tonghop"))],
        )
    assert doc.assignments.count() == 1  # nothing half-saved


def test_a_deadline_before_the_received_date_is_refused(doc, person):
    with pytest.raises(ValidationError, match="trước ngày đến"):
        routing.route(
            doc, person("ht.chanhvp"), [RouteItem(role="lead", unit=unit("kinhte"), deadline=dt.date(2020, 1, 1))]
        )


def test_assignment_to_a_person_outside_the_organisation_is_refused(doc, person, binhthuan):
    from office.models import Staff

    outsider = Staff.objects.filter(organisation=binhthuan).first()
    with pytest.raises(ValidationError, match="không thuộc cơ quan"):
        routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=outsider)])


def test_a_user_cannot_act_on_a_step_that_is_not_theirs(doc, person):
    with pytest.raises(PermissionDenied):
        routing.route(doc, person("ht.pcvp1"), [RouteItem(role="lead", unit=unit("kinhte"))])
    with pytest.raises(PermissionDenied):
        routing.complete(doc, person("ht.tonghop.cv1"), "filed")


def test_unit_head_assigns_a_specialist_of_the_unit_only(doc, person):
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", unit=unit("tonghop"), deadline_days=5)])
    head = person("ht.tonghop.truong")
    with pytest.raises(ValidationError, match="không thuộc Phòng Tổng hợp"):
        routing.route(doc, head, [RouteItem(role="lead", staff=person("ht.kinhte.cv1"))])
    routing.route(doc, head, [RouteItem(role="lead", staff=person("ht.tonghop.cv1"))], "Đồng chí xử lý")
    step = Assignment.objects.get(document=doc, kind=AssignmentKind.HANDLE)
    assert step.holder == person("ht.tonghop.cv1") and step.role == "lead"
    assert step.deadline == Assignment.objects.get(document=doc, kind=AssignmentKind.UNIT).deadline


def test_lead_closes_with_a_result_and_every_open_deadline_ends(doc, person):
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.tonghop.cv1"), deadline_days=2)])
    routing.complete(doc, person("ht.tonghop.cv1"), "answered", answered_by_symbol="15/VP-TH")
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.DONE and doc.answered_by_symbol == "15/VP-TH"
    assert not Deadline.objects.filter(state__in=["open", "due_soon", "overdue"]).exists()


def test_document_outside_competence_is_kept_for_tracking(doc, person):
    """000 Điều 13.5 (L185): documents outside the office's competence → «lưu theo dõi»."""
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.noichinh.cv1"))])
    routing.complete(doc, person("ht.noichinh.cv1"), "tracked", note="Không thuộc thẩm quyền")
    doc.refresh_from_db()
    assert doc.get_result_display() == "Lưu theo dõi (ngoài thẩm quyền)"


def test_forwarding_needs_the_competent_agency_named(doc, person):
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.noichinh.cv1"))])
    with pytest.raises(ValidationError, match="cơ quan có thẩm quyền"):
        routing.complete(doc, person("ht.noichinh.cv1"), "forwarded")


def test_closed_document_cannot_be_rerouted_until_reopened_with_a_reason(doc, person):
    chanh = person("ht.chanhvp")
    routing.route(doc, chanh, [RouteItem(role="lead", staff=person("ht.tonghop.cv1"))])
    routing.complete(doc, person("ht.tonghop.cv1"), "filed")
    with pytest.raises(Conflict):
        routing.route(doc, chanh, [RouteItem(role="lead", unit=unit("kinhte"))])
    with pytest.raises(ValidationError, match="lý do"):
        routing.reopen(doc, chanh, "")
    with pytest.raises(PermissionDenied):
        routing.reopen(doc, person("ht.kinhte.cv1"), "Tôi muốn mở")
    routing.reopen(doc, chanh, "Sở Tài chính gửi bổ sung hồ sơ")
    routing.route(doc, chanh, [RouteItem(role="lead", unit=unit("kinhte"))])
    doc.refresh_from_db()
    assert doc.status == IncomingStatus.ASSIGNED


def test_the_deputy_acting_for_an_absent_head_receives_and_acts_on_the_step(doc, person):
    head, deputy = person("ht.tonghop.truong"), person("ht.tonghop.pho")
    today = timezone.localdate()
    record_absence(staff=head, kind="trip", start=today, end=today + dt.timedelta(days=3), acting=deputy)
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", unit=unit("tonghop"))])
    from documents.selectors import inbox

    assert [s.document_id for s in inbox(deputy)] == [doc.pk]
    routing.route(doc, deputy, [RouteItem(role="lead", staff=person("ht.tonghop.cv2"))])
    unit_step = Assignment.objects.get(document=doc, kind=AssignmentKind.UNIT)
    assert unit_step.holder == head and unit_step.acted_by == deputy
    assert doc.events.last().on_behalf_of == head


def test_absent_chanh_work_goes_to_the_designated_pho_chanh(hatinh, person):
    today = timezone.localdate()
    chanh, pcvp2 = person("ht.chanhvp"), person("ht.pcvp2")
    record_absence(staff=chanh, kind="trip", start=today, end=today + dt.timedelta(days=5), acting=pcvp2)
    doc = register(person("ht.vanthu1"))
    routing.route(doc, pcvp2, [RouteItem(role="lead", unit=unit("kinhte"))])
    assert doc.assignments.get(kind=AssignmentKind.DISTRIBUTE).acted_by == pcvp2


def test_coordinating_unit_gives_its_opinion(doc, person):
    routing.route(
        doc,
        person("ht.chanhvp"),
        [
            RouteItem(role="lead", staff=person("ht.tonghop.cv1")),
            RouteItem(role="coordinate", staff=person("ht.kinhte.cv1")),
        ],
    )
    with pytest.raises(ValidationError, match="ý kiến"):
        routing.contribute(doc, person("ht.kinhte.cv1"), "")
    routing.contribute(doc, person("ht.kinhte.cv1"), "Thống nhất với dự thảo")
    step = Assignment.objects.get(document=doc, role="coordinate")
    assert step.state == "done" and step.note == "Thống nhất với dự thảo"


@pytest.mark.parametrize("urgency", ["hoa_toc", "thuong_khan"])
def test_top_urgency_documents_notify_at_once_and_lead_every_inbox(hatinh, person, urgency):
    from documents.selectors import inbox

    clerk, chanh = person("ht.vanthu1"), person("ht.chanhvp")
    ordinary = register(clerk)
    urgent = register(clerk, urgency=urgency)
    assert [s.document_id for s in inbox(chanh)][0] == urgent.pk
    assert ordinary.pk in [s.document_id for s in inbox(chanh)]
    note = Notification.objects.get(recipient=chanh, urgent=True)
    assert note.title.startswith("[")


def test_every_state_change_is_audited(doc, person):
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=person("ht.tonghop.cv1"))])
    assert doc.history.filter(status=IncomingStatus.ASSIGNED).exists()
    assert Assignment.history.filter(kind=AssignmentKind.DISTRIBUTE, state="done").exists()


def test_the_chanh_receives_an_absent_pho_chanh_step_by_default(hatinh, person):
    """000 Điều 4.3 (L70): when a Phó Chánh is away, the Chánh handles their work."""
    hatinh.rules["distribution"] = {"distributor": "pho_chanh_vp_by_sector"}
    hatinh.save()
    from documents.selectors import inbox
    from office.models import Sector

    pcvp2, chanh = person("ht.pcvp2"), person("ht.chanhvp")
    today = timezone.localdate()
    record_absence(staff=pcvp2, kind="leave", start=today, end=today)
    doc = register(person("ht.vanthu1"), sector=Sector.objects.get(code="noi_chinh"))
    assert doc.assignments.get().holder == pcvp2
    assert doc.pk in [s.document_id for s in inbox(chanh)]
    routing.route(doc, chanh, [RouteItem(role="lead", unit=unit("noichinh"))])
    assert doc.assignments.get(kind=AssignmentKind.DISTRIBUTE).acted_by == chanh
