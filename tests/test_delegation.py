"""Absence, acting-for delegation and "who acts for X on date D" (Foundation §2)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from office.models import Absence, Delegation
from office.services import delegation

D = dt.date
MON, TUE, WED, FRI = D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 13)


def test_a_present_person_acts_for_themself(hatinh, person):
    cv = person("ht.tonghop.cv1")
    assert delegation.acting_for(cv, MON) == cv


def test_chanh_absent_two_working_days_must_designate_a_pho_chanh(hatinh, person):
    """000 Điều 4.4 (L71): Chánh away «từ 02 ngày trở lên» → one Phó Chánh runs the office."""
    chanh = person("ht.chanhvp")
    with pytest.raises(ValidationError) as exc:
        delegation.record_absence(staff=chanh, kind="trip", start=MON, end=TUE)
    assert "Phó Chánh Văn phòng" in str(exc.value)
    assert not Absence.objects.exists()  # nothing half-saved


def test_chanh_absent_one_day_needs_no_designation(hatinh, person):
    chanh = person("ht.chanhvp")
    delegation.record_absence(staff=chanh, kind="trip", start=MON, end=MON)
    # Nobody designated: the Chánh's work waits for the Chánh (no fallback for the Chánh).
    assert delegation.acting_for(chanh, MON) == chanh


def test_chanh_absence_over_a_weekend_counts_working_days(hatinh, person):
    # Friday to Sunday is one working day: no designation required.
    delegation.record_absence(staff=person("ht.chanhvp"), kind="leave", start=FRI, end=FRI + dt.timedelta(days=2))


def test_chanh_must_designate_a_pho_chanh_not_a_unit_head(hatinh, person):
    with pytest.raises(ValidationError) as exc:
        delegation.record_absence(
            staff=person("ht.chanhvp"), kind="trip", start=MON, end=WED, acting=person("ht.hctc.truong")
        )
    assert "Người làm thay phải là Phó Chánh Văn phòng" in str(exc.value)
    assert not Absence.objects.exists() and not Delegation.objects.exists()


def test_designated_pho_chanh_acts_for_the_chanh_during_the_absence_only(hatinh, person):
    chanh, pcvp2 = person("ht.chanhvp"), person("ht.pcvp2")
    delegation.record_absence(staff=chanh, kind="trip", start=MON, end=WED, acting=pcvp2)
    assert delegation.acting_for(chanh, MON) == pcvp2
    assert delegation.acting_for(chanh, WED) == pcvp2
    assert delegation.acting_for(chanh, FRI) == chanh
    assert delegation.principals_of(pcvp2, TUE) == [chanh]
    assert delegation.principals_of(pcvp2, FRI) == []


def test_absent_pho_chanh_work_goes_to_the_chanh_by_default(hatinh, person):
    """000 Điều 4.3 (L70): the Chánh handles an absent Phó Chánh's work."""
    pcvp1 = person("ht.pcvp1")
    delegation.record_absence(staff=pcvp1, kind="leave", start=MON, end=MON)
    assert delegation.acting_for(pcvp1, MON) == person("ht.chanhvp")


def test_absent_unit_head_work_goes_to_the_deputy_by_default(hatinh, person):
    head = person("ht.hctc.truong")
    delegation.record_absence(staff=head, kind="sick", start=MON, end=MON)
    assert delegation.acting_for(head, MON) == person("ht.hctc.pho")


def test_acting_follows_a_chain_of_delegations(hatinh, person):
    cv1, cv2, pho = person("ht.kinhte.cv1"), person("ht.kinhte.cv2"), person("ht.kinhte.pho")
    delegation.record_absence(staff=cv1, kind="leave", start=MON, end=FRI, acting=cv2)
    delegation.record_absence(staff=cv2, kind="trip", start=WED, end=WED, acting=pho)
    assert delegation.acting_for(cv1, MON) == cv2
    assert delegation.acting_for(cv1, WED) == pho


