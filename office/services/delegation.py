"""Absence and acting-for delegation  # vắng mặt và ủy quyền / phân công làm thay.

Answers "who acts for X on date D" (acting_for) for every later capability that routes
work or signatures, and enforces the regulations' rules when someone is away:

- 000 Điều 4.4 (seed 000_9dcdc65ad8a32fbc.txt L71): the Chánh Văn phòng away for 02 days
  or more designates exactly one Phó Chánh to run the office.
- 000 Điều 4.3 (L70): when a Phó Chánh is away the Chánh handles their work (fallback).
- 000 Điều 7.2.c (L135): a unit head away → the authorised deputy handles the work.
- 002 Điều 5.9 (seed 002_ebbdd6752b9f0751.txt): a Trưởng đơn vị away from the office
  must delegate to a deputy.

Which of these apply, and their thresholds, are profile data (Organisation.rules
"absence"), not code branches.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet

from office.models import (
    POSITION_RANK,
    Absence,
    Delegation,
    DelegationScope,
    Organisation,
    Position,
    Post,
    Staff,
)
from office.services import calendar

MAX_CHAIN = 6


def _fmt(day: dt.date) -> str:
    return day.strftime("%d/%m/%Y")


def _overlapping(qs: QuerySet, start: dt.date, end: dt.date) -> QuerySet:
    return qs.filter(start__lte=end, end__gte=start)


def absences_on(staff: Staff, start: dt.date, end: dt.date | None = None) -> QuerySet[Absence]:
    return _overlapping(Absence.objects.filter(staff=staff, is_cancelled=False), start, end or start)


def is_absent(staff: Staff, day: dt.date) -> bool:
    return absences_on(staff, day).exists()


def _scopes_matching(scope: str) -> list[str]:
    """A delegation of scope ALL covers every scope; asking for ALL matches any delegation."""
    if scope == DelegationScope.ALL:
        return [s.value for s in DelegationScope]
    return [scope, DelegationScope.ALL]


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class ActingRequirement:
    """One profile rule "who must designate someone when away" (Organisation.rules.absence.require_acting)."""

    position: str
    min_days: int
    deputy_positions: tuple[str, ...]
    same_unit: bool
    scope: str
    source: str


def acting_requirements(staff: Staff) -> list[ActingRequirement]:
    rules = staff.organisation.rule("absence.require_acting", []) or []
    held = {p.position for p in staff.posts.all()}
    return [
        ActingRequirement(
            position=r["position"],
            min_days=int(r.get("min_days", 1)),
            deputy_positions=tuple(r.get("deputy_positions", [])),
            same_unit=bool(r.get("same_unit", False)),
            scope=r.get("scope", DelegationScope.ALL),
            source=r.get("source", ""),
        )
        for r in rules
        if r["position"] in held
    ]


def absence_length(staff: Staff, start: dt.date, end: dt.date) -> int:
    """Days of absence as the profile counts them (working days by default; 000 §9 Q1)."""
    kind = staff.organisation.rule("absence.day_kind", "working")
    return calendar.count_days(start, end, kind)


def _deputy_fits(req: ActingRequirement, principal: Staff, deputy: Staff) -> bool:
    for post in deputy.posts.all():
        if post.position not in req.deputy_positions:
            continue
        if req.same_unit:
            principal_units = {p.unit_id for p in principal.posts.all() if p.position == req.position}
            if post.unit_id not in principal_units:
                continue
        return True
    return False


def can_arrange_for(actor: Staff, principal: Staff) -> bool:
    """Who may record an absence or an acting-for delegation for `principal`.

    The person themself; the Chánh Văn phòng for anyone (000 Điều 4.3–4.4); a Phó Chánh
    for the units they supervise (000 Điều 6); a unit head or deputy for their unit's
    staff (000 L108: the head organises handover and reassignment). Same office only.
    """
    if actor.organisation_id != principal.organisation_id:
        return False
    if actor.pk == principal.pk or actor.user.is_superuser:
        return True
    actor_posts = list(actor.posts.all())
    if any(p.position == Position.CHANH_VP for p in actor_posts):
        return True
    principal_units = {p.unit_id for p in principal.posts.all() if p.unit_id}
    if any(p.position == Position.PHO_CHANH_VP for p in actor_posts):
        supervised = {s.unit_id for s in actor.supervisions.all() if s.unit_id}
        if principal_units & supervised:
            return True
    headed = {p.unit_id for p in actor_posts if p.position in (Position.TRUONG_PHONG, Position.PHO_TRUONG_PHONG)}
    principal_is_leader = any(p.position in (Position.CHANH_VP, Position.PHO_CHANH_VP) for p in principal.posts.all())
    return bool(principal_units & headed) and not principal_is_leader


# --------------------------------------------------------------------------- commands


@transaction.atomic
def create_delegation(
    *,
    principal: Staff,
    deputy: Staff,
    scope: str,
    start: dt.date,
    end: dt.date,
    reason: str = "",
    by: AbstractBaseUser | None = None,
    absence: Absence | None = None,
) -> Delegation:
    """Record that `deputy` acts for `principal` in `scope` from `start` to `end` (both included)."""
    errors: dict[str, list[str]] = {}
    if scope not in DelegationScope.values:
        errors.setdefault("scope", []).append("Phạm vi ủy quyền không hợp lệ.")
    if end < start:
        errors.setdefault("end", []).append("Ngày kết thúc không được trước ngày bắt đầu.")
    if principal.pk == deputy.pk:
        errors.setdefault("deputy", []).append("Không thể ủy quyền cho chính mình.")
    if principal.organisation_id != deputy.organisation_id:
        errors.setdefault("deputy", []).append("Người được ủy quyền không thuộc cùng cơ quan.")
    if not deputy.is_active:
        errors.setdefault("deputy", []).append(f"{deputy.full_name} không còn công tác tại cơ quan.")
    if errors:
        raise ValidationError(errors)

    busy = absences_on(deputy, start, end).first()
    if busy:
        raise ValidationError(
            {
                "deputy": [
                    f"{deputy.full_name} vắng mặt ({busy.get_kind_display().lower()}) từ {_fmt(busy.start)} "
                    f"đến {_fmt(busy.end)}, không thể làm thay trong thời gian này."
                ]
            }
        )
    # Lock the principal's delegations so two clerks cannot both create overlapping ones.
    Staff.objects.select_for_update().filter(pk=principal.pk).first()
    clash = (
        _overlapping(Delegation.objects.filter(principal=principal, is_revoked=False), start, end)
        .filter(scope__in=_scopes_matching(scope))
        .select_related("deputy")
        .first()
    )
    if clash:
        raise ValidationError(
            {
                "scope": [
                    f"Đã có ủy quyền trùng thời gian: {clash.deputy.full_name} làm thay {principal.full_name} "
                    f"({clash.get_scope_display().lower()}) từ {_fmt(clash.start)} đến {_fmt(clash.end)}."
                ]
            }
        )
    return Delegation.objects.create(
        organisation=principal.organisation,
        principal=principal,
        deputy=deputy,
        scope=scope,
        start=start,
        end=end,
        reason=reason,
        absence=absence,
        created_by=by,
    )


@transaction.atomic
def record_absence(
    *,
    staff: Staff,
    kind: str,
    start: dt.date,
    end: dt.date,
    note: str = "",
    acting: Staff | None = None,
    acting_scope: str | None = None,
    by: AbstractBaseUser | None = None,
) -> Absence:
    """Record an absence and, when someone acts meanwhile, the delegation that goes with it.

    Refuses an absence that the profile says needs a designated deputy when none (or
    the wrong kind of person) is given, e.g. the Chánh away ≥ 2 days without a Phó
    Chánh to run the office (000 Điều 4.4, L71).
    """
    if end < start:
        raise ValidationError({"end": ["Ngày kết thúc không được trước ngày bắt đầu."]})
    Staff.objects.select_for_update().filter(pk=staff.pk).first()
    clash = absences_on(staff, start, end).first()
    if clash:
        raise ValidationError(
            {
                "start": [
                    f"{staff.full_name} đã có lịch vắng mặt từ {_fmt(clash.start)} đến {_fmt(clash.end)} "
                    "trùng với thời gian này."
                ]
            }
        )
    length = absence_length(staff, start, end)
    for req in acting_requirements(staff):
        if length < req.min_days:
            continue
        titles = ", ".join(str(Position(p).label) for p in req.deputy_positions)
        if acting is None:
            raise ValidationError(
                {
                    "acting": [
                        f"{Position(req.position).label} vắng mặt từ {req.min_days} ngày làm việc trở lên phải phân "
                        f"công một người ({titles}) làm thay ({req.source})."
                    ]
                }
            )
        if not _deputy_fits(req, staff, acting):
            where = " của cùng đơn vị" if req.same_unit else ""
            raise ValidationError({"acting": [f"Người làm thay phải là {titles}{where} ({req.source})."]})
    absence = Absence.objects.create(staff=staff, kind=kind, start=start, end=end, note=note, created_by=by)
    if acting is not None:
        create_delegation(
            principal=staff,
            deputy=acting,
            scope=acting_scope or DelegationScope.ALL,
            start=start,
            end=end,
            reason=note or absence.get_kind_display(),
            by=by,
            absence=absence,
        )
    return absence


@transaction.atomic
def cancel_absence(absence: Absence, by: AbstractBaseUser | None = None) -> None:
    """Cancel an absence and revoke the delegations made for it (history keeps both)."""
    absence.is_cancelled = True
    absence.save(update_fields=["is_cancelled"])
    for delegation in absence.delegations.filter(is_revoked=False):
        delegation.is_revoked = True
        delegation.save(update_fields=["is_revoked"])


# --------------------------------------------------------------------------- queries


def acting_for(staff: Staff, day: dt.date, scope: str = DelegationScope.HANDLE) -> Staff:
    """Who handles `staff`'s work (in `scope`) on `day`: a delegation in force, followed
    through chains (the deputy may be away and have delegated too); otherwise the
    profile's fallback when the person is away; otherwise the person themself (DayResolver)."""
    resolver = DayResolver(staff.organisation, day)
    pk = resolver.acting_for_id(staff.pk, scope)
    return staff if pk == staff.pk else resolver.staff[pk]


