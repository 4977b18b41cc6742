"""Escalation  # báo cáo khi quá hạn: who else is told when a deadline passes.

Always the deadline's own `escalate_to` (set by the capability that opened it: the lead of a
coordination request, the chair of a meeting). Some kinds name more people in the regulation:

- `coordination.internal` — 000 Điều 17.2 (L228–L229): a request between units not settled after
  03 working days must be reported to the office leaders («báo cáo với Lãnh đạo Văn phòng») and
  the units concerned informed («thông báo cho đơn vị có liên quan biết»). The leaders told are
  the Chánh Văn phòng and the Phó Chánh supervising the handling unit (inferred: the seed says
  «Lãnh đạo Văn phòng» without naming which; profile key rules.internal_requests.escalate_to).

Other apps may add rules with `register(kind, fn)`; fn(deadline) → [(staff, message)].
"""

from __future__ import annotations

from collections.abc import Callable

from office.models import Position, Post, Staff, Supervision
from workflow.models import Deadline

Rule = Callable[[Deadline], list[tuple[Staff, str]]]
RULES: dict[str, Rule] = {}


def register(kind: str, rule: Rule) -> None:
    RULES[kind] = rule


def office_leaders_for(deadline: Deadline) -> list[Staff]:
    """The Chánh and the Phó Chánh supervising the deadline's unit (all Phó Chánh when none is assigned)."""
    org_id = deadline.organisation_id
    chanh = [p.staff for p in Post.objects.filter(staff__organisation_id=org_id, position=Position.CHANH_VP)
             .select_related("staff")]  # fmt: skip
    supervisors = []
    if deadline.unit_id:
        supervisors = [s.supervisor for s in Supervision.objects.filter(unit_id=deadline.unit_id)
                       .select_related("supervisor")]  # fmt: skip
    if not supervisors:
        supervisors = [p.staff for p in Post.objects.filter(staff__organisation_id=org_id,
                       position=Position.PHO_CHANH_VP).select_related("staff")]  # fmt: skip
    seen: dict[int, Staff] = {}
    for person in [*chanh, *supervisors]:
        seen.setdefault(person.pk, person)
    return list(seen.values())


def _internal_request(deadline: Deadline) -> list[tuple[Staff, str]]:
    from workflow.models import CoordinationRecipient

    out: list[tuple[Staff, str]] = []
    org = deadline.organisation
    if org.rule("internal_requests.escalate_to", "office_leaders") == "office_leaders":
        for leader in office_leaders_for(deadline):
            out.append((leader, "Báo cáo Lãnh đạo Văn phòng: đề nghị giữa các đơn vị chưa được giải quyết"))
    recipient = CoordinationRecipient.objects.filter(pk=deadline.target_id).select_related("request__sender").first()
    if recipient is not None:
        out.append((recipient.request.sender, "Thông báo đơn vị liên quan: đề nghị của đơn vị chưa được giải quyết"))
    return out


register("coordination.internal", _internal_request)


def targets(deadline: Deadline) -> list[tuple[Staff, str]]:
    """Everyone to tell when the deadline is overdue, besides its holder, with why."""
    out: list[tuple[Staff, str]] = []
    if deadline.escalate_to_id:
        out.append((deadline.escalate_to, "Việc quá hạn"))
    rule = RULES.get(deadline.kind)
    if rule is not None:
        out += rule(deadline)
    seen: set[int] = {deadline.assignee_id}
    unique: list[tuple[Staff, str]] = []
    for staff, why in out:
        if staff.pk not in seen:
            seen.add(staff.pk)
            unique.append((staff, why))
    return unique