def test_delegation_to_oneself_is_rejected(hatinh, person):
    me = person("ht.tonghop.cv1")
    with pytest.raises(ValidationError, match="chính mình"):
        delegation.create_delegation(principal=me, deputy=me, scope="all", start=MON, end=TUE)


def test_delegation_to_a_person_absent_at_the_same_time_is_rejected(hatinh, person):
    cv1, cv2 = person("ht.tonghop.cv1"), person("ht.tonghop.cv2")
    delegation.record_absence(staff=cv2, kind="leave", start=TUE, end=WED)
    with pytest.raises(ValidationError, match="vắng mặt"):
        delegation.create_delegation(principal=cv1, deputy=cv2, scope="handle", start=MON, end=TUE)
    assert not Delegation.objects.exists()


def test_overlapping_delegations_for_the_same_scope_are_rejected(hatinh, person):
    cv1 = person("ht.tonghop.cv1")
    delegation.create_delegation(principal=cv1, deputy=person("ht.tonghop.cv2"), scope="handle", start=MON, end=WED)
    with pytest.raises(ValidationError, match="trùng thời gian"):
        delegation.create_delegation(principal=cv1, deputy=person("ht.tonghop.pho"), scope="handle", start=TUE, end=FRI)
    with pytest.raises(ValidationError, match="trùng thời gian"):
        delegation.create_delegation(principal=cv1, deputy=person("ht.tonghop.pho"), scope="all", start=WED, end=FRI)
    # A different scope (signing) may go to someone else at the same time.
    delegation.create_delegation(principal=cv1, deputy=person("ht.tonghop.pho"), scope="sign", start=TUE, end=FRI)
    assert Delegation.objects.count() == 2


def test_overlapping_absences_of_one_person_are_rejected(hatinh, person):
    cv1 = person("ht.tonghop.cv1")
    delegation.record_absence(staff=cv1, kind="leave", start=MON, end=WED)
    with pytest.raises(ValidationError, match="trùng"):
        delegation.record_absence(staff=cv1, kind="trip", start=WED, end=FRI)


def test_end_before_start_is_rejected(hatinh, person):
    with pytest.raises(ValidationError, match="trước ngày bắt đầu"):
        delegation.record_absence(staff=person("ht.tonghop.cv1"), kind="leave", start=WED, end=MON)


def test_cancelling_an_absence_revokes_its_delegation_and_keeps_history(hatinh, person):
    chanh, pcvp2 = person("ht.chanhvp"), person("ht.pcvp2")
    absence = delegation.record_absence(staff=chanh, kind="trip", start=MON, end=WED, acting=pcvp2)
    delegation.cancel_absence(absence)
    assert delegation.acting_for(chanh, MON) == chanh
    assert Delegation.history.filter(is_revoked=True).count() == 1


@pytest.mark.parametrize(
    ("actor", "principal", "allowed"),
    [
        ("ht.tonghop.cv1", "ht.tonghop.cv1", True),  # oneself
        ("ht.chanhvp", "ht.hctc.cv2", True),  # the Chánh for anyone
        ("ht.pcvp1", "ht.tonghop.cv1", True),  # a Phó Chánh for a unit they supervise
        ("ht.pcvp1", "ht.hctc.cv1", False),  # ... not for another Phó Chánh's unit
        ("ht.tonghop.truong", "ht.tonghop.cv2", True),  # a head for their unit
        ("ht.tonghop.truong", "ht.kinhte.cv1", False),  # ... not another unit
        ("ht.tonghop.cv2", "ht.tonghop.cv1", False),  # a colleague may not
        ("ht.tonghop.truong", "ht.pcvp1", False),  # a head may not arrange for a leader
    ],
)
def test_who_may_arrange_an_absence_or_delegation(hatinh, person, actor, principal, allowed):
    assert delegation.can_arrange_for(person(actor), person(principal)) is allowed