def principals_of(staff: Staff, day: dt.date) -> list[Staff]:
    """Whom `staff` acts for on `day` (delegations in force naming them as deputy)."""
    ids = (
        Delegation.objects.filter(deputy=staff, is_revoked=False, start__lte=day, end__gte=day)
        .values_list("principal_id", flat=True)
        .distinct()
    )
    return list(Staff.objects.filter(pk__in=list(ids)).select_related("user").order_by("full_name"))


class DayResolver:
    """Who acts for whom in one organisation on one day, resolved in memory  # ai làm thay ai.

    The one implementation of the rule (a delegation in force, newest first, followed through
    chains; else the profile's fallback for someone absent, 000 Điều 4.3 L70, 7.2.c L135),
    from three queries loaded once: the delegations in force, who is absent, and every post
    in the organisation. acting_for() asks it for one person; represented() for everyone away,
    so a leader who is everybody's fallback (the Chánh) costs the same few queries however
    many are away.
    """

    def __init__(self, organisation: Organisation, day: dt.date) -> None:
        organisation_id = organisation.pk
        self.day = day
        self.organisation = organisation
        self.fallback: dict[str, list[str]] = self.organisation.rule("absence.fallback", {}) or {}
        self.delegations: dict[int, list[Delegation]] = {}
        self.staff: dict[int, Staff] = {}
        for d in (
            Delegation.objects.filter(
                principal__organisation_id=organisation_id, is_revoked=False, start__lte=day, end__gte=day
            )
            .select_related("principal__user", "deputy__user")
            .order_by("-created_at")
        ):
            self.delegations.setdefault(d.principal_id, []).append(d)
            self.staff.setdefault(d.principal_id, d.principal)
            self.staff.setdefault(d.deputy_id, d.deputy)
        self.absent: set[int] = set(
            Absence.objects.filter(
                staff__organisation_id=organisation_id, is_cancelled=False, start__lte=day, end__gte=day
            ).values_list("staff_id", flat=True)
        )
        self.posts: dict[int, list[Post]] = {}
        for post in Post.objects.filter(staff__organisation_id=organisation_id).select_related("staff__user"):
            self.posts.setdefault(post.staff_id, []).append(post)
            self.staff.setdefault(post.staff_id, post.staff)
        for person in self.staff.values():
            person.organisation = self.organisation  # read by callers; one object, no query each

    def _main_post(self, staff_id: int) -> Post | None:
        posts = sorted(self.posts.get(staff_id, []), key=lambda p: (not p.is_primary, POSITION_RANK[p.position]))
        return posts[0] if posts else None

    def _fallback(self, staff_id: int) -> int | None:
        """Who handles an absent person's work when nobody was designated, per the profile: the first
        present holder, by name, of the posts it names. e.g. hatinh-ubnd: Phó Chánh away → the Chánh
        (000 Điều 4.3, L70); head away → a deputy of the unit (000 Điều 7.2.c, L135)."""
        main = self._main_post(staff_id)
        if main is None:
            return None
        for position in self.fallback.get(main.position, []):
            same_unit = position not in (Position.CHANH_VP, Position.PHO_CHANH_VP) and main.unit_id
            candidates = sorted(
                (
                    post.staff
                    for posts in self.posts.values()
                    for post in posts
                    if post.position == position
                    and post.staff.is_active
                    and post.staff_id != staff_id
                    and (not same_unit or post.unit_id == main.unit_id)
                ),
                key=lambda s: s.full_name,
            )
            for candidate in candidates:
                if candidate.pk not in self.absent:
                    return candidate.pk
        return None

    def acting_for_id(self, staff_id: int, scope: str = DelegationScope.HANDLE) -> int:
        """The id of who handles `staff_id`'s work in `scope` (see acting_for())."""
        scopes = set(_scopes_matching(scope))
        seen = {staff_id}
        current = staff_id
        for _ in range(MAX_CHAIN):
            delegation = next((d for d in self.delegations.get(current, []) if d.scope in scopes), None)
            nxt = delegation.deputy_id if delegation else None
            if nxt is None and current in self.absent:
                nxt = self._fallback(current)
            if nxt is None or nxt in seen:
                return current
            seen.add(nxt)
            current = nxt
        return current

    def represented(self, staff: Staff) -> list[Staff]:
        """Everyone whose work `staff` handles on the day (see represented())."""
        people: dict[int, Staff] = {}
        for principal_id, delegations in self.delegations.items():
            if any(d.deputy_id == staff.pk for d in delegations) and principal_id in self.staff:
                people[principal_id] = self.staff[principal_id]
        for absent_id in self.absent - {staff.pk}:
            if absent_id not in people and absent_id in self.staff and self.acting_for_id(absent_id) == staff.pk:
                people[absent_id] = self.staff[absent_id]
        return sorted(people.values(), key=lambda p: p.full_name)


