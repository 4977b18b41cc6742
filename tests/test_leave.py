"""Leave requests: the approval route of 000 Điều 23, and the absence + acting-for on approval."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from office.models import Absence, Delegation
from office.services import delegation
from personnel.models import AnnualLeavePlan, LeaveRequest, LeaveStep
from personnel.services import common, leave
from workflow.models import Deadline, Notification
from workflow.services import deadlines

D = dt.date
MON, TUE, WED, THU, FRI = (D(2026, 3, d) for d in (9, 10, 11, 12, 13))
SAT, SUN, NEXT_MON = D(2026, 3, 14), D(2026, 3, 15), D(2026, 3, 16)


def route(req: LeaveRequest) -> list[tuple[str, str]]:
    return [(s.role, s.approver.user.username) for s in req.steps.order_by("order").select_related("approver__user")]


def ask(person, username, start, end, kind="personal", substitute=None, **kw):
    return leave.request_leave(
        staff=person(username), kind=kind, start=start, end=end, reason="Việc gia đình",
        substitute=person(substitute) if substitute else None, **kw,
    )  # fmt: skip


# --------------------------------------------------------------------------- route (000 Điều 23.2)


def test_leave_of_one_day_needs_only_the_unit_heads_permission(hatinh, person):
    """000 Điều 23.2 (L278): «nghỉ dưới 2 ngày» → xin phép Trưởng đơn vị."""
    req = ask(person, "ht.tonghop.cv1", MON, MON, substitute="ht.tonghop.cv2")
    assert req.days == 1
    assert route(req) == [("unit_head", "ht.tonghop.truong")]


def test_leave_of_two_days_needs_the_unit_leader_and_the_office_leader(hatinh, person):
    """000 Điều 23.2.b (L277): «từ 02 ngày trở lên» → Lãnh đạo đơn vị, then Lãnh đạo Văn phòng."""
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    assert req.days == 2
    assert route(req) == [("unit_head", "ht.tonghop.truong"), ("office_leader", "ht.pcvp1")]


def reported_to(req: LeaveRequest) -> list[str]:
    return [n.recipient.user.username for n in Notification.objects.filter(key=f"leave:{req.pk}:reported")]


def test_leave_of_one_and_a_half_days_is_under_two_days_and_reported_to_the_supervising_leader(hatinh, person):
    """000 Điều 23.2 (L278): 1,5 days is «dưới 2 ngày» → the head's permission only; (L279) «nghỉ trên một ngày,
    phải báo cáo Lãnh đạo Văn phòng phụ trách và Trưởng đơn vị» → the supervising Phó Chánh is told."""
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2", ends_at_noon=True)
    assert req.days == Decimal("1.5")
    assert route(req) == [("unit_head", "ht.tonghop.truong")]
    assert reported_to(req) == ["ht.pcvp1"]


def test_leave_of_two_days_exactly_in_half_days_needs_the_office_leader(hatinh, person):
    """000 Điều 23.2.b (L277): from Monday afternoon to Wednesday noon is 2 days exactly: «từ 02 ngày trở lên»."""
    req = ask(person, "ht.tonghop.cv1", MON, WED, substitute="ht.tonghop.cv2", starts_afternoon=True, ends_at_noon=True)
    assert req.days == 2
    assert route(req) == [("unit_head", "ht.tonghop.truong"), ("office_leader", "ht.pcvp1")]
    assert reported_to(req) == []  # the office leader approves; no separate report


@pytest.mark.parametrize("start_pm, end_am, days", [(True, False, "0.5"), (False, True, "0.5"), (False, False, "1")])
def test_a_half_day_or_one_day_leave_needs_only_the_head_and_is_not_reported_higher(
    hatinh, person, start_pm, end_am, days
):
    req = ask(person, "ht.tonghop.cv1", MON, MON, substitute="ht.tonghop.cv2", starts_afternoon=start_pm,
              ends_at_noon=end_am)  # fmt: skip
    assert req.days == Decimal(days)
    assert route(req) == [("unit_head", "ht.tonghop.truong")]
    assert reported_to(req) == []


def test_a_leave_from_the_afternoon_to_the_morning_of_the_same_day_is_refused(hatinh, person):
    with pytest.raises(ValidationError, match="buổi sáng cùng ngày"):
        ask(person, "ht.tonghop.cv1", MON, MON, substitute="ht.tonghop.cv2", starts_afternoon=True, ends_at_noon=True)
    assert not LeaveRequest.objects.exists()


def test_two_day_threshold_comes_from_the_profile(hatinh, person):
    hatinh.rules["leave"]["application_and_ldvp_approval_from_days"] = 3
    hatinh.save()
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    assert route(req) == [("unit_head", "ht.tonghop.truong")]


def test_leave_days_are_counted_as_the_profile_says_so_a_weekend_does_not_count(hatinh, person):
    # Friday to Monday is two working days; Friday to Sunday is one.
    assert len(route(ask(person, "ht.kinhte.cv1", FRI, SUN, substitute="ht.kinhte.cv2"))) == 1
    assert len(route(ask(person, "ht.vhxh.cv1", FRI, NEXT_MON, substitute="ht.vhxh.cv2"))) == 2


def test_a_unit_heads_own_leave_of_two_days_goes_to_the_supervising_pho_chanh(hatinh, person):
    req = ask(person, "ht.noichinh.truong", MON, TUE, substitute="ht.noichinh.pho")
    assert route(req) == [("office_leader", "ht.pcvp2")]


def test_a_pho_chanh_reports_their_leave_to_the_chanh(hatinh, person):
    """000 Điều 23.2.a (L276): «Phó Chánh Văn phòng nghỉ phải báo cáo Chánh Văn phòng»."""
    req = ask(person, "ht.pcvp3", MON, MON)
    assert route(req) == [("chanh", "ht.chanhvp")]


def test_annual_leave_needs_a_plan_confirmed_by_the_head(hatinh, person):
    """000 Điều 23.1 (L273): annual leave follows the needs registered at the start of the year."""
    with pytest.raises(ValidationError, match="kế hoạch nghỉ phép năm 2026"):
        ask(person, "ht.kinhte.cv1", MON, TUE, kind="leave", substitute="ht.kinhte.cv2")
    plan = leave.register_plan(staff=person("ht.kinhte.cv1"), year=2026, days=3)
    with pytest.raises(PermissionDenied):
        leave.confirm_plan(plan, me=person("ht.kinhte.cv2"))
    leave.confirm_plan(plan, me=person("ht.kinhte.truong"))
    req = ask(person, "ht.kinhte.cv1", MON, TUE, kind="leave", substitute="ht.kinhte.cv2")
    # The Chánh decides with the agreement of the head and the supervising Phó Chánh (L273).
    assert route(req) == [("unit_head", "ht.kinhte.truong"), ("office_leader", "ht.pcvp1"), ("chanh", "ht.chanhvp")]
    with pytest.raises(ValidationError, match="Vượt số ngày phép"):
        ask(person, "ht.kinhte.cv1", THU, FRI, kind="leave", substitute="ht.kinhte.cv2")


# --------------------------------------------------------------------------- approval → absence + delegation


def test_approved_leave_becomes_an_absence_and_the_substitute_acts_meanwhile(hatinh, person):
    cv1, cv2 = person("ht.tonghop.cv1"), person("ht.tonghop.cv2")
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    assert not Absence.objects.exists()
    leave.decide(req, me=person("ht.tonghop.truong"), decision="approve", today=D(2026, 3, 5))
    req.refresh_from_db()
    assert req.state == "pending" and not Absence.objects.exists()
    leave.decide(req, me=person("ht.pcvp1"), decision="approve", opinion="Đồng ý", today=D(2026, 3, 5))
    req.refresh_from_db()
    assert req.state == "approved"
    assert req.absence.staff == cv1 and (req.absence.start, req.absence.end) == (MON, TUE)
    d = Delegation.objects.get(principal=cv1)
    assert d.deputy == cv2 and d.absence == req.absence
    # Incoming work routed by acting_for() reaches the substitute during the leave only.
    assert delegation.acting_for(cv1, MON) == cv2
    assert delegation.acting_for(cv1, TUE) == cv2
    assert delegation.acting_for(cv1, WED) == cv1
    assert Notification.objects.filter(recipient=cv2, key=f"leave:{req.pk}:substitute").exists()


def test_deadlines_of_the_absent_person_are_handled_by_whoever_acts(hatinh, person):
    """Work assigned meanwhile (a deadline opened for cv1's document) is routed to acting_for(cv1)."""
    cv1, cv2 = person("ht.tonghop.cv1"), person("ht.tonghop.cv2")
    req = ask(person, "ht.tonghop.cv1", MON, MON, substitute="ht.tonghop.cv2")
    leave.decide(req, me=person("ht.tonghop.truong"), decision="approve", today=D(2026, 3, 5))
    handler = delegation.acting_for(cv1, MON)
    from office.services.calendar import due_at

    deadline = deadlines.open_deadline(req, kind="incoming.handle", title="Văn bản đến", assignee=handler,
                                       due_at=due_at(MON, 2))  # fmt: skip
    assert deadline.assignee == cv2
    assert Deadline.objects.filter(assignee=cv2).count() == 1


def test_the_head_may_name_the_substitute_when_agreeing(hatinh, person):
    req = ask(person, "ht.vhxh.cv1", MON, MON)
    with pytest.raises(ValidationError, match="Phải chỉ định người làm thay"):
        leave.decide(req, me=person("ht.vhxh.truong"), decision="approve", today=MON)
    req.refresh_from_db()
    assert req.state == "pending" and not Absence.objects.exists()  # nothing half-saved
    assert not LeaveStep.objects.filter(request=req).exclude(decision="").exists()
    leave.decide(req, me=person("ht.vhxh.truong"), decision="approve", substitute=person("ht.vhxh.cv2"), today=MON)
    assert delegation.acting_for(person("ht.vhxh.cv1"), MON) == person("ht.vhxh.cv2")


def test_a_refusal_ends_the_request_without_an_absence(hatinh, person):
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    leave.decide(req, me=person("ht.tonghop.truong"), decision="reject", opinion="Đang cao điểm", today=MON)
    req.refresh_from_db()
    assert req.state == "rejected" and not Absence.objects.exists()
    with pytest.raises(common.StateConflict):
        leave.decide(req, me=person("ht.pcvp1"), decision="approve", today=MON)


def test_only_the_current_approver_or_who_acts_for_them_may_decide(hatinh, person):
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    for outsider in ["ht.pcvp1", "ht.tonghop.cv2", "ht.kinhte.truong"]:
        with pytest.raises(PermissionDenied):
            leave.decide(req, me=person(outsider), decision="approve", today=D(2026, 3, 5))
    # The head is away: the deputy handles the head's work (000 L135), so may agree.
    delegation.record_absence(staff=person("ht.tonghop.truong"), kind="trip", start=D(2026, 3, 5), end=D(2026, 3, 5))
    leave.decide(req, me=person("ht.tonghop.pho"), decision="approve", today=D(2026, 3, 5))
    assert req.steps.get(order=1).acted_by == person("ht.tonghop.pho")


def test_chanh_may_take_an_office_leader_step(hatinh, person):
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    leave.decide(req, me=person("ht.tonghop.truong"), decision="approve", today=MON)
    leave.decide(req, me=person("ht.chanhvp"), decision="approve", today=MON)
    req.refresh_from_db()
    assert req.state == "approved"


def test_chanh_leave_of_two_days_needs_a_pho_chanh_to_act(hatinh, person):
    """No leave route for the Chánh; 000 Điều 4.4 (L71) still applies through record_absence."""
    with pytest.raises(ValidationError, match="Phó Chánh Văn phòng"):
        ask(person, "ht.chanhvp", MON, TUE)
    assert not LeaveRequest.objects.exists()
    req = ask(person, "ht.chanhvp", MON, TUE, substitute="ht.pcvp1")
    assert req.state == "approved" and delegation.acting_for(person("ht.chanhvp"), MON) == person("ht.pcvp1")


def test_approval_notifies_each_approver_in_turn(hatinh, person):
    req = ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    assert Notification.objects.filter(recipient=person("ht.tonghop.truong"), key=f"leave:{req.pk}:step:1").exists()
    assert not Notification.objects.filter(recipient=person("ht.pcvp1")).exists()
    leave.decide(req, me=person("ht.tonghop.truong"), decision="approve", today=MON)
    assert Notification.objects.filter(recipient=person("ht.pcvp1"), key=f"leave:{req.pk}:step:2").exists()


def test_cancelling_an_approved_leave_revokes_the_delegation(hatinh, person):
    cv1 = person("ht.tonghop.cv1")
    req = ask(person, "ht.tonghop.cv1", MON, MON, substitute="ht.tonghop.cv2")
    leave.decide(req, me=person("ht.tonghop.truong"), decision="approve", today=MON)
    leave.cancel(req, me=cv1)
    assert delegation.acting_for(cv1, MON) == cv1


# --------------------------------------------------------------------------- bad input


def test_overlapping_leave_of_the_same_person_is_refused(hatinh, person):
    ask(person, "ht.tonghop.cv1", MON, WED, substitute="ht.tonghop.cv2")
    with pytest.raises(ValidationError, match="trùng"):
        ask(person, "ht.tonghop.cv1", WED, FRI, substitute="ht.tonghop.cv2")
    delegation.record_absence(staff=person("ht.kinhte.cv1"), kind="trip", start=MON, end=MON)
    with pytest.raises(ValidationError, match="trùng"):
        ask(person, "ht.kinhte.cv1", MON, TUE, substitute="ht.kinhte.cv2")
    assert LeaveRequest.objects.count() == 1


def test_end_before_start_is_refused(hatinh, person):
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        ask(person, "ht.tonghop.cv1", WED, MON)
    assert not LeaveRequest.objects.exists()


def test_a_substitute_away_at_the_same_time_is_refused(hatinh, person):
    delegation.record_absence(staff=person("ht.tonghop.cv2"), kind="sick", start=TUE, end=TUE)
    with pytest.raises(ValidationError, match="không thể làm thay"):
        ask(person, "ht.tonghop.cv1", MON, TUE, substitute="ht.tonghop.cv2")
    # ... or who asked for leave at the same time
    ask(person, "ht.kinhte.cv2", MON, MON, substitute="ht.kinhte.pho")
    with pytest.raises(ValidationError, match="không thể làm thay"):
        ask(person, "ht.kinhte.cv1", MON, TUE, substitute="ht.kinhte.cv2")
    assert LeaveRequest.objects.count() == 1


def test_leave_without_reason_or_on_days_off_only_is_refused(hatinh, person):
    with pytest.raises(ValidationError, match="lý do"):
        leave.request_leave(staff=person("ht.tonghop.cv1"), kind="personal", start=MON, end=MON, reason=" ")
    with pytest.raises(ValidationError, match="không có ngày làm việc"):
        ask(person, "ht.tonghop.cv1", SAT, SUN)


def test_annual_plan_is_confirmed_once(hatinh, person):
    plan = leave.register_plan(staff=person("ht.kinhte.cv1"), year=2026, days=12, periods="Tháng 7")
    leave.confirm_plan(plan, me=person("ht.kinhte.truong"))
    with pytest.raises(common.StateConflict):
        leave.register_plan(staff=person("ht.kinhte.cv1"), year=2026, days=14)
    assert AnnualLeavePlan.objects.get().days == 12


# --------------------------------------------------------------------------- end to end with incoming documents


def test_an_incoming_document_for_someone_on_approved_leave_reaches_the_substitute(hatinh, person, api):
    """Work rerouted: while cv1 is on leave, cv2 (the substitute) sees and closes the document given to cv1."""
    from django.utils import timezone

    from documents.services import routing
    from documents.services.routing import RouteItem
    from office.services.calendar import add_working_days

    from .incoming_helpers import register

    today = timezone.localdate()
    cv1 = person("ht.tonghop.cv1")
    doc = register(person("ht.vanthu1"))
    routing.route(doc, person("ht.chanhvp"), [RouteItem(role="lead", staff=cv1, deadline_days=3)], "Giao xử lý")
    assert api("ht.tonghop.cv2").get(f"/api/v1/incoming/{doc.pk}/").status_code == 404  # before the leave

    # Today may be a day off (the suite runs any day): the leave runs to the next working day.
    end = add_working_days(today, 1)
    data = {"kind": "sick", "start": str(today), "end": str(end), "reason": "Ốm", "handover_to": "ht.tonghop.cv2"}
    body = api("ht.tonghop.cv1").post("/api/v1/leave/", data, format="json").json()
    while body["state"] == "pending":
        body = api(body["current_step"]).post(f"/api/v1/leave/{body['id']}/decide/", {"decision": "approve"}).json()
    assert body["state"] == "approved"

    assert delegation.acting_for(cv1, today) == person("ht.tonghop.cv2")
    substitute = api("ht.tonghop.cv2")
    assert substitute.get(f"/api/v1/incoming/{doc.pk}/").status_code == 200
    done = substitute.post(f"/api/v1/incoming/{doc.pk}/complete/", {"result": "filed"}, format="json")
    assert done.status_code == 200, done.content


def test_a_substitute_who_asked_for_leave_meanwhile_stops_the_approval(hatinh, person):
    req = ask(person, "ht.tonghop.cv1", MON, MON, substitute="ht.tonghop.cv2")
    ask(person, "ht.tonghop.cv2", MON, TUE, substitute="ht.tonghop.pho")
    with pytest.raises(ValidationError, match="không thể làm thay"):
        leave.decide(req, me=person("ht.tonghop.truong"), decision="approve", today=MON)
    req.refresh_from_db()
    assert req.state == "pending" and not Absence.objects.exists()