def _busy_wednesday(person):
    """Chains, fallbacks to the Chánh and to deputies, a sign-only delegation, a head and deputy both away."""
    chanh, pcvp1, pcvp2 = person("ht.chanhvp"), person("ht.pcvp1"), person("ht.pcvp2")
    delegation.record_absence(staff=pcvp1, kind="leave", start=WED, end=WED)  # → the Chánh (fallback)
    delegation.record_absence(staff=person("ht.hctc.truong"), kind="sick", start=WED, end=WED)  # → deputy
    delegation.record_absence(staff=person("ht.kinhte.truong"), kind="trip", start=WED, end=WED)
    delegation.record_absence(staff=person("ht.kinhte.pho"), kind="trip", start=WED, end=WED)  # deputy away too
    cv1, cv2 = person("ht.tonghop.cv1"), person("ht.tonghop.cv2")
    delegation.record_absence(staff=cv1, kind="leave", start=MON, end=FRI, acting=cv2)
    delegation.record_absence(staff=cv2, kind="trip", start=WED, end=WED, acting=person("ht.tonghop.pho"))
    delegation.create_delegation(principal=pcvp2, deputy=chanh, scope="sign", start=WED, end=WED)
    return chanh


@pytest.mark.parametrize(
    ("principal", "scope", "expected"),
    [
        ("ht.pcvp1", "handle", "ht.chanhvp"),  # Phó Chánh away → the Chánh (000 Điều 4.3, L70)
        ("ht.hctc.truong", "handle", "ht.hctc.pho"),  # head away → the unit's deputy (000 Điều 7.2.c, L135)
        ("ht.kinhte.truong", "handle", "ht.kinhte.truong"),  # head and deputy both away: nobody else named
        ("ht.tonghop.cv1", "handle", "ht.tonghop.pho"),  # cv1 → cv2, who is away and delegated too
        ("ht.pcvp2", "sign", "ht.chanhvp"),  # a delegation to sign only ...
        ("ht.pcvp2", "handle", "ht.pcvp2"),  # ... does not carry the handling of work
        ("ht.pcvp2", "all", "ht.chanhvp"),  # asking for any scope finds it
        ("ht.kinhte.cv1", "handle", "ht.kinhte.cv1"),  # present, nobody designated
    ],
)
def test_who_acts_for_whom_on_a_busy_day(hatinh, person, principal, scope, expected):
    """Chains, fallbacks and scopes together, answered for one person (acting_for) and as part of
    everyone away (represented, through the same DayResolver)."""
    _busy_wednesday(person)
    acting = delegation.acting_for(person(principal), WED, scope)
    assert acting.user.username == expected
    if scope == "handle" and expected != principal:
        assert person(principal) in delegation.represented(person(expected), WED)


def test_represented_is_everyone_whose_work_lands_on_me(hatinh, person, django_assert_max_num_queries):
    from office.models import Staff

    chanh = _busy_wednesday(person)
    everyone = list(Staff.objects.filter(organisation=hatinh))
    for staff in everyone:
        expected = {
            p.pk
            for p in everyone
            if p.pk != staff.pk
            and (delegation.acting_for(p, WED).pk == staff.pk or p in delegation.principals_of(staff, WED))
        }
        assert {p.pk for p in delegation.represented(staff, WED)} == expected, staff
    assert {p.username for p in [s.user for s in delegation.represented(chanh, WED)]} == {"ht.pcvp1", "ht.pcvp2"}
    with django_assert_max_num_queries(8):  # constant: not one resolution query per absent person
        delegation.represented(chanh, WED)


def test_acting_for_answers_kept_for_a_request_are_forgotten_when_an_absence_changes(hatinh, person):
    """Within one request represented() is answered once; recording an absence in the middle of it
    (the absence form) must not leave the old answer standing."""
    chanh, pcvp1 = person("ht.chanhvp"), person("ht.pcvp1")
    with delegation.request_memo():
        assert delegation.represented(chanh, WED) == []
        absence = delegation.record_absence(staff=pcvp1, kind="leave", start=WED, end=WED)
        assert delegation.represented(chanh, WED) == [pcvp1]
        delegation.cancel_absence(absence)
        assert delegation.represented(chanh, WED) == []