#: Answers of represented() within one web request (ActingMemoMiddleware): a document page asks
#: "whom does this person act for today" for the visibility check and for each kind of open step.
#: Any change to an absence, a delegation or a post empties it (office/signals.py).
_request_memo: ContextVar[dict | None] = ContextVar("acting_for_request_memo", default=None)


@contextmanager
def request_memo() -> Iterator[None]:
    """Remember represented() answers until the block ends (one web request)."""
    token = _request_memo.set({})
    try:
        yield
    finally:
        _request_memo.reset(token)


def forget_request_memo() -> None:
    memo = _request_memo.get()
    if memo is not None:
        memo.clear()


def represented(staff: Staff, day: dt.date) -> list[Staff]:
    """Everyone whose work `staff` handles on `day`: by a delegation in force, or by the profile's
    fallback for someone absent with nobody designated (000 Điều 4.3). A fixed number of queries,
    however many people are away (DayResolver); none the second time in a request."""
    memo = _request_memo.get()
    if memo is None:
        return _represented(staff, day)
    key = (staff.pk, day)
    if key not in memo:
        memo[key] = _represented(staff, day)
    return list(memo[key])


def _represented(staff: Staff, day: dt.date) -> list[Staff]:
    targets = {t for ts in (staff.organisation.rule("absence.fallback", {}) or {}).values() for t in ts}
    if not targets & {p.position for p in staff.posts.all()} and not (
        Delegation.objects.filter(deputy=staff, is_revoked=False, start__lte=day, end__gte=day).exists()
    ):
        # A chain of acting-for ends with me only through a delegation naming me or a fallback rule
        # naming a post I hold: with neither, no absence can be resolved to me (every specialist and
        # clerk on every page; one query however many are away).
        return []
    return DayResolver(staff.organisation, day).represented(staff)


def delegations_in_force(organisation_id: int, day: dt.date) -> QuerySet[Delegation]:
    return Delegation.objects.filter(
        organisation_id=organisation_id, is_revoked=False, start__lte=day, end__gte=day
    ).select_related("principal", "deputy")


__all__ = [
    "absence_length",
    "absences_on",
    "can_arrange_for",
    "acting_for",
    "cancel_absence",
    "create_delegation",
    "delegations_in_force",
    "is_absent",
    "principals_of",
    "record_absence",
    "represented",
]
